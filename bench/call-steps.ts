// The breakdown of bench:call: each call's steps (client/controllers/call-timing.ts), as marked in the
// caller's and the callee's pages, turned into a timeline (ms since the click) and the intervals issue
// 13 names (JMI, getUserMedia, createOffer, gathering, session-initiate -> accept, ICE checks, DTLS),
// beside the same steps of the floor (two peer connections in one page). Pure: no browser here.
import type { CallStep } from '../client/controllers/call-timing.ts';
import { percentile, table } from './report.ts';

/** One step as a page marked it: the absolute time (ms, performance.timeOrigin + now) it happened. */
export interface Mark { step: string; at: number }

/** Steps of one run by side, in ms since the click (or since the floor's start). */
export type RunSteps = Record<string, number>;

export function sinceStart(marks: readonly Mark[], t0: number): RunSteps {
  const out: RunSteps = {};
  for (const m of marks) if (!(m.step in out)) out[m.step] = m.at - t0;
  return out;
}

/** An interval between two steps of one side; a run missing either step does not count. */
interface Interval { name: string; from: string; to: string }

const CALLER: readonly Interval[] = [
  { name: 'ICE servers (XEP-0215, cached)', from: 'call', to: 'ice-servers' },
  { name: 'createOffer (peer connection made -> offer)', from: 'pc-created', to: 'offer-made' },
  { name: 'getUserMedia', from: 'devices-opening', to: 'devices-open' },
  { name: 'ICE gathering (offer -> complete)', from: 'offer-made', to: 'gathered' },
  { name: 'JMI propose -> proceed', from: 'propose-sent', to: 'proceed-received' },
  { name: 'proceed -> session-initiate sent', from: 'proceed-received', to: 'initiate-sent' },
  { name: 'session-initiate -> session-accept', from: 'initiate-sent', to: 'accept-received' },
  { name: 'session-accept -> answer applied', from: 'accept-received', to: 'answer-applied' },
  { name: 'ICE checks', from: 'ice-checking', to: 'ice-connected' },
  { name: 'DTLS (ICE connected -> connected)', from: 'ice-connected', to: 'connected' },
];

const CALLEE: readonly Interval[] = [
  { name: 'JMI propose -> ringing -> Accept', from: 'propose-received', to: 'accept-pressed' },
  { name: 'Accept -> proceed sent', from: 'accept-pressed', to: 'proceed-sent' },
  { name: 'proceed -> session-initiate received', from: 'proceed-sent', to: 'initiate-received' },
  { name: 'session-initiate -> answer made', from: 'initiate-received', to: 'answer-made' },
  { name: 'answer made -> session-accept sent', from: 'answer-made', to: 'accept-sent' },
  { name: 'getUserMedia', from: 'devices-opening', to: 'devices-open' },
  { name: 'ICE gathering (answer -> complete)', from: 'answer-made', to: 'gathered' },
  { name: 'ICE checks', from: 'ice-checking', to: 'ice-connected' },
  { name: 'DTLS (ICE connected -> connected)', from: 'ice-connected', to: 'connected' },
];

const FLOOR: readonly Interval[] = [
  { name: 'getUserMedia (both at once)', from: 'start', to: 'devices-open' },
  { name: 'createOffer + setLocalDescription', from: 'devices-open', to: 'offer-made' },
  { name: 'offer applied, answer made and applied', from: 'offer-made', to: 'answer-applied' },
  { name: 'ICE checks (1st peer)', from: 'ice-checking', to: 'ice-connected' },
  { name: 'DTLS (1st peer)', from: 'ice-connected', to: 'connected' },
];

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-');
const med = (v: readonly number[]): number => percentile(v, 50);

function values(runs: readonly RunSteps[], step: string): number[] {
  return runs.map((r) => r[step]).filter((v): v is number => v !== undefined);
}

function intervalRows(runs: readonly RunSteps[], intervals: readonly Interval[]): string[][] {
  return intervals.map(({ name, from, to }) => {
    const d = runs.flatMap((r) => (r[from] !== undefined && r[to] !== undefined ? [r[to]! - r[from]!] : []));
    return [`  ${name}`, fmt(med(d)), fmt(percentile(d, 90)), String(d.length)];
  });
}

/** Each step's median time since the click, caller and callee side by side, in the caller's order. */
function timeline(caller: readonly RunSteps[], callee: readonly RunSteps[], order: readonly CallStep[]): string[][] {
  const steps = order.filter((s) => values(caller, s).length > 0 || values(callee, s).length > 0);
  const known = (v: number): number => (Number.isNaN(v) ? Infinity : v);
  const at = (s: string): number => Math.min(known(med(values(caller, s))), known(med(values(callee, s))));
  return [...steps].sort((a, b) => at(a) - at(b)).map((s) => [`  ${s}`, fmt(med(values(caller, s))), fmt(med(values(callee, s)))]);
}

export function breakdown(caller: readonly RunSteps[], callee: readonly RunSteps[], floor: readonly RunSteps[], order: readonly CallStep[]): string {
  return [
    'Steps, median ms since the click on "Audio call" (bob accepts the moment his call rings)',
    table(['', 'alice (caller)', 'bob (callee)'], timeline(caller, callee, order)),
    '',
    'Intervals (ms)',
    table(['', 'median', 'p90', 'runs'], [
      ['alice (caller)', '', '', ''], ...intervalRows(caller, CALLER),
      ['bob (callee)', '', '', ''], ...intervalRows(callee, CALLEE),
      ['floor (2 peer connections in 1 page)', '', '', ''], ...intervalRows(floor, FLOOR),
    ]),
  ].join('\n');
}
