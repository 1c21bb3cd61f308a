// Minimal counterexamples that translator.property.test.ts found, kept as plain examples of the correct
// behaviour (DESIGN.md: errors name the offending line or element; what we emit, we read back).
import { describe, expect, it } from 'vitest';
import { parseSdp } from '../../schemas/sdp/parse.ts';
import { jingleToSdp, sdpToJingle } from '../../schemas/translate.ts';
import { parseXml, serializeXml } from '../../schemas/xml-text.ts';
import { attempt, expectLineNamed, expectNoControl, expectWholeLines, viaJingle } from './translator.checks.ts';

const H = 'v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';
const M = 'm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n';
/** H with a session-level fingerprint, for SDPs that must come back: without one jingleToSdp refuses (security-error). */
const HF = `${H}a=fingerprint:sha-256 ${Array(32).fill('AB').join(':')}\r\n`;

describe('minimal counterexamples', () => {
  it.each([
    ['a session-level a=rtcp-mux', `${H}a=rtcp-mux\r\n${M}`, [5]],
    ['an a=rtpmap for a payload type the m= line does not list', `${H}${M}a=rtpmap:8 PCMA/8000\r\n`, [7]],
    ['a candidate of unknown type', `${H}${M}a=candidate:1 1 udp 1 192.0.2.1 9 typ foo\r\n`, [7]],
    ['two m-lines with one mid', `${H}${M}${M}`, [7, 8]],
  ])('SDP error names its line: %s', (_, sdp, lines) => {
    const o = attempt(() => sdpToJingle(sdp, { role: 'initiator' }));
    expect(o.ok).toBe(false);
    if (!o.ok) expect(lines, o.error.message).toContain(o.error.line?.number);
  });

  it.each([
    ['t= inside a media section', `${HF}${M}t=0 0\r\n`],
    ['s= inside a media section', `${HF}${M}s=-\r\n`],
    ['tcptype bogus', `${HF}${M}a=candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype bogus\r\n`],
    ['a candidate extension value with a comma', `${HF}${M}a=candidate:1 1 udp 1 192.0.2.1 9 typ host x-foo a,b\r\n`],
    ['an ssrc attribute name with a comma', `${HF}${M}a=ssrc:1 foo,bar:x\r\n`],
    ['an rtpmap encoding with a comma', `${HF}${M}a=rtpmap:0 PC,MU/8000\r\n`],
    ['a raddr with a comma', `${HF}${M}a=candidate:1 1 udp 1 192.0.2.1 9 typ srflx raddr a,b rport 0\r\n`],
    ['an fmtp parameter name with a space', `${HF}${M}a=fmtp:0 a b=1\r\n`],
    ['a bandwidth type with a comma', `${HF}m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nb=A,S:1\r\na=mid:0\r\n`],
    ['ssrc-group semantics with a semicolon', `${HF}${M}a=ssrc-group:;FID 1\r\n`],
    ['an application m-line without sctp-port', `${HF}m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n`],
  ])('SDP that sdpToJingle accepts comes back through jingleToSdp: %s', (_, sdp) => {
    const o = attempt(() => serializeXml(sdpToJingle(sdp, { role: 'initiator' })));
    if (!o.ok) return expectLineNamed(o.error, sdp);
    const back = attempt(() => jingleToSdp(parseXml(o.value), { role: 'initiator' }));
    expect(back.ok ? 'ok' : back.error.message).toBe('ok');
  });

  const rtp = (inner: string, name = '0'): string => `<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" sid="s">`
    + `<content creator="initiator" name="${name}"><description xmlns="urn:xmpp:jingle:apps:rtp:1" media="audio">${inner}</description></content></jingle>`;
  const PT = '<payload-type id="0" name="PCMU" clockrate="8000"/>';
  const FB = 'xmlns="urn:xmpp:jingle:apps:rtp:rtcp-fb:0"';
  it.each([
    ['rtcp-fb type with CRLF', rtp(`${PT}<rtcp-fb ${FB} type="nack&#13;&#10;a=injected"/>`)],
    ['source parameter value with CRLF', rtp(`${PT}<source xmlns="urn:xmpp:jingle:apps:rtp:ssma:0" ssrc="1"><parameter name="cname" value="x&#13;&#10;a=injected"/></source>`)],
    ['content name with CRLF', rtp(PT, '0&#13;&#10;a=injected')],
    ['content name with a space', rtp(PT, 'a b')],
    ['group semantics with CRLF', rtp(PT).replace('</jingle>', '<group xmlns="urn:xmpp:jingle:apps:grouping:0" semantics="BUNDLE&#13;&#10;a=injected"><content name="0"/></group></jingle>')],
    ['sctpmap protocol with CRLF', '<jingle xmlns="urn:xmpp:jingle:1" action="session-initiate" sid="s"><content creator="initiator" name="0"><transport xmlns="urn:xmpp:jingle:transports:ice-udp:1"><sctpmap xmlns="urn:xmpp:jingle:transports:dtls-sctp:1" number="5000" protocol="a&#13;&#10;a=injected"/></transport></content></jingle>'],
    ['rtcp-fb type of one space', rtp(`${PT}<rtcp-fb ${FB} type=" "/>`)],
    ['a description without payload types', rtp('')],
    ['a parameter value of 5000 characters', rtp(`<payload-type id="0" name="PCMU" clockrate="8000"><parameter name="a" value="${'x'.repeat(5000)}"/></payload-type>`)],
  ])('Jingle gives whole SDP lines that parseSdp accepts, or a TranslateError: %s', (_, xml) => {
    const o = attempt(() => jingleToSdp(parseXml(xml), { role: 'initiator' }));
    if (!o.ok) return expect(o.error.element).toBeTruthy();
    expectWholeLines(o.value);
    expect(attempt(() => parseSdp(o.value)).ok).toBe(true);
  });

  it.each([
    ['U+007F in an SDP attribute', () => viaJingle(`${H}${M}a=x-foo:a\x7fb\r\n`, 'initiator')],
    ['U+0085 in a Jingle parameter', () => jingleToSdp(parseXml(rtp('<payload-type id="0"><parameter name="a" value="&#133;"/></payload-type>')), { role: 'initiator' })],
  ])('no control character gets into the SDP out: %s', (_, run) => {
    const o = attempt(run);
    if (o.ok) expectNoControl(o.value);
  });
});
