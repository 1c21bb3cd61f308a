import { Element as LtxElement, type Element } from 'ltx';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Router, estimateSize } from '../../component/router.ts';
import { stanzaError } from '../../component/stanza-error.ts';
import { parseXml, serializeXml } from '../../schemas/index.ts';

const log = pino({ level: 'silent' });
const iq = (from: string, payload = `<ping xmlns='urn:xmpp:ping'/>`, id = 'i1') =>
  parseXml(`<iq type='get' id='${id}' from='${from}' to='jingle.example.com'>${payload}</iq>`);
const condition = (reply: Element | undefined): string | undefined => {
  const error = reply?.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === 'error');
  return (error?.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name !== 'text'))?.name;
};

function router(limits = { maxStanzaBytes: 4096, stanzasPerMinute: 5 }): Router {
  const r = new Router(log, limits, () => 0);
  r.iq('get', 'urn:xmpp:ping', 'ping', () => true);
  r.iq('get', 'urn:x:throws', 'q', () => {
    throw new Error('boom');
  });
  r.iq('get', 'urn:x:refuses', 'q', () => stanzaError('cancel', 'item-not-found'));
  return r;
}

describe('router', () => {
  it('follows the callee convention: result, error value, throw, nothing', async () => {
    const r = router();
    expect((await r.handle(iq('a@x/1'))).reply?.attrs.type).toBe('result');
    expect(condition((await r.handle(iq('a@x/1', `<q xmlns='urn:x:refuses'/>`))).reply)).toBe('item-not-found');
    expect(condition((await r.handle(iq('a@x/1', `<q xmlns='urn:x:throws'/>`))).reply)).toBe('internal-server-error');
    expect(condition((await r.handle(iq('a@x/1', `<q xmlns='urn:x:none'/>`))).reply)).toBe('service-unavailable');
    expect(condition((await r.handle(iq('a@x/1', `<a xmlns='x'/><b xmlns='y'/>`))).reply)).toBe('bad-request');
  });

  it('routes a payload by its namespace, not its prefix; an undeclared prefix is bad-request', async () => {
    const r = router();
    expect((await r.handle(iq('a@x/1', `<p:ping xmlns:p='urn:xmpp:ping'/>`))).reply?.attrs.type).toBe('result');
    // The prefix is declared on the iq, as a stack that writes the whole stanza with prefixes does.
    const onIq = parseXml(`<iq xmlns:p='urn:xmpp:ping' type='get' id='i2' from='a@x/1' to='jingle.example.com'><p:ping/></iq>`);
    expect((await r.handle(onIq)).reply?.attrs.type).toBe('result');
    expect(condition((await r.handle(iq('a@x/1', `<p:ping xmlns:p='urn:x:none'/>`))).reply)).toBe('service-unavailable');
    expect(condition((await r.handle(iq('a@x/1', `<ping xmlns:p='urn:xmpp:ping'/>`))).reply)).toBe('service-unavailable');
    // ltx (as @xmpp/component parses) keeps an undeclared prefix; it names no namespace at all.
    const undeclared = new LtxElement('iq', { type: 'get', id: 'i3', from: 'a@x/1', to: 'jingle.example.com' }).c('q:ping').root();
    expect(condition((await r.handle(undeclared)).reply)).toBe('bad-request');
  });

  it('replies only to the sender, from the address asked, and echoes no payload back', async () => {
    const { reply } = await router().handle(iq('a@x/1', `<q xmlns='urn:x:none'>${'x'.repeat(100)}</q>`));
    expect(reply?.attrs).toMatchObject({ to: 'a@x/1', from: 'jingle.example.com', id: 'i1' });
    expect(serializeXml(reply!)).not.toContain('xxxx');
  });

  it('refuses an oversized stanza with policy-violation naming the option, before any handler', async () => {
    const big = iq('a@x/1', `<ping xmlns='urn:xmpp:ping'>${'y'.repeat(5000)}</ping>`);
    const { reply } = await router().handle(big);
    expect(condition(reply)).toBe('policy-violation');
    expect(serializeXml(reply!)).toContain('max-stanza-bytes');
  });

  it('refuses a flood from one user with resource-constraint, and still serves others', async () => {
    const r = router();
    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => r.handle(iq('flood@x/1', undefined, `f${i}`))));
    expect(answers.map((a) => condition(a.reply) ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'resource-constraint', 'resource-constraint']);
    expect((await r.handle(iq('other@x/1'))).reply?.attrs.type).toBe('result');
  });

  it('estimates a stanza size close to its serialisation, and stops counting early', () => {
    const el = parseXml(`<a b='c'><d e='ffff'>text</d><g/></a>`);
    const exact = serializeXml(el).length;
    expect(Math.abs(estimateSize(el, 1e9) - exact)).toBeLessThan(exact / 2);
    const huge = parseXml(`<a>${'<b/>'.repeat(10000)}</a>`);
    expect(estimateSize(huge, 100)).toBeLessThan(200);
  });
});
