// The echo peer without media (--echo-media off): its answer to every browser offer in the fixtures is
// a well-formed answer (same m-lines, mids and codecs, mirrored directions, setup:passive, a fake
// fingerprint, no candidates) that the translator turns into a session-accept and werift accepts.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RTCPeerConnection } from 'werift';
import { jingleToSdp, parseSdp, sdpToJingle, sdpToJingleModel } from '../../schemas/index.ts';
import { FAKE_FINGERPRINT, createSignalingPeer, signalingAnswer } from '../../component/services/echo-signaling-peer.ts';

const DIR = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const offers = readdirSync(DIR).filter((f) => f.endsWith('-offer.sdp'));
const MIRROR: Record<string, string> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };

describe('the signalling-only echo peer', () => {
  it.each(offers)('answers %s through Jingle: same m-lines and codecs, mirrored, no ICE candidates', (file) => {
    const browser = readFileSync(new URL(file, DIR), 'utf8');
    // What the echo service hands its peer: the offer as it came out of the caller's session-initiate.
    const offerSdp = jingleToSdp(sdpToJingle(browser, { role: 'initiator', sid: 's', initiator: 'a@localhost/x' }), { role: 'initiator' });
    const offer = parseSdp(offerSdp);
    const answer = parseSdp(signalingAnswer(offerSdp));
    expect(answer.media.map((m) => [m.kind, m.mid, m.protocol, m.formats.join(' ')]))
      .toEqual(offer.media.map((m) => [m.kind, m.mid, m.protocol, m.formats.join(' ')]));
    for (const [i, m] of answer.media.entries()) {
      const o = offer.media[i]!;
      expect(m.payloads.map((p) => [p.id, p.name, p.clockRate])).toEqual(o.payloads.map((p) => [p.id, p.name, p.clockRate]));
      const offered = o.direction ?? offer.direction;
      expect(m.direction).toBe(offered === undefined ? (m.kind === 'application' ? undefined : 'sendrecv') : MIRROR[offered]);
      expect([m.setup, m.fingerprints, m.candidates, m.sources, m.msids]).toEqual(['passive', [FAKE_FINGERPRINT], [], [], []]);
      expect(m.iceUfrag).toBe(answer.media[0]!.iceUfrag);
    }
    expect(answer.groups).toEqual(offer.groups);
    const accept = sdpToJingleModel(signalingAnswer(offerSdp), { role: 'responder', action: 'session-accept', sid: 's', initiator: 'a@localhost/x' });
    expect(accept.contents.map((c) => c.name)).toEqual(offer.media.map((m) => m.mid));
  });

  it('takes a fresh ufrag and password for every answer', () => {
    const offer = readFileSync(new URL('chromium-audio-offer.sdp', DIR), 'utf8');
    const [a, b] = [parseSdp(signalingAnswer(offer)), parseSdp(signalingAnswer(offer))];
    expect(a.media[0]!.iceUfrag).not.toBe(b.media[0]!.iceUfrag);
    expect(a.media[0]!.icePwd).not.toBe(b.media[0]!.icePwd);
    expect(a.media[0]!.icePwd!.length).toBeGreaterThanOrEqual(22);
  });

  it('is an answer a WebRTC stack accepts, and a peer that opens nothing', async () => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTransceiver('audio', { direction: 'sendrecv' });
    pc.addTransceiver('video', { direction: 'sendonly' });
    pc.createDataChannel('chat');
    await pc.setLocalDescription(await pc.createOffer());
    const peer = createSignalingPeer({ onCandidate: () => { throw new Error('no candidates expected'); }, onState: () => undefined });
    const sdp = await peer.answer(pc.localDescription!.sdp);
    await pc.setRemoteDescription({ type: 'answer', sdp });
    expect(pc.signalingState).toBe('stable');
    expect(pc.getTransceivers().map((t) => t.currentDirection)).toEqual(['sendrecv', 'sendonly']);
    await pc.close();
    await peer.addCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' });
    await peer.close();
    await expect(peer.answer(pc.localDescription!.sdp)).rejects.toThrow(/closed/);
    expect(peer.echoed).toEqual({ packets: 0, bytes: 0, messages: 0 });
  });
});
