// echo@ as a contact: presence subscription answered with entity capabilities, disco#info of the bot.
import { afterEach, describe, expect, it } from 'vitest';
import { NS } from '../../schemas/index.ts';
import { NS_CAPS, NS_DISCO_INFO } from '../../component/services/disco.ts';
import { ALICE, ECHO, ECHO_FULL, startEcho, type Harness } from './echo-fixture.ts';

let h: Harness;
afterEach(async () => { await h?.service.close(); });

const presence = (from: string, type: string, to = ECHO) => h.handle(`<presence from='${from}' to='${to}' type='${type}'/>`);

describe('echo@ as a contact', () => {
  it('approves a subscription and sends its available presence with caps', async () => {
    h = startEcho();
    await presence('alice@example.com', 'subscribe');
    expect(h.sent.map((p) => [p.name, p.attrs.type, p.attrs.from, p.attrs.to])).toEqual([
      ['presence', 'subscribed', ECHO, 'alice@example.com'],
      ['presence', undefined, ECHO_FULL, 'alice@example.com'],
    ]);
    const caps = h.sent[1]?.getChild('c', NS_CAPS);
    expect(caps?.attrs).toMatchObject({ hash: 'sha-1', ver: h.ctx.disco.ver(ECHO) });
  });

  it('answers a probe with presence and an unsubscribe with unsubscribed', async () => {
    h = startEcho();
    await presence(ALICE, 'probe');
    await presence('alice@example.com', 'unsubscribe');
    expect(h.sent.map((p) => [p.attrs.type, p.attrs.from, p.attrs.to])).toEqual([
      [undefined, ECHO_FULL, ALICE], ['unsubscribed', ECHO, 'alice@example.com'],
    ]);
    expect(h.sent[0]?.getChild('c', NS_CAPS)).toBeDefined();
  });

  it('ignores strangers, other addresses, and presence types it has no answer for', async () => {
    h = startEcho();
    await presence('mallory@evil.example', 'subscribe');
    await presence('alice@example.com', 'subscribe', 'other@jingle.example.com');
    await presence('alice@example.com', 'subscribed');
    await presence(ALICE, 'unavailable');
    expect(h.sent).toHaveLength(0);
  });

  it('describes itself in disco#info: a bot with the Jingle RTP, ICE-UDP, DTLS and JMI features', async () => {
    h = startEcho();
    for (const to of [ECHO, ECHO_FULL]) {
      const reply = await h.handle(`<iq type='get' id='d' from='${ALICE}' to='${to}'><query xmlns='${NS_DISCO_INFO}'/></iq>`);
      const query = reply?.getChild('query', NS_DISCO_INFO);
      expect(query?.getChild('identity')?.attrs).toEqual({ category: 'client', type: 'bot', name: 'Echo test call' });
      expect(query?.getChildren('feature').map((f) => f.attrs.var)).toEqual([...new Set([
        NS_DISCO_INFO, 'http://jabber.org/protocol/disco#items', NS.jingle, NS.rtp, NS.rtpAudio, NS.rtpVideo, NS.iceUdp, NS.dtls, NS.jmi, NS.grouping,
      ])].sort());
    }
  });
});
