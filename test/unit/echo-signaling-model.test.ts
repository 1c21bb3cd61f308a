// The echo service's model path (no SDP text between the parsed session-initiate and the session-accept
// it sends, when the peer answers as a Session) says exactly what the text path says: the same offer
// for the peer, the same answer, the same <jingle action='session-accept'> on the wire.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildJingle, jingleModelToSdp, jingleToSdp, parseJingle, parseSdp, sdpToJingle, sdpToJingleModel, serializeXml, sessionToJingleModel, writeSdp,
} from '../../schemas/index.ts';
import { signalingAnswer, signalingAnswerSession } from '../../component/services/echo-signaling-peer.ts';
import { hasUsableMedia, offerOf } from '../../component/services/echo-jingle.ts';
import { DEFAULT_LIMITS } from '../../schemas/limits.ts';

const DIR = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const offers = readdirSync(DIR).filter((f) => f.endsWith('-offer.sdp'));
const opts = { role: 'responder', action: 'session-accept', sid: 's', initiator: 'a@localhost/x', responder: 'echo@jingle.localhost/echo' } as const;
/** The answer's random parts (ICE ufrag and pwd, o= session id), the same in both. */
const fixed = (sdp: string): string => sdp.replace(/^a=ice-(ufrag|pwd):.*$/gm, 'a=ice-$1:X').replace(/^o=- \d+/m, 'o=- 1');

describe('the echo signalling answer, from the parsed offer', () => {
  it.each(offers)('%s: same offer text, same answer, same session-accept as through SDP text', (file) => {
    const browser = readFileSync(new URL(file, DIR), 'utf8');
    const initiate = sdpToJingle(browser, { role: 'initiator', sid: 's', initiator: 'a@localhost/x' });
    const offer = offerOf(parseJingle(initiate, DEFAULT_LIMITS), DEFAULT_LIMITS);
    if (!('sdp' in offer)) throw offer;
    const text = jingleToSdp(initiate, { role: 'initiator' });
    expect(offer.sdp).toBe(text);
    expect(hasUsableMedia(offer.session)).toBe(parseSdp(text).media.some((m) => m.port !== 0 || m.bundleOnly));

    const answer = signalingAnswerSession(offer.session);
    const answerText = writeSdp(answer);
    expect(fixed(answerText)).toBe(fixed(signalingAnswer(text)));
    const viaText = serializeXml(buildJingle(sdpToJingleModel(answerText, opts)));
    expect(serializeXml(buildJingle(sessionToJingleModel(answer, opts)))).toBe(viaText);
  });

  it('a security refusal is still a value: an offer without a usable fingerprint', () => {
    const browser = readFileSync(new URL('chromium-audio-offer.sdp', DIR), 'utf8').replace(/^a=fingerprint:.*\r\n/gm, '');
    const offer = offerOf(parseJingle(sdpToJingle(browser, { role: 'initiator', sid: 's' }), DEFAULT_LIMITS), DEFAULT_LIMITS);
    expect('condition' in offer && offer.condition).toBe('security-error');
  });
});
