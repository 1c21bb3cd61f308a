/**
 * The round-trip contract of DESIGN.md ("The translator"): for every captured browser SDP,
 * SDP -> Jingle -> XML text -> Jingle -> SDP means the same to a WebRTC peer, judged by the
 * independent oracle in test/harness/sdp-semantics.ts. Also direction vs. role, and trickle ICE.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { describe, expect, it } from 'vitest';
import {
  NS, TranslateError, candidatesToTransportInfo, jingleToSdp, parseXml, sdpToJingle, serializeXml,
  transportInfoToCandidates, type Role,
} from '../../schemas/index.ts';
import { semanticCandidate, semanticSdp } from '../harness/sdp-semantics.ts';

const DIR = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const FILES = readdirSync(DIR).sort();
const SDP_FIXTURES = FILES.filter((f) => f.endsWith('.sdp'));
const CANDIDATE_FIXTURES = FILES.filter((f) => f.endsWith('.candidates'));

const read = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');
const lines = (name: string): string[] => read(name).split(/\r?\n/).filter((l) => l.trim() !== '');

/** Offers are written by the initiator (session-initiate), answers by the responder (session-accept). */
function roleOf(name: string): { role: Role; action: 'session-initiate' | 'session-accept' } {
  if (/-offer\.sdp$/.test(name)) return { role: 'initiator', action: 'session-initiate' };
  if (/-answer\.sdp$/.test(name)) return { role: 'responder', action: 'session-accept' };
  throw new Error(`fixture ${name} is neither an offer nor an answer`);
}

/** SDP -> Jingle, through XML text, as it travels between two XMPP clients. */
function toWire(sdp: string, role: Role, action: 'session-initiate' | 'session-accept'): Element {
  return parseXml(serializeXml(sdpToJingle(sdp, { role, action, sid: 'roundtrip' })));
}

function roundTrip(sdp: string, role: Role, action: 'session-initiate' | 'session-accept'): string {
  return jingleToSdp(toWire(sdp, role, action), { role });
}

function sendersOf(jingle: Element): (string | undefined)[] {
  return jingle.getChildren('content', NS.jingle).map((c) => c.attrs.senders as string | undefined);
}

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('SDP -> Jingle -> XML -> Jingle -> SDP', () => {
  it('finds the fixtures', () => {
    expect(SDP_FIXTURES.length).toBeGreaterThanOrEqual(16);
    expect(CANDIDATE_FIXTURES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(SDP_FIXTURES)('%s round-trips semantically', (name) => {
    const sdp = read(name);
    const { role, action } = roleOf(name);
    const wire = toWire(sdp, role, action);
    expect(wire.attrs.action).toBe(action);
    const before = semanticSdp(sdp);
    expect(before.media.length).toBeGreaterThan(0);
    expect(semanticSdp(jingleToSdp(wire, { role }))).toEqual(before);
  });
});

/** Attributes the fixtures lack but browsers and XMPP clients write: each added to a fixture must round-trip too. */
const atMid0 = (line: string) => (s: string): string => s.replace(/^(a=mid:0\r?\n)/m, `$1${line}\r\n`);
const atSession = (line: string) => (s: string): string => s.replace(/^(t=.*\r?\n)/m, `$1${line}\r\n`);
const VARIANTS: { name: string; fixture: string; mutate: (sdp: string) => string }[] = [
  { name: 'ptime and maxptime', fixture: 'chromium-audio-offer.sdp', mutate: atMid0('a=ptime:20\r\na=maxptime:120') },
  { name: 'b=AS on an m-line', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace(/^(c=.*\r?\n)/m, '$1b=AS:64\r\n') },
  { name: 'rtcp-fb:* and trr-int', fixture: 'chromium-audio-offer.sdp', mutate: atMid0('a=rtcp-fb:* nack\r\na=rtcp-fb:111 trr-int 100') },
  { name: 'a sendonly header extension', fixture: 'chromium-audio-answer.sdp', mutate: (s) => s.replace(/^a=extmap:1 /m, 'a=extmap:1/sendonly ') },
  { name: 'a srflx candidate with raddr/rport and network-cost', fixture: 'chromium-audio-offer.sdp', mutate: atMid0('a=candidate:7 1 udp 1686052607 203.0.113.5 50000 typ srflx raddr 192.0.2.2 rport 40000 generation 0 network-id 1 network-cost 10') },
  { name: 'rid and simulcast', fixture: 'chromium-audio-video-offer.sdp', mutate: (s) => s.replace(/^(a=mid:1\r?\n)/m, '$1a=rid:h send\r\na=rid:l send max-width=320\r\na=simulcast:send h;l\r\n') },
  { name: 'bundle-only with port 0', fixture: 'chromium-audio-video-offer.sdp', mutate: (s) => s.replace(/^m=video \d+/m, 'm=video 0').replace(/^(a=mid:1\r?\n)/m, '$1a=bundle-only\r\n') },
  { name: 'a rejected m-line', fixture: 'chromium-audio-video-answer.sdp', mutate: (s) => s.replace(/^m=video \d+/m, 'm=video 0') },
  { name: 'session-level a=ice-lite (as Jitsi Videobridge writes)', fixture: 'chromium-audio-answer.sdp', mutate: atSession('a=ice-lite') },
];

/** Each row changes one thing a peer acts on; the oracle must see it (else it proves nothing). */
const MUTATIONS: { name: string; fixture: string; mutate: (sdp: string) => string }[] = [
  { name: 'drop an rtcp-fb line', fixture: 'chromium-audio-video-offer.sdp', mutate: (s) => s.replace(/^a=rtcp-fb:96 nack pli\r?\n/m, '') },
  { name: 'flip a=sendonly to recvonly', fixture: 'chromium-recvonly-video-answer.sdp', mutate: (s) => s.replace('a=sendonly', 'a=recvonly') },
  { name: 'change a candidate port', fixture: 'chromium-audio-video-offer.sdp', mutate: (s) => s.replace(/^(a=candidate:\S+ \d+ \S+ \d+ \S+ )(\d+)/m, (_, a: string, p: string) => `${a}${Number(p) + 1}`) },
  { name: 'drop an ssrc attribute', fixture: 'chromium-audio-video-offer.sdp', mutate: (s) => s.replace(/^a=ssrc:\d+ cname:.*\r?\n/m, '') },
  { name: 'reorder two payload types', fixture: 'chromium-audio-video-offer.sdp', mutate: (s) => s.replace(/^(m=audio \d+ \S+) 111 63 /m, '$1 63 111 ') },
  { name: 'change an fmtp value', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace('useinbandfec=1', 'useinbandfec=0') },
  { name: 'drop a=rtcp-xr (no sdp-transform grammar)', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace(/^a=rtcp-xr:.*\r?\n/m, '') },
  { name: 'add a second ice-option', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace('a=ice-options:trickle', 'a=ice-options:trickle renomination') },
  { name: 'add a second fingerprint', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace(/^(a=fingerprint:.*\r?\n)/m, '$1a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\r\n') },
  { name: 'add a candidate extension', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace(/^(a=candidate:.*network-id 1)/m, '$1 network-cost 50') },
  { name: 'drop a=end-of-candidates', fixture: 'firefox-audio-offer.sdp', mutate: (s) => s.replace(/^a=end-of-candidates\r?\n/m, '') },
  { name: 'flip the session-level direction Firefox writes', fixture: 'firefox-audio-offer.sdp', mutate: (s) => s.replace(/^a=sendrecv\r?\n/gm, '').replace(/^(t=.*\r?\n)/m, '$1a=sendonly\r\n') },
  { name: 'change the sctp-port', fixture: 'chromium-data-offer.sdp', mutate: (s) => s.replace('a=sctp-port:5000', 'a=sctp-port:5001') },
  { name: 'reject an m-line (port 0)', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace(/^m=audio \d+/m, 'm=audio 0') },
];

/** Each row rewrites without changing the meaning; the oracle must not see it (else round trips fail spuriously). */
const EQUIVALENTS: { name: string; fixture: string; mutate: (sdp: string) => string }[] = [
  { name: 'codec name case', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace('opus/48000/2', 'OPUS/48000/2') },
  { name: 'rtcp-fb line order', fixture: 'chromium-audio-video-offer.sdp', mutate: (s) => s.replace(/^(a=rtcp-fb:96 nack\r?\n)(a=rtcp-fb:96 nack pli\r?\n)/m, '$2$1') },
  { name: 'generation 0 left out', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace(/ generation 0/g, '') },
  { name: 'port and c= of a live m-line', fixture: 'chromium-audio-offer.sdp', mutate: (s) => s.replace(/^m=audio \d+/m, 'm=audio 9').replace(/^c=.*$/m, 'c=IN IP4 0.0.0.0') },
  {
    name: 'ice-ufrag/pwd and fingerprint moved to session level',
    fixture: 'chromium-audio-offer.sdp',
    mutate: (s) => {
      const moved = s.match(/^a=(ice-ufrag|ice-pwd|fingerprint):.*\r?\n/gm) ?? [];
      return moved.reduce((t, l) => t.replace(l, ''), s).replace(/^(t=.*\r?\n)/m, `$1${moved.join('')}`);
    },
  },
];

describe('round trip of attributes the fixtures lack', () => {
  it.each(VARIANTS)('$name', ({ fixture, mutate }) => {
    const sdp = mutate(read(fixture));
    expect(sdp).not.toBe(read(fixture));
    const { role, action } = roleOf(fixture);
    expect(semanticSdp(roundTrip(sdp, role, action))).toEqual(semanticSdp(sdp));
  });
});

describe('the oracle', () => {
  it.each(MUTATIONS)('sees: $name', ({ fixture, mutate }) => {
    const sdp = read(fixture);
    const changed = mutate(sdp);
    expect(changed).not.toBe(sdp);
    expect(semanticSdp(changed)).not.toEqual(semanticSdp(sdp));
  });

  it.each(EQUIVALENTS)('ignores: $name', ({ fixture, mutate }) => {
    const sdp = read(fixture);
    const changed = mutate(sdp);
    expect(changed).not.toBe(sdp);
    expect(semanticSdp(changed)).toEqual(semanticSdp(sdp));
  });
});

describe('direction is relative to the role of the writer (XEP-0166 senders)', () => {
  const offer = read('chromium-recvonly-video-offer.sdp');
  const answer = read('chromium-recvonly-video-answer.sdp');

  it('an offer from the initiator with a=recvonly is senders=responder', () => {
    expect(semanticSdp(offer).media.map((m) => m.direction)).toEqual(['recvonly', 'recvonly']);
    expect(sendersOf(toWire(offer, 'initiator', 'session-initiate'))).toEqual(['responder', 'responder']);
  });

  it('an answer from the responder with a=sendonly is senders=responder', () => {
    expect(semanticSdp(answer).media.map((m) => m.direction)).toEqual(['sendonly', 'sendonly']);
    expect(sendersOf(toWire(answer, 'responder', 'session-accept'))).toEqual(['responder', 'responder']);
  });

  it('translating the offer with the wrong role gives the opposite direction back', () => {
    const wrong = toWire(offer, 'responder', 'session-initiate');
    expect(sendersOf(wrong)).toEqual(['initiator', 'initiator']);
    const back = semanticSdp(jingleToSdp(wrong, { role: 'initiator' }));
    expect(back.media.map((m) => m.direction)).toEqual(['sendonly', 'sendonly']);
    expect(back).not.toEqual(semanticSdp(roundTrip(offer, 'initiator', 'session-initiate')));
  });
});

describe('trickle ICE: candidate line -> transport-info -> candidate line', () => {
  it.each(CANDIDATE_FIXTURES)('every line of %s comes back with its ufrag', (name) => {
    const all = lines(name);
    expect(all.length).toBeGreaterThan(0);
    for (const line of all) {
      const sent = semanticCandidate(line);
      expect(sent.ufrag, line).toBeDefined();
      const wire = parseXml(serializeXml(candidatesToTransportInfo([{ candidate: line, sdpMid: '0' }], { sid: 'trickle' })));
      expect(wire.attrs.action).toBe('transport-info');
      const transport = wire.getChild('content', NS.jingle)?.getChild('transport', NS.iceUdp);
      expect(transport?.attrs.ufrag, line).toBe(sent.ufrag);
      const back = transportInfoToCandidates(wire);
      expect(back, line).toHaveLength(1);
      const [init] = back;
      expect(init?.sdpMid).toBe('0');
      expect(init?.usernameFragment).toBe(sent.ufrag);
      expect(semanticCandidate(init?.candidate ?? ''), line).toEqual(sent);
    }
  });

  it('an empty candidate (end-of-candidates) comes back empty', () => {
    const wire = parseXml(serializeXml(candidatesToTransportInfo([{ candidate: '', sdpMid: '0' }], { sid: 'trickle' })));
    expect(transportInfoToCandidates(wire)).toEqual([{ candidate: '', sdpMid: '0' }]);
  });

  describe('ICE restart: candidates of two ufrags for one mid', () => {
    const all = lines('chromium-audio-video-offer.candidates');
    const first = all.find((l) => semanticCandidate(l).generation === 0) ?? '';
    const restarted = all.find((l) => semanticCandidate(l).ufrag !== semanticCandidate(first).ufrag) ?? '';

    it('the fixture holds two ufrags', () => {
      expect(first).not.toBe('');
      expect(restarted).not.toBe('');
    });

    it('in one call is an invalid-value TranslateError', () => {
      const e = errorOf(() => candidatesToTransportInfo([{ candidate: first, sdpMid: '0' }, { candidate: restarted, sdpMid: '0' }], { sid: 'restart' }));
      expect(e).toBeInstanceOf(TranslateError);
      expect((e as TranslateError).condition).toBe('invalid-value');
    });

    it('in two calls is two transport-infos with different transport ufrags', () => {
      const infos = [first, restarted].map((candidate) => parseXml(serializeXml(candidatesToTransportInfo([{ candidate, sdpMid: '0' }], { sid: 'restart' }))));
      const ufrags = infos.map((j) => j.getChild('content', NS.jingle)?.getChild('transport', NS.iceUdp)?.attrs.ufrag as string | undefined);
      expect(ufrags).toEqual([semanticCandidate(first).ufrag, semanticCandidate(restarted).ufrag]);
      expect(ufrags[0]).not.toBe(ufrags[1]);
      expect(infos.map((j) => transportInfoToCandidates(j)[0]?.usernameFragment)).toEqual(ufrags);
    });
  });
});
