// npm run bench:load's in-process companion (tsx bench/echo-memory.ts): the echo service with the
// signalling-only peer (--echo-media off) behind the component's router, no network: N calls set up
// (session-initiate, its session-accept acknowledged at once) and held, then terminated. It prints the
// heap one held call retains (measured after a full gc, so garbage does not count, unlike the RSS
// growth bench:load reads from /proc) and the CPU one call's set-up and teardown cost the component's
// own code (router, session table, translator, echo service; no XML parsing or socket, which xmpp.js
// does). BENCH_CALLS (default 5000). A report: it always exits 0.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import xmppXml from '@xmpp/xml';
import type { Element } from 'ltx';
import { loadConfig } from '../component/config.ts';
import { createLogger } from '../component/logger.ts';
import { Metrics } from '../component/metrics.ts';
import { Router } from '../component/router.ts';
import type { ServiceContext } from '../component/service.ts';
import { Disco } from '../component/services/disco.ts';
import { EchoService } from '../component/services/echo.ts';
import { NS, buildReason, sdpToJingle } from '../schemas/index.ts';
import { el } from '../schemas/xml.ts';
import { gcHeap } from './report.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const DOMAIN = 'jingle.localhost';
const ECHO = `echo@${DOMAIN}/echo`;
const OFFER = readFileSync(new URL('../../shared/fixtures/sdp/chromium-audio-video-offer.sdp', import.meta.url), 'utf8');

const config = loadConfig({
  argv: ['--service', 'xmpp://127.0.0.1:5347', '--domain', DOMAIN, '--secret', 's', '--stun-port', '0', '--hosts', 'localhost',
    '--echo-media', 'off', '--echo-max-sessions', String(CALLS * 2), '--echo-max-per-user', '100',
    '--echo-calls-per-minute', '10000', '--stanzas-per-minute', '1000000', '--echo-max-seconds', '3600', '--log-level', 'warn'],
  env: {}, readFile: () => '{}',
});
const result = (iq: Element): Element => el('iq', { type: 'result', id: iq.attrs.id as string, from: iq.attrs.to as string, to: iq.attrs.from as string });
let sent = 0;
const ctx: ServiceContext = {
  config, log: createLogger('warn', new Writable({ write: (_c, _e, done) => done() })), metrics: new Metrics(), disco: new Disco(),
  send: async () => void sent++,
  request: async (iq) => { sent++; return result(iq); },
  now: Date.now,
};
const service = new EchoService(ctx);
const router = new Router(ctx.log, { maxStanzaBytes: 65536, stanzasPerMinute: 100_000_000 });
service.register(router);

// Stanzas as xmpp.js hands them over: parsed by its stream parser from the text a client sends.
const parser = new xmppXml.Parser();
let parsed: Element | undefined;
parser.on('element', (e) => { parsed = e; });
parser.write("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'>");
const stanza = (text: string): Element => { parser.write(text); const e = parsed!; parsed = undefined; return e; };
// toString() builds ropes of thousands of small strings; flat copies, so they weigh what the text does.
const flat = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');
const from = (i: number): string => `u${i % 100}@localhost/load${Math.floor(i / 100)}`;
const initiates = Array.from({ length: CALLS }, (_, i) => {
  const jingle = sdpToJingle(OFFER, { role: 'initiator', sid: `s${i}`, initiator: from(i) });
  return flat(el('iq', { type: 'set', id: `i${i}`, from: from(i), to: ECHO }, [jingle]).toString());
});
const terminates = Array.from({ length: CALLS }, (_, i) => el('iq', { type: 'set', id: `t${i}`, from: from(i), to: ECHO }, [
  el('jingle', { xmlns: NS.jingle, action: 'session-terminate', sid: `s${i}` }, [buildReason({ condition: 'success' })]),
]).toString()).map(flat);
const settle = async (): Promise<void> => { for (let i = 0; i < 5; i++) await new Promise((ok) => setImmediate(ok)); };

/** Runs `texts` through the parser and the router, 100 at a time; returns CPU µs per stanza, parse excluded. */
async function run(texts: readonly string[]): Promise<number> {
  const elements = texts.map(stanza);
  const cpu = process.cpuUsage();
  for (let i = 0; i < elements.length; i += 100) {
    const replies = await Promise.all(elements.slice(i, i + 100).map((e) => router.handle(e)));
    if (replies.some((r) => r.reply?.attrs.type !== 'result')) throw new Error('a request was refused');
    await settle();
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / texts.length;
}

// A warm-up pass (the code compiled), then the measured one.
await run(initiates.slice(0, 200));
await run(terminates.slice(0, 200));
// Repeated: the first collections after the warm-up still find its garbage reachable from queued work.
const steady = (): number => Math.min(gcHeap(), gcHeap(), gcHeap());
const before = steady();
const setupUs = await run(initiates);
const held = steady();
const holding = service.activeCalls;
const terminateUs = await run(terminates);
const after = steady();
if (process.env.BENCH_DEBUG) console.log({ before, held, after });
console.log(`Echo service in-process, signalling-only peer, ${CALLS} calls of chromium-audio-video-offer.sdp (${sent} stanzas sent):`);
console.log(`  session-initiate handled (offer read, answer built, session-accept acknowledged): ${setupUs.toFixed(0)} µs CPU each`);
console.log(`  session-terminate handled: ${terminateUs.toFixed(0)} µs CPU each`);
console.log(`  heap retained per held call: ${((held - before) / CALLS).toFixed(0)} bytes (${holding} held; goal <= 2 KB)`);
console.log(`  heap after all ended: ${((after - before) / 1024).toFixed(0)} KiB more than before (${service.activeCalls} held)`);
await service.close();
process.exitCode = 0;
