/**
 * Stream ids (RFC 8830 a=msid) across stacks. libwebrtc and Firefox put a remote track into the
 * stream its a=msid names; without one the peer's tracks land in a default stream, and a client that
 * groups audio and video by stream shows them apart. Each stack carries msid its own way:
 * - XEP-0339 section 3.2 (its own example): <source><parameter name='msid' value='stream track'/>.
 *   Conversations (xmpp/jingle/stanzas/RtpDescription.java, from a=ssrc:N msid:), lib-jitsi-meet
 *   (modules/sdp/SDP.ts), Movim (src/Movim/Librairies/SDPtoJingle.php, from the m-line's a=msid) and
 *   StanzaJS (src/jingle/MediaSession.ts applyStreamsCompatibility) write and read it. Dino has no SDP.
 * - StanzaJS also writes <stream xmlns='urn:xmpp:jingle:apps:rtp:msid:0' id track/> in the
 *   description (src/protocol/xep0167.ts) and builds a=msid from it (src/jingle/sdp/Intermediate.ts).
 * - We carried the a=msid line verbatim in our own <line> only.
 * So we write all three (the source parameter only where the SDP's a=ssrc lines lack it, marked
 * gw:derived so we drop it again on reading our own), and read the first we find: our line, then
 * <stream>, then a source's msid parameter (unless marked gw:ssrc-only: the SDP had no a=msid).
 */
import type { RtpDescription } from '../jingle/xep0167.ts';
import type { SourceParameter } from '../jingle/xep0339.ts';
import type { Media } from '../sdp/model.ts';
import { MSID_ID } from '../sdp/tokens.ts';

/** SDP -> Jingle: <stream>s from the m-line's a=msid, and the XEP-0339 msid on sources that lack it. */
export function addStreamIds(d: RtpDescription, m: Media): void {
  if (m.msids.length === 0) {
    for (const s of m.sources) for (const a of s.attributes) if (a.name === 'msid') (a as SourceParameter).ssrcOnly = true;
    return;
  }
  for (const id of m.msids) {
    if (!MSID_ID.test(id.stream) || (id.track !== undefined && !MSID_ID.test(id.track))) continue;
    (d.streams ??= []).push(id.track === undefined ? { id: id.stream } : { id: id.stream, track: id.track });
  }
  // One stream for the whole m-line (always, in Unified Plan); with several it is not ours to guess.
  const msid = m.msids.length === 1 ? (m.msids[0] as Media['msids'][number]) : undefined;
  if (!msid) return;
  const value = msid.track === undefined ? msid.stream : `${msid.stream} ${msid.track}`;
  for (const s of m.sources) {
    if (s.attributes.some((a) => a.name === 'msid')) continue;
    s.attributes.push({ name: 'msid', value, derived: true } as SourceParameter);
  }
}

/** Jingle -> SDP: the msid parameters we derived ourselves are not in the SDP they came from. */
export function withoutDerived(params: SourceParameter[]): SourceParameter[] {
  for (const p of params) if (p.derived) return params.filter((x) => !x.derived);
  return params;
}

/** Jingle -> SDP, for an m-line without a=msid: from StanzaJS's <stream>s, else a source's XEP-0339 msid. */
export function readStreamIds(d: RtpDescription, m: Media): void {
  if (d.streams && d.streams.length > 0) {
    for (const st of d.streams) m.msids.push(st.track === undefined ? { stream: st.id } : { stream: st.id, track: st.track });
    return;
  }
  for (const s of d.sources) {
    for (const p of s.parameters) {
      if (p.name !== 'msid' || p.value === undefined || p.derived || p.ssrcOnly) continue;
      const [stream, track, more] = p.value.trim().split(' ');
      if (more !== undefined || stream === undefined || !MSID_ID.test(stream) || (track !== undefined && !MSID_ID.test(track))) continue;
      m.msids.push(track === undefined ? { stream } : { stream, track });
      return;
    }
  }
}
