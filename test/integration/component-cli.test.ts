// The README's way to run the component: `npx jingle-gateway component ...` as its own process beside
// a real Prosody. It comes up, reports healthy, stops cleanly on SIGTERM, and stops at start-up with
// one line naming the option when the configuration is wrong.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../harness/ports.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
let prosody: ProsodyServer;

/** `npx jingle-gateway component`; `direct` runs bin/jingle-gateway.js itself, as systemd does, so signals reach it. */
function run(args: string[], direct = false): { exit: Promise<{ code: number | null; stderr: string }>; kill(signal: NodeJS.Signals): void } {
  const [cmd, pre] = direct ? [process.execPath, ['bin/jingle-gateway.js']] : ['npx', ['jingle-gateway']];
  const child = spawn(cmd, [...pre, 'component', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    exit: new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr: stderr.replace(/^npm warn.*\n/gm, '') }))),
    kill: (signal) => child.kill(signal),
  };
}

beforeAll(async () => {
  prosody = await startProsody({ components: { 'jingle.localhost': 'cli-secret' } });
});
afterAll(async () => prosody?.stop());

describe('npx jingle-gateway component', () => {
  it('runs, is healthy, and stops cleanly on SIGTERM', async () => {
    const [httpPort] = await freePorts(1);
    const p = run(['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', 'jingle.localhost', '--secret', 'cli-secret',
      '--stun-port', '0', '--http-port', String(httpPort), '--log-level', 'warn'], true);
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${httpPort}/health`).catch(() => undefined))?.status, { timeout: 30_000, interval: 250 }).toBe(200);
    p.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
  });

  it('stops at start-up naming a bad option, and a secret the server refuses', async () => {
    const bad = await run(['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', 'jingle.localhost', '--secret', 's', '--turn-port', 'x']).exit;
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^config: turn-port: must be a port .*--turn-port/);
    const refused = await run(['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', 'jingle.localhost', '--secret', 'wrong', '--stun-port', '0']).exit;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/config: secret: the server refused/);
  });
});
