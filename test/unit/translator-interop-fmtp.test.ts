// A bare fmtp value (RED's `111/111`, telephone-event's `0-15`) has no name. We write it as
// lib-jitsi-meet does, <parameter name='' value='0-15'/>, valid per XEP-0167's schema, and read every
// form other stacks send (schemas/jingle/xep0167.ts names them and where each comes from).
import { readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { describe, expect, it } from 'vitest';
import { jingleToSdp, parseXml, sdpToJingle, serializeXml } from '../../schemas/index.ts';

const FP = 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99';

/** An audio session-initiate whose payload types hold `payloads`. */
function offer(payloads: string): Element {
  return parseXml(`<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='f1'><content creator='initiator' name='0'>`
    + `<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>${payloads}</description>`
    + `<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='abcd' pwd='abcdefghijklmnopqrstuvwx'>`
    + `<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>${FP}</fingerprint></transport></content></jingle>`);
}

const fmtpLines = (sdp: string): string[] => sdp.split('\r\n').filter((l) => l.startsWith('a=fmtp:'));

describe('bare fmtp values, as each stack writes them, map back to the right a=fmtp line', () => {
  const RED = `<payload-type id='111' name='opus' clockrate='48000' channels='2'/><payload-type id='63' name='red' clockrate='48000' channels='2'>`;
  const DTMF = `<payload-type id='110' name='telephone-event' clockrate='48000'>`;

  it.each([
    ["lib-jitsi-meet and us: name=''", `${RED}<parameter name='' value='111/111'/></payload-type>${DTMF}<parameter name='' value='0-15'/></payload-type>`],
    ['older Movim and our older output: no name', `${RED}<parameter value='111/111'/></payload-type>${DTMF}<parameter value='0-15'/></payload-type>`],
    ['StanzaJS: the value as name, no value', `${RED}<parameter name='111/111'/></payload-type>${DTMF}<parameter name='0-15'/></payload-type>`],
  ])('%s', (_, payloads) => {
    expect(fmtpLines(jingleToSdp(offer(payloads), { role: 'initiator' }))).toEqual(['a=fmtp:63 111/111', 'a=fmtp:110 0-15']);
  });

  it('a named parameter with an empty value stays named', () => {
    const sdp = jingleToSdp(offer(`<payload-type id='96' name='x' clockrate='8000'><parameter name='a' value=''/><parameter name='b' value='1'/></payload-type>`), { role: 'initiator' });
    expect(fmtpLines(sdp)).toEqual(['a=fmtp:96 a=;b=1']);
  });

  it("StanzaJS's RED from H2's corpus (test/fixtures/jingle) reads as a=fmtp:63 111/111", () => {
    const xml = readFileSync(new URL('../fixtures/jingle/stanzajs-audio-session-accept.xml', import.meta.url), 'utf8');
    expect(xml).toContain('<parameter name="111/111"/>');
    expect(fmtpLines(jingleToSdp(parseXml(xml).getChild('jingle') as Element, { role: 'responder' }))).toContain('a=fmtp:63 111/111');
  });

  it('we write name="" and read it back losslessly, mixed with named parameters', () => {
    const sdp = readFileSync(new URL('../../../shared/fixtures/sdp/chromium-audio-offer.sdp', import.meta.url), 'utf8')
      .replace(/^(a=rtpmap:110 telephone-event\/48000)$/m, '$1\r\na=fmtp:110 0-15');
    const xml = serializeXml(sdpToJingle(sdp, { role: 'initiator', sid: 'f2' }));
    expect(xml).toContain('<parameter name="" value="0-15"/>');
    expect(xml).not.toMatch(/<parameter value=/);
    const back = jingleToSdp(parseXml(xml), { role: 'initiator' });
    expect(fmtpLines(back)).toEqual(fmtpLines(sdp));
  });
});
