// The translate service knows its input by namespace, never by prefix: a stack that writes
// <j:jingle xmlns:j='urn:xmpp:jingle:1'> gets its SDP like anyone else.
import { readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Router } from '../../component/router.ts';
import { TranslateService } from '../../component/services/translate.ts';
import { NS, parseXml, serializeXml } from '../../schemas/index.ts';

const OFFER = readFileSync(new URL('../../../shared/fixtures/sdp/chromium-audio-offer.sdp', import.meta.url), 'utf8');

function service(hosts?: string[]): Router {
  const r = new Router(pino({ level: 'silent' }), { maxStanzaBytes: 65536, stanzasPerMinute: 100 });
  new TranslateService(undefined, hosts).register(r);
  return r;
}

const get = (payload: string, from = 'alice@example.com/web'): Element =>
  parseXml(`<iq type='get' id='t1' from='${from}' to='jingle.example.com'>${payload}</iq>`);

const child = (e: Element | undefined, name: string): Element | undefined =>
  e?.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === name);

async function toJingle(r: Router): Promise<string> {
  const sdp = OFFER.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const { reply } = await r.handle(get(`<translate xmlns='${NS.translate}' role='initiator' sid='s1'><sdp>${sdp}</sdp></translate>`));
  const jingle = child(child(reply, 'translate'), 'jingle');
  expect(jingle).toBeDefined();
  return serializeXml(jingle!);
}

describe('translate service', () => {
  it('translates a prefixed <j:jingle> back to SDP', async () => {
    const r = service();
    const xml = await toJingle(r);
    const prefixed = xml
      .replace(/^<jingle xmlns=["']urn:xmpp:jingle:1["']/, `<j:jingle xmlns:j='urn:xmpp:jingle:1' xmlns='urn:xmpp:jingle:1'`)
      .replace(/<\/jingle>$/, '</j:jingle>');
    expect(prefixed.startsWith('<j:jingle')).toBe(true);
    const { reply } = await r.handle(get(`<translate xmlns='${NS.translate}' role='initiator'>${prefixed}</translate>`));
    expect(reply?.attrs.type).toBe('result');
    expect(child(child(reply, 'translate'), 'sdp')?.children.join('')).toContain('a=rtpmap:111 opus/48000/2');
  });

  it('takes a prefixed <sdp> in its own namespace, and refuses one in another', async () => {
    const r = service();
    const sdp = OFFER.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const ok = await r.handle(get(`<t:translate xmlns:t='${NS.translate}' role='initiator'><t:sdp>${sdp}</t:sdp></t:translate>`));
    expect(ok.reply?.attrs.type).toBe('result');
    const other = await r.handle(get(`<translate xmlns='${NS.translate}' role='initiator'><o:sdp xmlns:o='urn:x:other'>${sdp}</o:sdp></translate>`));
    expect(other.reply?.attrs.type).toBe('error');
  });

  it('serves the hosts it is configured for, and refuses others with forbidden', async () => {
    const r = service(['example.com']);
    const sdp = OFFER.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const payload = `<translate xmlns='${NS.translate}' role='initiator'><sdp>${sdp}</sdp></translate>`;
    expect((await r.handle(get(payload))).reply?.attrs.type).toBe('result');
    const stranger = (await r.handle(get(payload, 'mallory@evil.example/x'))).reply;
    expect(stranger?.attrs.type).toBe('error');
    expect(serializeXml(stranger!)).toContain('<forbidden');
  });
});
