// The echo peer (werift) on loopback: what it answers to a browser-like offer, and a werift caller
// getting its own RTP (payload type and bytes unchanged) and data channel messages back.
import { afterEach, describe, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import { sdpToJingleModel, type CandidateInit } from '../../schemas/index.ts';
import { createEchoPeer, type EchoPeer, type EchoPeerState } from '../../component/services/echo-peer.ts';
import { cidr } from '../../component/net/cidr.ts';

const BIND = '127.0.0.1';
const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => { await Promise.all(open.splice(0).map((x) => x.close())); });

function peer(): { echo: EchoPeer; trickled: CandidateInit[]; states: EchoPeerState[] } {
  const trickled: CandidateInit[] = [];
  const states: EchoPeerState[] = [];
  // The caller is on loopback too, which the echo peer refuses unless allowed (issue 12 item 1).
  const echo = createEchoPeer({ bind: BIND, allowNetworks: [cidr('127.0.0.0/8')], onCandidate: (c) => trickled.push(c), onState: (s) => states.push(s) });
  open.push(echo);
  return { echo, trickled, states };
}

const ice = ['a=ice-ufrag:Ab12', 'a=ice-pwd:0123456789abcdefghijklmn', 'a=ice-options:trickle',
  'a=fingerprint:sha-256 0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0', 'a=setup:actpass'];
/** A Chrome-shaped offer: several codecs with rtx/red/fec, header extensions, SSRC groups, a data channel. */
const BROWSER_OFFER = [
  'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2', 'a=extmap-allow-mixed', 'a=msid-semantic: WMS s1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0', ...ice, 'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level', 'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendrecv', 'a=msid:s1 a1', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2', 'a=rtcp-fb:111 transport-cc', 'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2', 'a=fmtp:63 111/111', 'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000', 'a=rtpmap:126 telephone-event/8000', 'a=ssrc:1111 cname:c', 'a=ssrc:1111 msid:s1 a1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 102 103 116 117', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0', ...ice, 'a=mid:1',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid', 'a=sendrecv', 'a=msid:s1 v1', 'a=rtcp-mux', 'a=rtcp-rsize',
  'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 goog-remb', 'a=rtcp-fb:96 transport-cc', 'a=rtcp-fb:96 ccm fir', 'a=rtcp-fb:96 nack', 'a=rtcp-fb:96 nack pli',
  'a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96', 'a=rtpmap:98 VP9/90000', 'a=fmtp:98 profile-id=0', 'a=rtpmap:99 rtx/90000', 'a=fmtp:99 apt=98',
  'a=rtpmap:102 H264/90000', 'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  'a=rtpmap:103 rtx/90000', 'a=fmtp:103 apt=102', 'a=rtpmap:116 red/90000', 'a=rtpmap:117 ulpfec/90000',
  'a=ssrc-group:FID 2222 3333', 'a=ssrc:2222 cname:c', 'a=ssrc:3333 cname:c',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', ...ice, 'a=mid:2', 'a=sctp-port:5000', 'a=max-message-size:262144', '',
].join('\r\n');

describe('echo peer', () => {
  it('answers a browser offer: every m-line, the caller\'s payload types, loopback candidates only', async () => {
    const { echo, trickled } = peer();
    const answer = await echo.answer(BROWSER_OFFER);
    const m = answer.split('\r\n').filter((l) => l.startsWith('m='));
    expect(m).toEqual([
      expect.stringMatching(/^m=audio 9 UDP\/TLS\/RTP\/SAVPF 111 9 0 8$/),
      expect.stringMatching(/^m=video 9 UDP\/TLS\/RTP\/SAVPF 96 98 102$/),
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    ]);
    expect(answer.match(/a=sendrecv/g)).toHaveLength(2);
    const candidates = answer.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) expect(c.split(' ')[4]).toBe(BIND);
    expect(answer).toContain('a=setup:active');
    expect(trickled).toEqual([]); // all in the answer
    const j = sdpToJingleModel(answer, { role: 'responder', action: 'session-accept', sid: 's' });
    expect(j.contents.map((c) => c.name)).toEqual(['0', '1', '2']);
  });

  it('refuses a bind that is not an IP address', () => {
    expect(() => createEchoPeer({ bind: 'localhost', onCandidate: () => undefined, onState: () => undefined })).toThrow(/bind must be an IP address/);
  });

  it('sends a caller\'s RTP back unchanged, following a codec switch, and echoes data channel messages', async () => {
    const { echo, states } = peer();
    const caller = new RTCPeerConnection({ iceServers: [], iceInterfaceAddresses: { udp4: BIND }, iceAdditionalHostAddresses: [BIND], iceUseIpv6: false });
    open.push(caller);
    const audio = new MediaStreamTrack({ kind: 'audio' });
    const video = new MediaStreamTrack({ kind: 'video' });
    const audioT = caller.addTransceiver(audio, { direction: 'sendrecv' });
    caller.addTransceiver(video, { direction: 'sendrecv' });
    const channel = caller.createDataChannel('echo');
    const back: { kind: string; pt: number; payload: string }[] = [];
    caller.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((rtp) => back.push({ kind: t.kind, pt: rtp.header.payloadType, payload: rtp.payload.toString() })));
    await caller.setLocalDescription(await caller.createOffer());
    const answer = await echo.answer(caller.localDescription?.sdp ?? '');
    await caller.setRemoteDescription({ type: 'answer', sdp: answer });
    const t0 = Date.now();
    await caller.connectionStateChange.watch((s) => s === 'connected', 10_000);
    const connectedMs = Date.now() - t0;
    await channel.stateChanged.watch((s) => s === 'open', 10_000);
    const messages: string[] = [];
    channel.onMessage.subscribe((m) => messages.push(String(m)));
    channel.send('hello echo');

    const send = (track: MediaStreamTrack, i: number, pt: number) => track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: pt, sequenceNumber: i, timestamp: i * 960, ssrc: 1, marker: true }), Buffer.from(`${track.kind}-${i}`)));
    const opus = audioT.sender.codec!.payloadType;
    for (let i = 1; i <= 20; i++) {
      if (i === 11) audioT.sender.codec = audioT.codecs.find((c) => c.mimeType.toLowerCase() === 'audio/pcmu')!;
      send(audio, i, 0);
      send(video, i, 0);
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 300));
    console.info(`echo peer: connected in ${connectedMs} ms, ${back.length} of 40 packets back, echoed ${JSON.stringify(echo.echoed)}`);
    expect(states).toContain('connected');
    expect(messages).toEqual(['hello echo']);
    const audioBack = back.filter((b) => b.kind === 'audio');
    expect(audioBack.length).toBeGreaterThanOrEqual(18);
    expect(audioBack.find((b) => b.payload === 'audio-5')?.pt).toBe(opus);
    expect(audioBack.find((b) => b.payload === 'audio-15')?.pt).toBe(0);
    expect(back.filter((b) => b.kind === 'video').map((b) => b.payload)).toContain('video-20');
    expect(echo.echoed.packets).toBeGreaterThanOrEqual(36);
    expect(echo.echoed.messages).toBe(1);
  });
});
