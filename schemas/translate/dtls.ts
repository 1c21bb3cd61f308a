/**
 * Every media line we accept carries a DTLS fingerprint (RFC 8842), or there is no SDP at all. A
 * Jingle whose fingerprints we cannot read (unknown hash, a value that is no digest, a namespace we do
 * not know) would otherwise become an SDP without DTLS: refused by browsers, or plain RTP elsewhere.
 *
 * Under BUNDLE, stacks send the fingerprint in one transport only (or, as StanzaJS reads it, in the
 * description's <encryption>); browsers use the transport's fingerprint for every bundled m-line, so
 * we give each m-line without one the session's, as they would.
 */
import { TranslateError } from '../errors.ts';
import type { Content } from '../jingle/xep0166.ts';
import type { Media, Session } from '../sdp/model.ts';

/** `session.media[i]` was made from `contents[i]`. */
export function shareFingerprints(session: Session, contents: readonly Content[]): void {
  const media = session.media;
  for (let i = 0; i < media.length; i++) {
    const m = media[i] as Media;
    const enc = contents[i]?.description?.encryption;
    if (m.fingerprints.length > 0 || !enc || enc.fingerprints.length === 0) continue;
    for (const f of enc.fingerprints) m.fingerprints.push({ hash: f.hash, value: f.value });
    const setup = enc.fingerprints.find((f) => f.setup !== undefined)?.setup;
    if (m.setup === undefined && setup !== undefined) m.setup = setup;
  }
  const source = media.find((m) => m.fingerprints.length > 0 && !rejected(m));
  for (let i = 0; i < media.length; i++) {
    const m = media[i] as Media;
    if (m.fingerprints.length > 0 || rejected(m)) continue;
    if (!source) throw refusal(contents[i] as Content, contents);
    for (const f of source.fingerprints) m.fingerprints.push({ hash: f.hash, value: f.value });
    if (m.setup === undefined && source.setup !== undefined) m.setup = source.setup;
  }
}

/** A port-0 m-line is rejected, unless it is bundle-only (RFC 8843): then it uses the bundle's transport. */
function rejected(m: Media): boolean {
  return m.port === 0 && m.bundleOnly !== true;
}

function refusal(c: Content, all: readonly Content[]): TranslateError {
  const reasons: string[] = [];
  for (const x of all) for (const r of x.transport?.unusableFingerprints ?? []) if (!reasons.includes(r)) reasons.push(r);
  let text = reasons.length > 0 ? `no usable DTLS fingerprint (${reasons.slice(0, 3).join('; ')})` : 'no DTLS fingerprint';
  if (all.some((x) => x.description?.encryption?.required)) text += "; <encryption required='1'> and WebRTC encrypts only with DTLS-SRTP";
  return new TranslateError('security-error', text, { element: `jingle/content[name=${c.name}]/transport` });
}
