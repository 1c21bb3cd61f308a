// The top frames of a V8 CPU profile (.cpuprofile, as `node --cpu-prof` writes it): self time and
// total time per function, so a benchmark can print where a process spent its CPU. Pure but for
// reading the file; `npx tsx bench/profile-top.ts <file.cpuprofile> [count]` prints the table.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface Frame { name: string; where: string; selfMs: number; totalMs: number }

/** Self and total time per function (by name and place), largest self time first. */
export function topFrames(profile: Profile): { frames: Frame[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const frames = new Map<string, Frame>();
  const keyOf = (n: ProfileNode): string => {
    const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/').replace(/^.*\/main\//, '');
    return `${n.callFrame.functionName || '(anonymous)'}\t${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`;
  };
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    // Start-up is not what a benchmark measures: samples loading and compiling modules are left out.
    if (loading(id, byId, parent)) continue;
    totalUs += us;
    const seen = new Set<string>();
    for (let cur: number | undefined = id, first = true; cur !== undefined; cur = parent.get(cur), first = false) {
      const key = keyOf(byId.get(cur)!);
      let f = frames.get(key);
      if (!f) {
        const [name, where] = key.split('\t') as [string, string];
        f = { name, where, selfMs: 0, totalMs: 0 };
        frames.set(key, f);
      }
      if (first) f.selfMs += us / 1000;
      // A recursive function counts once per sample in its total.
      if (!seen.has(key)) f.totalMs += us / 1000;
      seen.add(key);
    }
  }
  return { frames: [...frames.values()].sort((a, b) => b.selfMs - a.selfMs), totalMs: totalUs / 1000 };
}

const LOADING = /^node:internal\/modules\/|\/tsx\/dist\/|\/esbuild\//;

function loading(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): boolean {
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    if (LOADING.test(byId.get(cur)!.callFrame.url)) return true;
  }
  return false;
}

const IDLE = new Set(['(idle)', '(program)']);

/** Where self time went by package or source folder (ltx, @xmpp/xml, schemas/sdp, component/...). */
export function byArea(frames: readonly Frame[]): Map<string, number> {
  const areas = new Map<string, number>();
  for (const f of frames) {
    if (IDLE.has(f.name)) continue;
    const where = f.where.replace(/:\d+$/, '');
    const area = where === '' ? f.name : where.startsWith('~/') ? where.split('/').slice(1, where.startsWith('~/@') ? 3 : 2).join('/')
      : where.startsWith('node:') ? 'node internals' : where.split('/').slice(0, -1).join('/') || where;
    areas.set(area, (areas.get(area) ?? 0) + f.selfMs);
  }
  return new Map([...areas].sort((a, b) => b[1] - a[1]));
}

/** The top frames by self time, as shares of the busy (not idle) time. */
export function formatTop(profile: Profile, count = 25): string {
  const { frames, totalMs } = topFrames(profile);
  const idleMs = frames.filter((f) => IDLE.has(f.name)).reduce((a, f) => a + f.selfMs, 0);
  const busyMs = totalMs - idleMs;
  const pct = (ms: number): string => `${((ms / busyMs) * 100).toFixed(1)}%`.padStart(6);
  const lines = frames.filter((f) => !IDLE.has(f.name)).slice(0, count).map((f) => `${pct(f.selfMs)} self ${pct(f.totalMs)} total  ${f.name}  ${f.where}`);
  const areas = [...byArea(frames)].slice(0, 12).map(([a, ms]) => `${a} ${pct(ms).trim()}`);
  return [`${totalMs.toFixed(0)} ms sampled (module loading left out), ${busyMs.toFixed(0)} ms busy; self time by area: ${areas.join(', ')}`,
    `top ${count} functions by self time (% of busy):`, ...lines].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx bench/profile-top.ts <file.cpuprofile> [count]');
  console.log(formatTop(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25)));
}
