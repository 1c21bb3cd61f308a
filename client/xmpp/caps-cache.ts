/**
 * XEP-0115 section 6.2 on the receiving side: what features a contact's resource has, asked once per
 * `ver` with disco#info, and shared by every resource announcing the same verified `ver`.
 * A reply whose hash does not match is used for that JID only, never cached under the `ver`.
 */
import type { Caps } from './caps.ts';
import { capsVer, parseDiscoInfo, type DiscoInfo } from './caps.ts';
import type { XmppLink } from './link.ts';
import { CLIENT_NS } from './ns.ts';
import { childNs, x } from './xml.ts';

export class CapsCache {
  private readonly byVer = new Map<string, DiscoInfo>();
  private readonly byJid = new Map<string, DiscoInfo>();
  private readonly inFlight = new Map<string, Promise<DiscoInfo>>();

  constructor(private readonly link: XmppLink, private readonly timeoutMs = 10_000) {}

  /** The disco#info of `fullJid`, from the cache when its caps `ver` is known; rejects if the query fails. */
  info(fullJid: string, caps?: Caps): Promise<DiscoInfo> {
    const cached = (caps && this.byVer.get(caps.ver)) ?? this.byJid.get(fullJid);
    if (cached !== undefined) return Promise.resolve(cached);
    const key = caps ? `ver ${caps.ver}` : `jid ${fullJid}`;
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = this.query(fullJid, caps).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** True if `fullJid` announces `feature` (false if it cannot be asked). */
  async supports(fullJid: string, feature: string, caps?: Caps): Promise<boolean> {
    try {
      return (await this.info(fullJid, caps)).features.includes(feature);
    } catch {
      return false;
    }
  }

  private async query(fullJid: string, caps: Caps | undefined): Promise<DiscoInfo> {
    const node = caps ? `${caps.node}#${caps.ver}` : undefined;
    const reply = await this.link.request(
      x('iq', { type: 'get', to: fullJid }, x('query', { xmlns: CLIENT_NS.discoInfo, node })), this.timeoutMs);
    const query = childNs(reply, 'query', CLIENT_NS.discoInfo);
    const parsed = query ? parseDiscoInfo(query) : { identities: [], features: [], hasForms: false };
    const info: DiscoInfo = { identities: parsed.identities, features: parsed.features };
    const verified = caps !== undefined && caps.hash === 'sha-1' && !parsed.hasForms && (await capsVer(info)) === caps.ver;
    if (verified) this.byVer.set(caps.ver, info);
    else this.byJid.set(fullJid, info);
    return info;
  }
}
