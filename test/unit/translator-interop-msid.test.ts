// msid and rtcp-rsize across stacks (schemas/translate/msid.ts says which stack uses which form and
// where): we write XEP-0339's <parameter name='msid'/>, StanzaJS's <stream/> and <rtcp-reduced-size/>
// beside our own <line>s, read all of them, and our own round trip stays exact.
import { readFileSync } from 'node:fs';
import { Element } from 'ltx';
import { describe, expect, it } from 'vitest';
import { NS, jingleToSdp, parseXml, sdpToJingle, serializeXml } from '../../schemas/index.ts';

const SDP_DIR = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const sdpFixture = (name: string): string => readFileSync(new URL(name, SDP_DIR), 'utf8');
const lines = (sdp: string, prefix: string): string[] => sdp.split('\r\n').filter((l) => l.startsWith(prefix));
const FP = Array(32).fill('AB').join(':');

/** What a stack that knows nothing of our namespace keeps: our elements and attributes removed. */
function withoutOurs(e: Element): Element {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.attrs)) if (!k.startsWith('gw:') && v !== NS.sdp && v !== undefined) attrs[k] = String(v);
  const out = new Element(e.name, attrs);
  for (const c of e.children) {
    if (typeof c === 'string') out.children.push(c);
    else if ((c as Element).attrs.xmlns !== NS.sdp) out.cnode(withoutOurs(c as Element));
  }
  return out;
}

const rtp = (media: string, inner: string): Element => parseXml(`<jingle xmlns='urn:xmpp:jingle:1' action='session-accept' sid='m1'>`
  + `<content creator='initiator' name='0'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='${media}'>`
  + `<payload-type id='111' name='opus' clockrate='48000' channels='2'/>${inner}</description>`
  + `<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='abcd' pwd='abcdefghijklmnopqrstuvwx'>`
  + `<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='active'>${FP}</fingerprint></transport></content></jingle>`);
const SSMA = "xmlns='urn:xmpp:jingle:apps:rtp:ssma:0'";

describe('we write msid in the forms other stacks read', () => {
  const firefox = sdpFixture('firefox-audio-video-offer.sdp');
  const msids = lines(firefox, 'a=msid:');
  const xml = serializeXml(sdpToJingle(firefox, { role: 'initiator', sid: 'ff' }));

  it("a Firefox offer (a=msid, a=ssrc without msid): XEP-0339 msid parameters and StanzaJS's <stream/>", () => {
    expect(msids.length).toBeGreaterThan(0);
    expect(lines(firefox, 'a=ssrc:').some((l) => / msid:/.test(l))).toBe(false);
    const [stream, track] = msids[0]!.slice('a=msid:'.length).split(' ');
    expect(xml).toContain(`<parameter name="msid" value="${stream} ${track}" xmlns:gw="${NS.sdp}" gw:derived="true"/>`);
    expect(xml).toContain(`<stream xmlns="urn:xmpp:jingle:apps:rtp:msid:0" id="${stream}" track="${track}"/>`);
  });

  it('and reads its own output back exactly: no a=ssrc msid lines appear', () => {
    const back = jingleToSdp(parseXml(xml), { role: 'initiator' });
    expect(lines(back, 'a=ssrc:')).toEqual(lines(firefox, 'a=ssrc:'));
    expect(lines(back, 'a=msid:')).toEqual(msids);
  });

  it('a reader without our namespace still gets the stream ids, from <stream/> or from the source parameters', () => {
    const foreign = withoutOurs(parseXml(xml));
    expect(serializeXml(foreign)).not.toContain(NS.sdp);
    expect(lines(jingleToSdp(foreign, { role: 'initiator' }), 'a=msid:')).toEqual(msids);
    const sourcesOnly = parseXml(serializeXml(foreign).replace(/<stream [^>]*\/>/g, ''));
    expect(lines(jingleToSdp(sourcesOnly, { role: 'initiator' }), 'a=msid:')).toEqual(msids);
  });

  it("rtcp-rsize as StanzaJS's <rtcp-reduced-size/> beside our line", () => {
    const chromium = sdpFixture('chromium-audio-offer.sdp');
    expect(chromium).toContain('a=rtcp-rsize');
    const j = serializeXml(sdpToJingle(chromium, { role: 'initiator' }));
    expect(j).toContain('<rtcp-reduced-size/>');
    expect(lines(jingleToSdp(withoutOurs(parseXml(j)), { role: 'initiator' }), 'a=rtcp-rsize')).toEqual(['a=rtcp-rsize']);
  });
});

describe('we read msid as other stacks write it', () => {
  it('XEP-0339 <parameter name="msid"> (Conversations, Jitsi, Movim): the m-line gets its a=msid', () => {
    const sdp = jingleToSdp(rtp('audio', `<source ${SSMA} ssrc='1'><parameter name='cname' value='c'/><parameter name='msid' value='stream1 track1'/></source>`), { role: 'responder' });
    expect(lines(sdp, 'a=msid:')).toEqual(['a=msid:stream1 track1']);
    expect(lines(sdp, 'a=ssrc:')).toEqual(['a=ssrc:1 cname:c', 'a=ssrc:1 msid:stream1 track1']);
  });

  it("StanzaJS's <stream/> and <rtcp-reduced-size/> (H2's corpus)", () => {
    const iq = parseXml(readFileSync(new URL('../fixtures/jingle/stanzajs-audio-session-accept.xml', import.meta.url), 'utf8'));
    const stanza = serializeXml(iq);
    const stream = /<stream xmlns="urn:xmpp:jingle:apps:rtp:msid:0" id="([^"]+)" track="([^"]+)"\/>/.exec(stanza);
    expect(stream).not.toBeNull();
    const sdp = jingleToSdp(iq.getChild('jingle') as Element, { role: 'responder' });
    expect(lines(sdp, 'a=msid:')).toEqual([`a=msid:${stream![1]} ${stream![2]}`]);
    expect(lines(sdp, 'a=rtcp-rsize')).toEqual(['a=rtcp-rsize']);
  });

  it('an msid value that is not one a=msid line is not made into one', () => {
    const sdp = jingleToSdp(rtp('audio', `<source ${SSMA} ssrc='1'><parameter name='cname' value='c'/><parameter name='msid' value='a b c'/></source>`), { role: 'responder' });
    expect(lines(sdp, 'a=msid:')).toEqual([]);
  });
});
