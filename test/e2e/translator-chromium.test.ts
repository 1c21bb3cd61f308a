// Round-trip contract (DESIGN.md, "The translator"): for every captured browser SDP,
// SDP -> Jingle XML text -> SDP must still be accepted by setRemoteDescription in a real Chromium.
// Each fixture is also checked unmodified, as a control: if the control passes and the round trip
// fails, the translator broke something Chromium needs.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseXml } from 'ltx';
import { jingleToSdp, sdpToJingle } from '../../schemas/index.ts';
import { acceptsRemoteDescription, launchBrowserPage, type Acceptance, type BrowserPage } from '../harness/chromium.ts';

// The fixtures live in the shared folder beside the repository (read-only).
const FIXTURES = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const files = readdirSync(fileURLToPath(FIXTURES)).filter((f) => f.endsWith('.sdp')).sort();
const read = (file: string): string => readFileSync(new URL(file, FIXTURES), 'utf8');

type Kind = 'offer' | 'answer';
function kindOf(file: string): Kind | undefined {
  if (file.endsWith('-offer.sdp')) return 'offer';
  if (file.endsWith('-answer.sdp')) return 'answer';
  return undefined;
}

/** SDP -> Jingle element -> XML text -> parsed element -> SDP, as a peer across XMPP would see it. */
function roundTrip(sdp: string, kind: Kind): string {
  // The role is that of the party that wrote the description: the offerer initiated the session.
  const role = kind === 'offer' ? 'initiator' : 'responder';
  const action = kind === 'offer' ? 'session-initiate' : 'session-accept';
  const xml = sdpToJingle(sdp, { role, action, sid: 'e2e-round-trip' }).toString();
  return jingleToSdp(parseXml(xml), { role });
}

let chrome: BrowserPage;
beforeAll(async () => { chrome = await launchBrowserPage(); });
afterAll(async () => { await chrome?.close(); });

/** setRemoteDescription in Chromium; an answer is checked against pc1 holding `offer`. */
async function accepts(sdp: string, kind: Kind, offer?: string): Promise<Acceptance> {
  // livePage(): a renderer crash on one bad SDP must not fail the checks after it.
  return acceptsRemoteDescription(await chrome.livePage(), sdp, kind, offer);
}

it('finds the SDP fixtures', () => {
  expect(files.filter((f) => kindOf(f) === 'offer').length).toBeGreaterThan(0);
  expect(files.filter((f) => kindOf(f) === 'answer').length).toBeGreaterThan(0);
  // Every file is an offer or an answer, and every answer has the offer it answered.
  for (const f of files) {
    expect(kindOf(f), f).toBeDefined();
    if (kindOf(f) === 'answer') expect(files, f).toContain(f.replace(/-answer\.sdp$/, '-offer.sdp'));
  }
});

describe.each(files.filter((f) => kindOf(f) === 'offer'))('%s as a remote offer', (file) => {
  const sdp = read(file);
  it('original is accepted (control)', async () => {
    expect(await accepts(sdp, 'offer')).toEqual({ ok: true });
  });
  it('round trip through Jingle is accepted', async () => {
    expect(await accepts(roundTrip(sdp, 'offer'), 'offer')).toEqual({ ok: true });
  });
});

describe.each(files.filter((f) => kindOf(f) === 'answer'))('%s as a remote answer', (file) => {
  const answer = read(file);
  const offer = read(file.replace(/-answer\.sdp$/, '-offer.sdp'));
  it('original is accepted against the original offer (control)', async () => {
    expect(await accepts(answer, 'answer', offer)).toEqual({ ok: true });
  });
  it('round trip through Jingle is accepted against the round-tripped offer', async () => {
    // Both sides crossed XMPP: pc1's offer is the translated offer, too.
    expect(await accepts(roundTrip(answer, 'answer'), 'answer', roundTrip(offer, 'offer'))).toEqual({ ok: true });
  });
});
