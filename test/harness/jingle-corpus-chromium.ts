// Chromium as the callee of a corpus session-initiate: the translated offer is set as the remote
// description of a fresh peer connection, which must then make and install its answer.
import type { Page } from 'playwright-core';
import { crashAsRefusal, type Acceptance } from './chromium.ts';

export async function answersRemoteOffer(page: Page, sdp: string): Promise<Acceptance> {
  // The callback runs in the browser: self-contained, no outer variables.
  return page.evaluate(async (offer: string): Promise<Acceptance> => {
    let pc: RTCPeerConnection | undefined;
    try {
      pc = new RTCPeerConnection();
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      // An answer that accepts nothing would be a refusal in disguise.
      if (!/^m=\w+ [1-9]/m.test(pc.localDescription?.sdp ?? '')) return { ok: false, error: 'the answer accepts no m-line' };
      return { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      pc?.close();
    }
  }, sdp).catch(crashAsRefusal);
}
