/**
 * Our own side of XEP-0115 and XEP-0030 on any XmppLink: the initial presence carrying our caps, and
 * the disco#info answer for our caps node (and for no node). Used by the connection controller.
 */
import type { Element } from 'ltx';
import { CAPS_NODE, CLIENT_FEATURES, CLIENT_IDENTITY, capsElement, capsVer, discoInfoElement, type DiscoInfo, type Identity } from './caps.ts';
import { StanzaError, type IqRouter } from './iq-router.ts';
import { CLIENT_NS } from './ns.ts';
import { attr, x } from './xml.ts';

export class OwnCaps {
  readonly info: DiscoInfo;
  private verPromise: Promise<string> | undefined;

  constructor(features: readonly string[] = CLIENT_FEATURES, identity: Identity = CLIENT_IDENTITY, readonly node = CAPS_NODE) {
    this.info = { identities: [identity], features: [...new Set(features)] };
  }

  /** Our caps `ver` (computed once). */
  ver(): Promise<string> {
    this.verPromise ??= capsVer(this.info);
    return this.verPromise;
  }

  /** `<presence><c xmlns=caps .../></presence>`: the available presence we send after login. */
  async presence(): Promise<Element> {
    return x('presence', {}, capsElement(await this.ver(), this.node));
  }

  /** Answers disco#info gets, for our caps node `node#ver` or no node; other nodes are item-not-found. */
  serve(router: IqRouter): () => void {
    return router.get(CLIENT_NS.discoInfo, 'query', async ({ element }) => {
      const node = attr(element, 'node');
      if (node !== undefined && node !== `${this.node}#${await this.ver()}`) throw new StanzaError('item-not-found');
      return discoInfoElement(this.info, node);
    });
  }
}
