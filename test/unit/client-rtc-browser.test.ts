// The browser MediaSession (client/rtc/browser.ts) over a scripted RTCPeerConnection: what it applies,
// in which order, with which certificate. The real browsers are in test/e2e/client-call.test.ts and client-firefox.test.ts.
import { describe, expect, it } from 'vitest';
import { createBrowserMediaSession } from '../../client/rtc/browser.ts';
import { CertificatePool } from '../../client/rtc/certificates.ts';
import type { MediaSession } from '../../client/rtc/media-session.ts';
import { ScriptedPeerConnection, withMediaStream } from './client-rtc-scripted.fixture.ts';

withMediaStream();

function session(): { media: MediaSession; pc: ScriptedPeerConnection } {
  const pc = new ScriptedPeerConnection();
  const media = createBrowserMediaSession({ media: { audio: true, video: true }, iceServers: [] }, {
    getUserMedia: () => Promise.reject(new Error('no devices in this test')),
    createPeerConnection: () => pc as unknown as RTCPeerConnection,
  });
  return { media, pc };
}

describe('browser MediaSession: ICE restart', () => {
  it('applies its restart offer only together with the answer, so the new ICE session never sees the old remote credentials', async () => {
    const { media, pc } = session();
    await media.createOffer();
    await media.setAnswer('answer-1');
    pc.calls.length = 0;

    const offer = await media.restartIce();
    expect(offer).toBe('offer-2-restart');
    expect(media.stable).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(pc.calls).toEqual(['restartIce', 'createOffer offer-2-restart']);

    await media.setAnswer('answer-2');
    expect(pc.calls.slice(2)).toEqual(['setLocalDescription offer offer-2-restart', 'setRemoteDescription answer answer-2']);
    expect(media.stable).toBe(true);
  });

  it("drops its unapplied restart offer when the peer's offer crosses it", async () => {
    const { media, pc } = session();
    await media.createOffer();
    await media.setAnswer('answer-1');
    await media.restartIce();
    pc.calls.length = 0;

    await media.acceptOffer('peer-restart-offer');
    expect(pc.calls).toEqual(['setRemoteDescription offer peer-restart-offer', 'setLocalDescription answer answer']);
    expect(media.stable).toBe(true);
    // A later answer of ours must not bring the dropped offer back.
    pc.calls.length = 0;
    await media.restartIce();
    await media.setAnswer('answer-3');
    expect(pc.calls.filter((c) => c.startsWith('setLocalDescription'))).toEqual(['setLocalDescription offer offer-3-restart']);
  });
});

// Firefox 153 with max-bundle and rtcpMuxPolicy 'require', as captured in test/e2e (its first offer).
const FIREFOX_RTP = 'candidate:0 1 UDP 2122187007 192.0.2.2 54783 typ host';
const FIREFOX_RTCP = 'candidate:0 2 UDP 2122187006 192.0.2.2 59566 typ host';
const FIREFOX_RTCP_TCP = 'candidate:2 2 TCP 2105458942 192.0.2.2 9 typ host tcptype active';

describe('browser MediaSession: RTCP candidates', () => {
  it('trickles no component-2 candidate: rtcp-mux is required, they could never be used', async () => {
    const { media, pc } = session();
    const trickled: string[] = [];
    media.on('localCandidate', (c) => trickled.push(c.candidate));
    await media.createOffer();
    for (const c of [FIREFOX_RTP, FIREFOX_RTCP, FIREFOX_RTCP_TCP, '', null]) pc.gather(c);
    expect(trickled).toEqual([FIREFOX_RTP, '']);
  });

  it('leaves them out of the local description it gives for session-initiate', async () => {
    const { media, pc } = session();
    await media.createOffer();
    pc.localDescription = {
      type: 'offer',
      sdp: ['v=0', 'm=audio 54783 UDP/TLS/RTP/SAVPF 109', `a=${FIREFOX_RTP}`, `a=${FIREFOX_RTCP}`, `a=${FIREFOX_RTCP_TCP}`, 'a=end-of-candidates', 'a=rtcp-mux', ''].join('\r\n'),
    };
    expect(media.localDescription()).toBe(['v=0', 'm=audio 54783 UDP/TLS/RTP/SAVPF 109', `a=${FIREFOX_RTP}`, 'a=end-of-candidates', 'a=rtcp-mux', ''].join('\r\n'));
  });
});

describe('browser MediaSession: DTLS certificates made ahead', () => {
  const cert = (expires: number) => ({ expires, getFingerprints: () => [] }) as unknown as RTCCertificate;

  it('each connection takes the certificate made ahead (none is used twice), and the next one is made at once', async () => {
    let made = 0;
    const pool = new CertificatePool(async () => cert(Date.now() + 30 * 86_400_000 + ++made));
    pool.fill();
    await new Promise((r) => setTimeout(r, 0));
    const configs: RTCConfiguration[] = [];
    const open = () => createBrowserMediaSession({ media: { audio: true, video: false }, iceServers: [] }, {
      getUserMedia: () => Promise.reject(new Error('no devices in this test')),
      createPeerConnection: (config) => {
        configs.push(config);
        return new ScriptedPeerConnection() as unknown as RTCPeerConnection;
      },
      certificates: pool,
    });
    open();
    open(); // before the next one is made: this connection makes its own
    await new Promise((r) => setTimeout(r, 0));
    open();
    expect(configs.map((c) => c.certificates?.length ?? 0)).toEqual([1, 0, 1]);
    expect(configs[0]!.certificates![0]).not.toBe(configs[2]!.certificates![0]);
    expect(made).toBe(3);
    expect(configs.every((c) => c.iceCandidatePoolSize === 1)).toBe(true);
  });

  it('never hands out a certificate about to expire, nor fails a call when none can be made', async () => {
    const soon = new CertificatePool(async () => cert(Date.now() + 3_600_000));
    soon.fill();
    await new Promise((r) => setTimeout(r, 0));
    expect(soon.take()).toBeUndefined();
    const broken = new CertificatePool(() => Promise.reject(new Error('no crypto')));
    broken.fill();
    await new Promise((r) => setTimeout(r, 0));
    expect(broken.take()).toBeUndefined();
  });
});
