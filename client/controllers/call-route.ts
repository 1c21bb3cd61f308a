/**
 * How a call reaches the callee: a XEP-0353 proposal to its bare JID, or a XEP-0166 session-initiate
 * straight to one of its resources, chosen from what its online resources announce (XEP-0115 caps,
 * resolved with XEP-0030 disco#info).
 *
 * The choice follows Conversations and Dino, which decide it the same way:
 * - any resource that speaks JMI (`urn:xmpp:jingle-message:0`): propose. Every device rings, the JMI
 *   ones answer; a device without JMI among them does not ring (neither client calls it beside JMI).
 * - no JMI, but resources that take the call's media over Jingle RTP (StanzaJS, older clients): a direct
 *   session-initiate to ONE of them, the first in the roster's order (highest priority), as Dino does
 *   (Conversations asks its user which). We do not fork: one call is one RTCPeerConnection, which can
 *   apply only one answer, so ringing several resources at once would need one per resource.
 * - no resource online (or none known): propose, as before. The <store/> hint lets a device that is
 *   offline now (a phone woken by push) still learn of the call; the ring timeout ends it otherwise.
 *   The echo peer of our component, never in the roster, is called this way.
 * - a resource whose features could not be learnt (disco#info failed or was too slow) counts as
 *   possibly JMI: propose, unless another resource is known to need a direct session-initiate.
 * - resources online and known, none of which takes the call: no route (CallError 'unsupported').
 */
import { NS } from '../../schemas/namespaces.ts';
import type { MediaChoice } from '../rtc/media-session.ts';
import type { Caps, DiscoInfo } from '../xmpp/caps.ts';
import type { ContactBook } from './call-policy.ts';

/** One online resource of the callee and its disco features, undefined when they could not be learnt. */
export interface ResourceFeatures {
  jid: string;
  features: readonly string[] | undefined;
}

export type CallRoute =
  | { kind: 'propose' }
  | { kind: 'direct'; to: string }
  | { kind: 'none'; why: string };

/** What the call controller needs of the roster (RosterController fits it): also whose calls may ring (call-policy.ts). */
export interface PeerDirectory extends ContactBook {
  /** The contact's online resources, best first. */
  resources(bareJid: string): readonly { jid: string; caps: Caps | undefined }[];
  readonly caps: { info(fullJid: string, caps?: Caps): Promise<DiscoInfo> };
}

/** Features a resource needs for a direct Jingle RTP call (Conversations' list, without the DTLS feature some clients omit). */
export function takesCall(features: readonly string[], media: MediaChoice): boolean {
  const needed = [NS.rtp, NS.iceUdp, NS.rtpAudio, ...(media.video ? [NS.rtpVideo] : [])];
  return needed.every((f) => features.includes(f));
}

/** The route for a call with `media` to a contact whose online resources are `resources` (best first). */
export function chooseRoute(resources: readonly ResourceFeatures[], media: MediaChoice): CallRoute {
  if (resources.length === 0) return { kind: 'propose' };
  if (resources.some((r) => r.features?.includes(NS.jmi))) return { kind: 'propose' };
  const direct = resources.find((r) => r.features !== undefined && takesCall(r.features, media));
  if (direct) return { kind: 'direct', to: direct.jid };
  if (resources.some((r) => r.features === undefined)) return { kind: 'propose' };
  return { kind: 'none', why: `no device of this contact can take ${media.video ? 'video' : 'audio'} calls` };
}

/** The features of each online resource of `bareJid`, each asked for at most `timeoutMs`. */
export async function resourceFeatures(peers: PeerDirectory, bareJid: string, timeoutMs: number): Promise<ResourceFeatures[]> {
  return Promise.all(peers.resources(bareJid).map(async (r) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, timeoutMs, undefined); });
    try {
      const info = await Promise.race([peers.caps.info(r.jid, r.caps), late]);
      return { jid: r.jid, features: info?.features };
    } catch {
      return { jid: r.jid, features: undefined };
    } finally {
      clearTimeout(timer);
    }
  }));
}

/** The route for a call to `bareJid`: a proposal when there is no directory of its resources. */
export async function routeCall(peers: PeerDirectory | undefined, bareJid: string, media: MediaChoice, timeoutMs: number): Promise<CallRoute> {
  return peers ? chooseRoute(await resourceFeatures(peers, bareJid, timeoutMs), media) : { kind: 'propose' };
}
