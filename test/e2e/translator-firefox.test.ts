// Round-trip contract in Firefox (DESIGN.md, "The translator"): every captured browser SDP, Chromium's
// and Firefox's, SDP -> Jingle XML text -> SDP, must be accepted by Firefox's setRemoteDescription,
// and an offer answered. Each fixture is also checked unmodified, as a control: if the control passes
// and the round trip fails, the translator lost something Firefox needs.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseXml } from 'ltx';
import { jingleToSdp, sdpToJingle } from '../../schemas/index.ts';
import { closeAndFindSurvivors, firefoxAccepts, launchFirefox, type FirefoxBrowser } from '../harness/firefox.ts';

const FIXTURES = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const files = readdirSync(fileURLToPath(FIXTURES)).filter((f) => f.endsWith('.sdp')).sort();
const read = (file: string): string => readFileSync(new URL(file, FIXTURES), 'utf8');

type Kind = 'offer' | 'answer';
const kindOf = (file: string): Kind | undefined =>
  file.endsWith('-offer.sdp') ? 'offer' : file.endsWith('-answer.sdp') ? 'answer' : undefined;

/** SDP -> Jingle element -> XML text -> parsed element -> SDP, as a peer across XMPP would see it. */
function roundTrip(sdp: string, kind: Kind): string {
  const role = kind === 'offer' ? 'initiator' : 'responder';
  const action = kind === 'offer' ? 'session-initiate' : 'session-accept';
  const xml = sdpToJingle(sdp, { role, action, sid: 'e2e-firefox-round-trip' }).toString();
  return jingleToSdp(parseXml(xml), { role });
}

let ff: FirefoxBrowser;
beforeAll(async () => {
  ff = await launchFirefox();
}, 60_000);
afterAll(async () => {
  await ff?.close();
});

it('finds Chromium and Firefox fixtures', () => {
  expect(files.some((f) => f.startsWith('firefox-') && kindOf(f) === 'offer')).toBe(true);
  expect(files.some((f) => f.startsWith('chromium-') && kindOf(f) === 'offer')).toBe(true);
  for (const f of files.filter((f) => kindOf(f) === 'answer')) expect(files, f).toContain(f.replace(/-answer\.sdp$/, '-offer.sdp'));
});

describe.each(files.filter((f) => kindOf(f) === 'offer'))('%s as a remote offer in Firefox', (file) => {
  const sdp = read(file);
  it('original is accepted and answered (control)', async () => {
    expect(await firefoxAccepts(ff.page, sdp, 'offer')).toEqual({ ok: true });
  });
  it('round trip through Jingle is accepted and answered', async () => {
    expect(await firefoxAccepts(ff.page, roundTrip(sdp, 'offer'), 'offer')).toEqual({ ok: true });
  });
});

describe.each(files.filter((f) => kindOf(f) === 'answer'))('%s as a remote answer in Firefox', (file) => {
  const answer = read(file);
  const offer = read(file.replace(/-answer\.sdp$/, '-offer.sdp'));
  it('original is accepted against the original offer (control)', async () => {
    expect(await firefoxAccepts(ff.page, answer, 'answer', offer)).toEqual({ ok: true });
  });
  it('round trip through Jingle is accepted against the round-tripped offer', async () => {
    expect(await firefoxAccepts(ff.page, roundTrip(answer, 'answer'), 'answer', roundTrip(offer, 'offer'))).toEqual({ ok: true });
  });
});

// The fixtures were captured with the default bundle policy; our client asks for max-bundle, where
// Firefox writes `m=video 0` with `a=bundle-only` (port 0 there is not a rejected m-line), trickles
// component-2 candidates and ends with `a=end-of-candidates`. A live offer of that shape, both ways.
describe("Firefox's own max-bundle offer, live", () => {
  type W = { pcs: RTCPeerConnection[] };
  it('round-trips as an offer another Firefox answers, and that answer round-trips back', async () => {
    const offer = await ff.page.evaluate(async () => {
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
      (window as unknown as W).pcs = [pc];
      pc.addTransceiver('audio', { direction: 'sendrecv' });
      pc.addTransceiver('video', { direction: 'sendrecv' });
      const gathered = new Promise<void>((ok) => { pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') ok(); }); });
      await pc.setLocalDescription();
      await gathered;
      return pc.localDescription?.sdp ?? '';
    });
    expect(offer).toMatch(/^m=video 0 /m);
    expect(offer).toContain('a=bundle-only');
    const crossed = roundTrip(offer, 'offer');
    expect(crossed).toMatch(/^m=video 0 [^\r\n]*\r?\n(?:[^m][^\r\n]*\r?\n)*a=bundle-only/m);
    const answer = await ff.page.evaluate(async (sdp: string) => {
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      (window as unknown as W).pcs.push(pc);
      await pc.setRemoteDescription({ type: 'offer', sdp });
      for (const t of pc.getTransceivers()) t.direction = 'sendrecv';
      await pc.setLocalDescription();
      return pc.localDescription?.sdp ?? '';
    }, crossed);
    expect(answer).toMatch(/^m=video [1-9]/m);
    const result = await ff.page.evaluate(async (sdp: string) => {
      const [pc1, pc2] = (window as unknown as W).pcs;
      try {
        await pc1?.setRemoteDescription({ type: 'answer', sdp });
        return pc1?.signalingState ?? 'none';
      } catch (err) {
        return `refused: ${String(err)}`;
      } finally {
        pc1?.close();
        pc2?.close();
      }
    }, roundTrip(answer, 'answer'));
    expect(result).toBe('stable');
  });
});

describe('shutdown', () => {
  it('leaves no Firefox process behind', async () => {
    const { before, alive } = await closeAndFindSurvivors(ff);
    expect(before.length, 'the launcher, the main and the content processes').toBeGreaterThan(2);
    expect(alive).toEqual([]);
  });
});
