// Jingle -> SDP for what other stacks really send: no SDP without a usable DTLS fingerprint
// (security-error), one unusable content rejected instead of sinking the session, StanzaJS's FID group
// naming an RTX SSRC without a <source/>, candidates without id or generation.
import { readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { describe, expect, it } from 'vitest';
import { jingleToSdp, parseXml, sdpToJingle, serializeXml, transportInfoToCandidates } from '../../schemas/index.ts';
import { parseSdp } from '../../schemas/sdp/parse.ts';

const FP = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0')).join(':');
const ICE = "ufrag='abcd' pwd='abcdefghijklmnopqrstuvwx'";
const PCMU = "<payload-type id='0' name='PCMU' clockrate='8000'/>";
const fingerprint = (attrs: string, value = FP, ns = 'urn:xmpp:jingle:apps:dtls:0'): string => `<fingerprint xmlns='${ns}' ${attrs}>${value}</fingerprint>`;

/** A session-initiate with one audio content per entry: [description children, transport children]. */
function offer(contents: [string, string][], extra = ''): Element {
  const body = contents.map(([d, t], i) => `<content creator='initiator' name='${i}'>`
    + `<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>${d}</description>`
    + `<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ${ICE}>${t}</transport></content>`).join('');
  return parseXml(`<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='r1'>${body}${extra}</jingle>`);
}

const fixture = (name: string): Element => {
  const root = parseXml(readFileSync(new URL(`../fixtures/jingle/${name}`, import.meta.url), 'utf8'));
  return root.name === 'jingle' ? root : (root.getChild('jingle') as Element);
};
const lines = (sdp: string, prefix: string): string[] => sdp.split('\r\n').filter((l) => l.startsWith(prefix));
const securityError = expect.objectContaining({ condition: 'security-error' });

describe('DTLS: a usable fingerprint on every accepted m-line, or security-error', () => {
  it.each([
    ['an unknown hash', fingerprint("hash='sha-999' setup='actpass'"), /unknown fingerprint hash 'sha-999'/],
    ['a value that is no sha-256 digest', fingerprint("hash='sha-256' setup='actpass'", 'AB:CD'), /sha-256 fingerprint is 32 bytes/],
    ['a value that is not hex', fingerprint("hash='sha-256'", 'not a fingerprint'), /hex pairs/],
    ['a namespace we do not know', fingerprint("hash='sha-256'", FP, 'urn:xmpp:jingle:apps:dtls:9'), /namespace 'urn:xmpp:jingle:apps:dtls:9'/],
    ['no fingerprint at all', '', /no DTLS fingerprint/],
  ])('the only fingerprint has %s', (_, fp, why) => {
    const jingle = offer([[PCMU, fp]]);
    expect(() => jingleToSdp(jingle, { role: 'initiator' })).toThrow(securityError);
    expect(() => jingleToSdp(jingle, { role: 'initiator' })).toThrow(why);
  });

  it("<encryption required='1'> with SDES only: security-error that says why", () => {
    const enc = "<encryption required='1'><crypto crypto-suite='AES_CM_128_HMAC_SHA1_80' key-params='inline:x' tag='1'/></encryption>";
    expect(() => jingleToSdp(offer([[`${PCMU}${enc}`, '']]), { role: 'initiator' })).toThrow(/encryption required='1'/);
  });

  it('an unusable fingerprint beside a good one: the good one is used', () => {
    const sdp = jingleToSdp(offer([[PCMU, fingerprint("hash='sha-999'") + fingerprint("hash='sha-256' setup='actpass'")]]), { role: 'initiator' });
    expect(lines(sdp, 'a=fingerprint:')).toEqual([`a=fingerprint:sha-256 ${FP}`]);
    expect(lines(sdp, 'a=setup:')).toEqual(['a=setup:actpass']);
  });

  it('the pre-2013 namespace urn:xmpp:tmp:jingle:apps:dtls:0 is read (never written)', () => {
    const jingle = offer([[PCMU, fingerprint("hash='sha-256' setup='actpass'", FP, 'urn:xmpp:tmp:jingle:apps:dtls:0')]]);
    const sdp = jingleToSdp(jingle, { role: 'initiator' });
    expect(lines(sdp, 'a=fingerprint:')).toEqual([`a=fingerprint:sha-256 ${FP}`]);
    expect(serializeXml(sdpToJingle(sdp, { role: 'initiator' }))).not.toContain(':tmp:');
  });

  it("under BUNDLE, one transport's fingerprint serves every m-line, as browsers use it", () => {
    const group = "<group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'><content name='0'/><content name='1'/></group>";
    const sdp = jingleToSdp(offer([[PCMU, fingerprint("hash='sha-256' setup='actpass'")], [PCMU, '']], group), { role: 'initiator' });
    expect(lines(sdp, 'a=fingerprint:')).toEqual([`a=fingerprint:sha-256 ${FP}`, `a=fingerprint:sha-256 ${FP}`]);
    expect(lines(sdp, 'a=setup:')).toEqual(['a=setup:actpass', 'a=setup:actpass']);
  });

  it("a fingerprint in the description's <encryption>, where StanzaJS also reads it", () => {
    const enc = `<encryption required='1'>${fingerprint("hash='SHA-256' setup='active'")}</encryption>`;
    const sdp = jingleToSdp(offer([[`${PCMU}${enc}`, '']]), { role: 'responder' });
    expect(lines(sdp, 'a=fingerprint:')).toEqual([`a=fingerprint:SHA-256 ${FP}`]);
    expect(lines(sdp, 'a=setup:')).toEqual(['a=setup:active']);
  });
});

describe('one unusable content is rejected, the session goes on', () => {
  it("Movim's data channel, an RTP description without payload types: m=application 0, out of BUNDLE", () => {
    const sdp = jingleToSdp(fixture('movim-audio-video-data-session-initiate.xml'), { role: 'initiator' });
    const s = parseSdp(sdp);
    expect(s.media.map((m) => [m.kind, m.port === 0, m.mid])).toEqual([['audio', false, '0'], ['video', false, '1'], ['application', true, '2']]);
    expect(s.media[2]?.protocol).toBe('UDP/DTLS/SCTP');
    expect(s.groups).toEqual([{ semantics: 'BUNDLE', mids: ['0', '1'] }]);
  });

  it('an unknown description namespace and an unknown transport namespace', () => {
    const xml = `<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='r2'>`
      + `<content creator='initiator' name='a'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>${PCMU}</description>`
      + `<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ${ICE}>${fingerprint("hash='sha-256' setup='actpass'")}</transport></content>`
      + `<content creator='initiator' name='f'><description xmlns='urn:xmpp:jingle:apps:file-transfer:5'/><transport xmlns='urn:xmpp:jingle:transports:ibb:1' sid='x' block-size='4096'/></content>`
      + `<content creator='initiator' name='v'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'>${PCMU}</description><transport xmlns='urn:xmpp:jingle:transports:raw-udp:1'/></content>`
      + `<group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'><content name='a'/><content name='f'/><content name='v'/></group></jingle>`;
    const s = parseSdp(jingleToSdp(parseXml(xml), { role: 'initiator' }));
    expect(s.media.map((m) => `${m.kind} ${m.port} ${m.mid}`)).toEqual(['audio 9 a', 'application 0 f', 'video 0 v']);
    expect(s.groups).toEqual([{ semantics: 'BUNDLE', mids: ['a'] }]);
  });

  it("the browser's answer, with the rejected m=application and no a=sctp-port, translates and comes back", () => {
    const answer = readFileSync(new URL('../../../shared/fixtures/sdp/chromium-audio-answer.sdp', import.meta.url), 'utf8')
      + 'm=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n';
    const back = parseSdp(jingleToSdp(parseXml(serializeXml(sdpToJingle(answer, { role: 'responder' }))), { role: 'responder' }));
    expect(back.media.map((m) => `${m.kind} ${m.port} ${m.mid ?? ''}`).at(-1)).toBe('application 0 2');
    expect(back.groups.find((g) => g.semantics === 'BUNDLE')?.mids).not.toContain('2');
  });
});

describe("StanzaJS's FID group naming an RTX SSRC without a <source/>", () => {
  const SSMA = "xmlns='urn:xmpp:jingle:apps:rtp:ssma:0'";
  const video = `<payload-type id='96' name='VP8' clockrate='90000'/><payload-type id='97' name='rtx' clockrate='90000'><parameter name='apt' value='96'/></payload-type>`
    + `<source ${SSMA} ssrc='3940789929'><parameter name='cname' value='4UOqJGbzZvqYa6Sa'/><parameter name='msid' value='s1 t1'/></source>`
    + `<ssrc-group ${SSMA} semantics='FID'><source ssrc='3940789929'/><source ssrc='1702617682'/></ssrc-group>`;

  it('the member gets the cname and msid of its group primary', () => {
    const sdp = jingleToSdp(offer([[video, fingerprint("hash='sha-256' setup='active'")]]), { role: 'responder' });
    expect(lines(sdp, 'a=ssrc:1702617682')).toEqual(['a=ssrc:1702617682 cname:4UOqJGbzZvqYa6Sa', 'a=ssrc:1702617682 msid:s1 t1']);
    expect(lines(sdp, 'a=ssrc-group:')).toEqual(['a=ssrc-group:FID 3940789929 1702617682']);
  });

  it('sources of our own (complete) groups are left as they are', () => {
    const sdp = readFileSync(new URL('../../../shared/fixtures/sdp/chromium-audio-video-offer.sdp', import.meta.url), 'utf8');
    const back = jingleToSdp(sdpToJingle(sdp, { role: 'initiator' }), { role: 'initiator' });
    expect(lines(back, 'a=ssrc:')).toEqual(lines(sdp, 'a=ssrc:'));
  });
});

describe('candidates without id or generation (StanzaJS, Movim) are read', () => {
  it('a transport-info and a session-initiate with such candidates', () => {
    const cand = "<candidate component='1' foundation='1157651386' ip='192.0.2.2' port='56072' priority='2122194687' protocol='udp' type='host'/>";
    const ti = parseXml(`<jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='t'><content creator='initiator' name='0'>`
      + `<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ${ICE}>${cand}</transport></content></jingle>`);
    expect(transportInfoToCandidates(ti)).toEqual([{
      candidate: 'candidate:1157651386 1 udp 2122194687 192.0.2.2 56072 typ host generation 0 ufrag abcd', sdpMid: '0', usernameFragment: 'abcd',
    }]);
    const sdp = jingleToSdp(offer([[PCMU, cand + fingerprint("hash='sha-256' setup='actpass'")]]), { role: 'initiator' });
    expect(lines(sdp, 'a=candidate:')).toEqual(['a=candidate:1157651386 1 udp 2122194687 192.0.2.2 56072 typ host generation 0']);
  });

  it("StanzaJS's own transport-info from H2's corpus", () => {
    const ti = fixture('stanzajs-audio-transport-info-0.xml');
    expect(serializeXml(ti)).not.toMatch(/<candidate [^>]*\b(id|generation)=/);
    expect(transportInfoToCandidates(ti).length).toBeGreaterThan(0);
  });
});
