/**
 * The README's `npm start`, checked as a newcomer would use it (run by .ci/run on a clean checkout):
 * start it, wait for the page, log in as alice in headless Chromium, see bob in the contact list,
 * press Ctrl-C, and find nothing it started still running (Prosody, coturn, the watchdog: all name the
 * stack dir on their command lines).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/harness/chromium.ts';
import { stackPaths } from './stack-state.ts';

const TIMEOUT_MS = 180_000;
/** npm start's stack dir (JG_STACK_DIR, passed on to it, or .stack): every server's command line names it. */
const STACK_DIR = stackPaths(resolve(new URL('..', import.meta.url).pathname)).root;

function fail(message: string, output: string): never {
  process.stderr.write(`check-start: FAILED: ${message}\n--- npm start said:\n${output}\n`);
  process.exit(1);
}

const started = Date.now();
// Its own process group, so Ctrl-C can be sent to all of it as a terminal would.
const child = spawn('npm', ['start'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
child.stdout.on('data', (d: Buffer) => (output += d.toString()));
child.stderr.on('data', (d: Buffer) => (output += d.toString()));

const ready = await new Promise<{ url: string; password: string }>((resolve) => {
  const timer = setInterval(() => {
    const url = /open (http:\/\/localhost:\d+\/)/.exec(output)?.[1];
    const password = /alice@localhost\s+password (\S+)/.exec(output)?.[1];
    if (url && password) {
      clearInterval(timer);
      resolve({ url, password });
    } else if (child.exitCode !== null || Date.now() - started > TIMEOUT_MS) {
      clearInterval(timer);
      fail('npm start did not print the page address and the demo logins', output);
    }
  }, 200);
});

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
try {
  const page = await browser.newPage();
  await page.goto(ready.url);
  await page.locator('jg-login input[name="jid"]').fill('alice@localhost');
  await page.locator('jg-login input[name="password"]').fill(ready.password);
  await page.locator('jg-login').getByRole('button', { name: 'Log in' }).click();
  await page.locator('jg-app[status="online"]').waitFor({ timeout: 30_000 });
  await page.locator('jg-contacts [data-jid="bob@localhost"]').waitFor({ timeout: 30_000 });
  const turn = /TURN: coturn on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
  if (turn === undefined) throw new Error('npm start did not say where coturn listens');
  process.stdout.write(`check-start: alice logged in at ${ready.url} and sees bob; coturn on ${turn} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
} catch (err) {
  process.kill(-child.pid!, 'SIGINT');
  fail((err as Error).message, output);
} finally {
  await browser.close();
}

process.kill(-child.pid!, 'SIGINT');
const code = await new Promise<number | null>((resolve) => {
  const t = setTimeout(() => resolve(-1), 20_000);
  child.once('exit', (c) => {
    clearTimeout(t);
    resolve(c);
  });
});
if (code === -1) fail('npm start did not stop on Ctrl-C within 20 s', output);
// The stack's servers may take a moment after npm itself has exited.
let left = '';
for (let i = 0; i < 50; i++) {
  left = spawnSync('pgrep', ['-a', '-f', STACK_DIR.replace(/[.]/g, '\\.')], { encoding: 'utf8' }).stdout.trim();
  if (!left) break;
  await new Promise((r) => setTimeout(r, 200));
}
if (left) fail(`processes left running after Ctrl-C: ${left}`, output);
process.stdout.write('check-start: Ctrl-C stopped everything it started\n');
