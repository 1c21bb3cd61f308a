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

// ---- Jingle as other stacks send it, repaired or rejected so Chromium takes it (issue 10) ----

const CORPUS = new URL('../fixtures/jingle/', import.meta.url);
const corpusJingle = (name: string): string => {
  const root = parseXml(readFileSync(new URL(name, CORPUS), 'utf8'));
  return (root.name === 'jingle' ? root : root.getChild('jingle')!).toString();
};

interface OfferAnswer { ok: boolean; error?: string; answer?: string }

/** Chromium takes `offer` as remote offer and answers it. */
async function answerOf(offer: string): Promise<OfferAnswer> {
  const page = await chrome.livePage();
  return page.evaluate(async (sdp: string): Promise<OfferAnswer> => {
    const pc = new RTCPeerConnection();
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      await pc.setLocalDescription();
      return { ok: true, answer: pc.localDescription!.sdp };
    } catch (err) {
      return { ok: false, error: String(err) };
    } finally {
      pc.close();
    }
  }, offer);
}

describe("Movim's offer with its data channel as an RTP description without payload types", () => {
  it('becomes a rejected m=application Chromium accepts; its answer rejects it, BUNDLE stays valid, and survives Jingle', async () => {
    const offer = jingleToSdp(parseXml(corpusJingle('movim-audio-video-data-session-initiate.xml')), { role: 'initiator' });
    expect(offer).toMatch(/^m=application 0 /m);
    const r = await answerOf(offer);
    expect(r.error).toBeUndefined();
    const answer = r.answer!;
    expect(answer).toMatch(/^m=application 0 [^\r\n]*\r\n(?:[^m][^\r\n]*\r\n)*a=mid:2\r\n/m);
    expect(/^a=group:BUNDLE (.*)$/m.exec(answer)?.[1]).toBe('0 1');
    // The answer crosses XMPP as our session-accept and back; Chromium (as the offerer) takes it.
    const back = roundTrip(answer, 'answer');
    expect(back).toMatch(/^m=application 0 /m);
    expect(await accepts(back, 'answer', offer)).toEqual({ ok: true });
  });
});

describe("StanzaJS's answer whose FID group names an RTX SSRC without a <source/>", () => {
  it('is repaired (the member gets its primary cname) and Chromium accepts it; unrepaired it refuses', async () => {
    const page = await chrome.livePage();
    // pc1 offers video; pc2 answers with a sending transceiver, so its answer has an FID group.
    const pair = await page.evaluate(async () => {
      const pc1 = new RTCPeerConnection();
      const pc2 = new RTCPeerConnection();
      pc1.addTransceiver('video');
      await pc1.setLocalDescription();
      await pc2.setRemoteDescription(pc1.localDescription!);
      pc2.getTransceivers()[0]!.direction = 'sendrecv';
      const canvas = document.createElement('canvas');
      await pc2.getTransceivers()[0]!.sender.replaceTrack(canvas.captureStream().getVideoTracks()[0]!);
      await pc2.setLocalDescription();
      const r = { offer: pc1.localDescription!.sdp, answer: pc2.localDescription!.sdp };
      pc1.close(); pc2.close();
      return r;
    });
    const group = /^a=ssrc-group:FID (\d+) (\d+)$/m.exec(pair.answer);
    expect(group, pair.answer).not.toBeNull();
    const rtx = group![2]!;
    // As StanzaJS sends it: the group names the RTX SSRC, no <source> for it.
    const xml = sdpToJingle(pair.answer, { role: 'responder', sid: 'stanzajs-fid' }).toString()
      .replace(new RegExp(`<source xmlns="urn:xmpp:jingle:apps:rtp:ssma:0" ssrc="${rtx}">.*?</source>`), '');
    expect(xml).not.toContain(`ssrc="${rtx}"><parameter`);
    const repaired = jingleToSdp(parseXml(xml), { role: 'responder' });
    expect(repaired).toMatch(new RegExp(`^a=ssrc:${rtx} cname:`, 'm'));
    expect(await accepts(repaired, 'answer', pair.offer)).toEqual({ ok: true });
    const unrepaired = repaired.replace(new RegExp(`^a=ssrc:${rtx} .*\\r\\n`, 'gm'), '');
    expect(await accepts(unrepaired, 'answer', pair.offer)).toMatchObject({ ok: false, error: expect.stringMatching(/ssrc/i) });
  });
});

describe('stream ids survive a stack that does not read our namespace', () => {
  it("a Firefox offer's a=msid reaches Chromium's ontrack from XEP-0339 source msid alone", async () => {
    const firefox = read('firefox-audio-video-offer.sdp');
    const expected = [...firefox.matchAll(/^a=msid:(\S+) /gm)].map((m) => m[1]!);
    expect(expected.length).toBeGreaterThan(0);
    // What Conversations or Movim read: no <line>s of ours, no <stream/>: only the XEP-0339 parameters.
    const xml = sdpToJingle(firefox, { role: 'initiator', sid: 'msid' }).toString()
      .replace(/<line xmlns="urn:xmpp:jingle-gateway:sdp:0">[^<]*<\/line>/g, '')
      .replace(/<stream [^>]*\/>/g, '')
      .replace(/ xmlns:gw="[^"]*"| gw:[a-z-]+="[^"]*"/g, '');
    const sdp = jingleToSdp(parseXml(xml), { role: 'initiator' });
    const page = await chrome.livePage();
    const streams = await page.evaluate(async (offer: string) => {
      const pc = new RTCPeerConnection();
      const ids: string[] = [];
      pc.ontrack = (e) => { for (const s of e.streams) ids.push(s.id); };
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      pc.close();
      return ids;
    }, sdp);
    expect(streams.sort()).toEqual(expected.sort());
  });
});
