/**
 * XEP-0030 service discovery for the component's addresses, and XEP-0115 entity capabilities for the
 * presence its bots send: native clients (Conversations, Dino) only offer a call button to a contact
 * whose capabilities list the Jingle RTP features.
 */
import { createHash } from 'node:crypto';
import type { Element } from 'ltx';
import { el } from '../../schemas/xml.ts';
import type { Router } from '../router.ts';
import { stanzaError } from '../stanza-error.ts';

export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
export const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
export const NS_CAPS = 'http://jabber.org/protocol/caps';
export const CAPS_NODE = 'https://jingle-gateway.invalid/caps';

export interface Identity {
  category: string;
  type: string;
  name: string;
}

export interface DiscoEntity {
  identities: Identity[];
  features: string[];
  items?: { jid: string; name: string }[];
}

export class Disco {
  /** By bare JID: a bot answers for all its resources. */
  private readonly entities = new Map<string, DiscoEntity>();

  add(bareJid: string, entity: DiscoEntity): void {
    this.entities.set(bareJid, entity);
  }

  /** XEP-0115 `ver`: SHA-1 over identities and features in their canonical order, base64. */
  ver(bareJid: string): string {
    const e = this.entities.get(bareJid);
    if (!e) throw new Error(`no disco entity ${bareJid}`);
    const ids = e.identities.map((i) => `${i.category}/${i.type}//${i.name}`).sort();
    const features = [...new Set(e.features)].sort();
    return createHash('sha1').update([...ids, ...features].map((s) => `${s}<`).join('')).digest('base64');
  }

  /** The <c/> element for presence from `bareJid`. */
  caps(bareJid: string): Element {
    return el('c', { xmlns: NS_CAPS, hash: 'sha-1', node: CAPS_NODE, ver: this.ver(bareJid) });
  }

  register(router: Router): void {
    router.iq('get', NS_DISCO_INFO, 'query', ({ to, payload }) => {
      const bare = bareOf(to);
      const e = this.entities.get(bare);
      if (!e) return stanzaError('cancel', 'item-not-found');
      const node = payload.attrs.node as string | undefined;
      if (node !== undefined && node !== `${CAPS_NODE}#${this.ver(bare)}`) return stanzaError('cancel', 'item-not-found', 'unknown node');
      const q = el('query', { xmlns: NS_DISCO_INFO, node });
      for (const i of e.identities) q.cnode(el('identity', { category: i.category, type: i.type, name: i.name }));
      for (const f of [...new Set(e.features)].sort()) q.cnode(el('feature', { var: f }));
      return q;
    });
    router.iq('get', NS_DISCO_ITEMS, 'query', ({ to, payload }) => {
      const e = this.entities.get(bareOf(to));
      if (!e) return stanzaError('cancel', 'item-not-found');
      if (payload.attrs.node !== undefined) return stanzaError('cancel', 'item-not-found', 'no such node');
      return el('query', { xmlns: NS_DISCO_ITEMS }, (e.items ?? []).map((i) => el('item', { jid: i.jid, name: i.name })));
    });
  }
}

export function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return (slash < 0 ? jid : jid.slice(0, slash)).toLowerCase();
}

export function domainOf(jid: string): string {
  const bare = bareOf(jid);
  const at = bare.indexOf('@');
  return at < 0 ? bare : bare.slice(at + 1);
}
