/**
 * The real CLI as a user runs it: `node bin/jingle-gateway.js translate ...` from the repo root, input
 * on stdin. Each spawn costs about half a second (tsx compiles the sources), so fixtures run as
 * concurrent tests (vitest runs at most maxConcurrency, 5, at a time) and inputs that need no CLI to
 * make (the Jingle for the <iq> and bad-element cases) are made in-process.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NS, sdpToJingle, serializeXml, type Role } from '../../schemas/index.ts';
import { semanticSdp } from '../harness/sdp-semantics.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = 'bin/jingle-gateway.js';
const DIR = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const SDP_FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.sdp')).sort();
const read = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');

const roleOf = (name: string): Role => (/-offer\.sdp$/.test(name) ? 'initiator' : 'responder');

interface Run { code: number | null; stdout: string; stderr: string }

/** `node bin/jingle-gateway.js translate <args>` with `input` on stdin. */
function translate(args: readonly string[], input: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'translate', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A usage error exits before reading stdin; the write may then fail with EPIPE, which is fine.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

describe('jingle-gateway translate: round trips', () => {
  it('finds the fixtures', () => {
    expect(SDP_FIXTURES.length).toBeGreaterThanOrEqual(16);
  });

  it.concurrent.for(SDP_FIXTURES)('%s: --to jingle | --to sdp is semantically equal', async (name, { expect }) => {
    const sdp = read(name);
    const role = roleOf(name);
    const jingle = await translate(['--to', 'jingle', '--role', role], sdp);
    expect(jingle.stderr).toBe('');
    expect(jingle.code).toBe(0);
    expect(jingle.stdout).toMatch(/^<jingle xmlns=["']urn:xmpp:jingle:1["']/);
    expect(jingle.stdout).toContain(role === 'initiator' ? 'session-initiate' : 'session-accept');
    const back = await translate(['--to', 'sdp', '--role', role], jingle.stdout);
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(semanticSdp(back.stdout)).toEqual(semanticSdp(sdp));
  });

  it.concurrent('--to sdp accepts the <jingle> inside an <iq type=set>', async ({ expect }) => {
    const sdp = read('chromium-audio-video-offer.sdp');
    const jingle = serializeXml(sdpToJingle(sdp, { role: 'initiator', sid: 'cli-iq', initiator: 'romeo@example.net/orchard' }));
    const iq = `<iq xmlns='jabber:client' type='set' id='j1' from='romeo@example.net/orchard' to='juliet@example.com/balcony'>${jingle}</iq>`;
    const back = await translate(['--to', 'sdp', '--role', 'initiator'], iq);
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(semanticSdp(back.stdout)).toEqual(semanticSdp(sdp));
  });
});

describe('jingle-gateway translate: errors exit 2 and name what is wrong', () => {
  it.concurrent('a truncated rtpmap line: the message names its line number', async ({ expect }) => {
    const sdp = read('chromium-audio-offer.sdp');
    const lines = sdp.split('\r\n');
    const index = lines.findIndex((l) => l.startsWith('a=rtpmap:111 '));
    expect(index).toBeGreaterThan(0);
    lines[index] = 'a=rtpmap:111';
    const run = await translate(['--to', 'jingle', '--role', 'initiator'], lines.join('\r\n'));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`\\bline ${index + 1}\\b`));
    expect(run.stderr).toContain('a=rtpmap:111');
  });

  it.concurrent('a <payload-type> without id: the message names the element', async ({ expect }) => {
    const jingle = sdpToJingle(read('chromium-audio-offer.sdp'), { role: 'initiator', sid: 'cli-bad' });
    const pt = jingle.getChild('content', NS.jingle)?.getChild('description', NS.rtp)?.getChild('payload-type');
    expect(pt?.attrs.id).toBe('111');
    if (pt) delete pt.attrs.id;
    const run = await translate(['--to', 'sdp', '--role', 'initiator'], serializeXml(jingle));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/payload-type/);
    expect(run.stderr).toMatch(/\bid\b/);
  });

  it.concurrent('SDP where --to sdp wants XML: a message, not a stack trace', async ({ expect }) => {
    const run = await translate(['--to', 'sdp', '--role', 'initiator'], read('chromium-audio-offer.sdp'));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^jingle-gateway translate: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.concurrent('missing --role is a usage error', async ({ expect }) => {
    const run = await translate(['--to', 'jingle'], read('chromium-audio-offer.sdp'));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--role/);
    expect(run.stderr).toMatch(/usage/);
  });

  it.concurrent('--to xml is a usage error', async ({ expect }) => {
    const run = await translate(['--to', 'xml', '--role', 'initiator'], read('chromium-audio-offer.sdp'));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--to/);
    expect(run.stderr).toMatch(/usage/);
  });
});

describe('jingle-gateway translate: transport-info both ways', () => {
  const CORPUS = new URL('../fixtures/jingle/', import.meta.url);
  const candidatesOf = (name: string): string[] => read(name).split('\n').map((l) => l.trim()).filter((l) => l !== '');

  it.concurrent('candidate lines under a=mid -> transport-info -> the same lines under their a=mid', async ({ expect }) => {
    const first = candidatesOf('chromium-audio-offer.candidates');
    const second = candidatesOf('chromium-data-offer.candidates');
    const input = `a=mid:0\n${first.join('\n')}\na=end-of-candidates\n\na=mid:data\n${second.map((l) => `a=${l}`).join('\n')}\n`;
    const ti = await translate(['--to', 'jingle', '--action', 'transport-info', '--sid', 'cli-trickle', '--initiator', 'romeo@example.net/orchard'], input);
    expect(ti.stderr).toBe('');
    expect(ti.code).toBe(0);
    expect(ti.stdout).toMatch(/^<jingle xmlns="urn:xmpp:jingle:1" action="transport-info" initiator="romeo@example.net\/orchard" sid="cli-trickle">/);
    expect(ti.stdout.match(/<content /g)?.length).toBe(2);
    const back = await translate(['--to', 'sdp'], ti.stdout);
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    const lines = back.stdout.split('\r\n').filter((l) => l !== '');
    const ufrag = (ls: string[]): string => / ufrag (\S+)/.exec(ls[0] as string)?.[1] ?? '';
    expect(lines).toEqual([
      'a=mid:0', `a=ice-ufrag:${ufrag(first)}`, ...first.map((l) => `a=${l}`), 'a=end-of-candidates',
      'a=mid:data', `a=ice-ufrag:${ufrag(second)}`, ...second.map((l) => `a=${l}`),
    ]);
  });

  it.concurrent('--mid names the content of candidate lines without an a=mid line', async ({ expect }) => {
    const ti = await translate(['--to', 'jingle', '--action', 'transport-info', '--sid', 's', '--mid', 'audio'], `${candidatesOf('chromium-audio-offer.candidates')[0]}\n`);
    expect(ti.code).toBe(0);
    expect(ti.stdout).toContain('<content creator="initiator" name="audio">');
  });

  it.concurrent.for(['movim-audio-transport-info.xml', 'stanzajs-audio-video-transport-info-4.xml'])('%s (H2 corpus) --to sdp: candidates under their a=mid', async (name, { expect }) => {
    const run = await translate(['--to', 'sdp'], readFileSync(new URL(name, CORPUS), 'utf8'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^a=mid:\S+\r\n(a=ice-ufrag:\S+\r\n)?(a=candidate:[^\r\n]+\r\n)+$/);
  });

  it.concurrent('a candidate line with no mid: exit 2 naming the line', async ({ expect }) => {
    const run = await translate(['--to', 'jingle', '--action', 'transport-info', '--sid', 's'], `\n${candidatesOf('chromium-audio-offer.candidates')[0]}\n`);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/line 2: a candidate needs its mid/);
  });

  it.concurrent('candidate lines without --action transport-info: a usage error that says so', async ({ expect }) => {
    const run = await translate(['--to', 'jingle', '--role', 'initiator'], `a=mid:0\n${candidatesOf('chromium-audio-offer.candidates')[0]}\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--action transport-info/);
  });

  it.concurrent('a transport-info without --sid is a usage error', async ({ expect }) => {
    const run = await translate(['--to', 'jingle', '--action', 'transport-info'], 'a=mid:0\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--sid/);
  });
});

