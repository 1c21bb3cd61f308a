// The browser MediaSession (client/rtc/browser.ts) over a scripted RTCPeerConnection: what it applies,
// in which order. The real browsers are in test/e2e/client-call.test.ts and client-firefox.test.ts.
import { describe, expect, it } from 'vitest';
import { createBrowserMediaSession } from '../../client/rtc/browser.ts';
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
