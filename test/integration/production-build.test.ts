// The production install: package.json, package-lock.json and the server build copied into an empty
// directory, `npm ci --omit=dev` there (no tsx, no esbuild, no TypeScript, no lit), then the built
// component run with plain node beside a real Prosody, as deploy/jingle-gateway.service runs it. It
// must connect and answer a user's disco#info; bin/jingle-gateway.js must run the build there.
import { execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { xml } from '@xmpp/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_ENTRY, buildServer } from '../../tools/build-server.ts';
import { freePorts } from '../harness/ports.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient } from '../harness/xmpp.ts';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const DOMAIN = 'jingle.localhost';
let prosody: ProsodyServer;
let app: string;

/** The systemd unit's ExecStart node arguments, up to the command, for a copy in `app`. */
async function unitCommand(): Promise<string[]> {
  const unit = await readFile(join(ROOT, 'deploy/jingle-gateway.service'), 'utf8');
  const words = (/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '').split(' ');
  expect(words[0]).toBe('/usr/bin/node');
  const args = words.slice(1, words.indexOf('component')).map((w) => w.replace('/opt/jingle-gateway', app));
  expect(args.at(-1)).toBe(join(app, 'dist/server', SERVER_ENTRY));
  return args;
}

/** bin/jingle-gateway.js in the installed directory, `input` on its stdin; its stdout. */
function withInput(args: string[], input: string): Promise<string> {
  const child = spawn(process.execPath, [join(app, 'bin/jingle-gateway.js'), ...args], { cwd: app, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', () => resolve(out)));
}

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'jg-production-'));
  await mkdir(join(app, 'bin'));
  for (const f of ['package.json', 'package-lock.json', 'bin/jingle-gateway.js']) await copyFile(join(ROOT, f), join(app, f));
  await buildServer(join(app, 'dist/server'));
  // --prefer-offline: from npm's cache when it holds the tarballs (it does after the repo's own
  // npm ci), from the registry otherwise. --ignore-scripts: nothing the component needs builds.
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, timeout: 240_000 });
  prosody = await startProsody({ components: { [DOMAIN]: 'build-secret' }, users: { alice: 'alice-pw' } });
}, 300_000);

afterAll(async () => {
  await prosody?.stop();
  if (app) await rm(app, { recursive: true, force: true });
});

describe('npm ci --omit=dev plus the build', () => {
  it('installs no build or development package', async () => {
    const installed = new Set(await readdir(join(app, 'node_modules')));
    for (const name of ['tsx', 'esbuild', 'typescript', 'vite', 'vitest', 'lit']) expect(installed.has(name), name).toBe(false);
    expect(installed.has('werift')).toBe(true);
  });

  it('runs the component as the systemd unit does, with plain node: it connects and answers disco#info, and stops on SIGTERM', async () => {
    const [httpPort] = await freePorts(1);
    const child = spawn(process.execPath, [...await unitCommand(), 'component',
      '--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', DOMAIN, '--secret', 'build-secret',
      '--stun-port', '0', '--http-port', String(httpPort), '--log-level', 'warn'], { cwd: app, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${httpPort}/health`).catch(() => undefined))?.status,
        { timeout: 30_000, interval: 250 }).toBe(200);
      const alice = await connectClient({ service: `xmpp://127.0.0.1:${prosody.c2sPort}`, domain: 'localhost', username: 'alice', password: 'alice-pw' });
      try {
        const info = await alice.iq(xml('iq', { type: 'get', to: DOMAIN }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
        expect(info.attrs.type, info.toString()).toBe('result');
        expect(info.getChild('query')?.getChildren('identity').map((i) => i.attrs.category)).toContain('component');
      } finally {
        await alice.stop();
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit, stderr).toBe(0);
  });

  it('bin/jingle-gateway.js (and npx jingle-gateway) runs the build when tsx is not installed', async () => {
    const { stdout } = await run(process.execPath, [join(app, 'bin/jingle-gateway.js'), 'help'], { cwd: app });
    expect(stdout).toMatch(/^usage: jingle-gateway <command>/);
    // The README's way: npx finds the package's own bin.
    const { stdout: viaNpx } = await run('npx', ['--no-install', 'jingle-gateway', 'help'], { cwd: app });
    expect(viaNpx).toMatch(/^usage: jingle-gateway <command>/);
    const jingle = await withInput(['translate', '--to', 'jingle', '--action', 'transport-info', '--sid', 's1', '--mid', '0'],
      'a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\n');
    expect(jingle).toMatch(/^<jingle xmlns="urn:xmpp:jingle:1" action="transport-info".*ip="192.0.2.1"/);
  });
});
