// max-list-length is sized from real traffic: jicofo signals every participant's sources in one
// content. A conference of 100 with simulcast (the source form of lib-jitsi-meet's and jicofo's
// session-initiate, H2's jitsi fixture) must translate with the defaults; the limit stays an option.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, jingleToSdp, parseXml } from '../../schemas/index.ts';
import { parseSdp } from '../../schemas/sdp/parse.ts';

const SSMA = "xmlns='urn:xmpp:jingle:apps:rtp:ssma:0'";
const FP = Array(32).fill('09').join(':');

/** One jicofo source: name, videoType, its owner in Jitsi's namespace, an msid (XEP-0339 parameter). */
const source = (ssrc: number, owner: string, kind: string, i: number): string =>
  `<source ${SSMA} ssrc='${ssrc}' name='${owner}-${kind[0]}${i}'${kind === 'video' ? " videoType='camera'" : ''}>`
  + `<ssrc-info xmlns='http://jitsi.org/jitmeet' owner='room@conference.example.com/${owner}'/>`
  + `<parameter name='msid' value='${owner}-${kind}-${i} ${owner}-${kind}-${i}'/></source>`;

const group = (semantics: string, ssrcs: number[]): string =>
  `<ssrc-group ${SSMA} semantics='${semantics}'>${ssrcs.map((s) => `<source ssrc='${s}'/>`).join('')}</ssrc-group>`;

/** jicofo's session-initiate for `n` participants, each with audio and simulcast video (3 + 3 RTX). */
function jicofoOffer(n: number): string {
  let audio = '';
  let video = '';
  let ssrc = 1000;
  for (let p = 0; p < n; p++) {
    const owner = `p${p.toString(16).padStart(8, '0')}`;
    audio += source(ssrc++, owner, 'audio', 0);
    const primaries = [ssrc++, ssrc++, ssrc++];
    const rtx = [ssrc++, ssrc++, ssrc++];
    primaries.forEach((s, i) => { video += source(s, owner, 'video', i); });
    rtx.forEach((s, i) => { video += source(s, owner, 'video', i); });
    video += group('SIM', primaries);
    primaries.forEach((s, i) => { video += group('FID', [s, rtx[i] as number]); });
  }
  const transport = `<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='someufrag' pwd='somepwdsomepwdsomepwd1'>`
    + `<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>${FP}</fingerprint></transport>`;
  return `<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='focus' sid='big'>`
    + `<content creator='initiator' name='audio' senders='both'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>`
    + `<payload-type id='111' name='opus' clockrate='48000' channels='2'/><rtcp-mux/>${audio}</description>${transport}</content>`
    + `<content creator='initiator' name='video' senders='both'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'>`
    + `<payload-type id='100' name='VP8' clockrate='90000'/><payload-type id='96' name='rtx' clockrate='90000'><parameter name='apt' value='100'/></payload-type>`
    + `<rtcp-mux/>${video}</description>${transport}</content>`
    + `<group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'><content name='audio'/><content name='video'/></group></jingle>`;
}

describe('max-list-length and jicofo conferences', () => {
  it('the default holds 100 participants with simulcast: 600 video sources, 400 ssrc-groups', () => {
    expect(DEFAULT_LIMITS.maxListLength).toBeGreaterThanOrEqual(600);
    const xml = jicofoOffer(100);
    const s = parseSdp(jingleToSdp(parseXml(xml), { role: 'initiator' }), DEFAULT_LIMITS);
    expect(s.media.map((m) => [m.sources.length, m.ssrcGroups.length])).toEqual([[100, 0], [600, 400]]);
  });

  it('the limit stays an option: a smaller one refuses the same offer naming maxListLength', () => {
    expect(() => jingleToSdp(parseXml(jicofoOffer(100)), { role: 'initiator', limits: { maxListLength: 256 } }))
      .toThrow(expect.objectContaining({ condition: 'too-large', limit: 'maxListLength' }));
  });
});
