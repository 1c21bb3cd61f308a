// The load benchmark's bookkeeping: every request a simulated user makes, every answer it expects,
// and how long each took. An answer that never comes is lost; an error answer is an error. Both must
// stay at zero for a run to count.

/** The request/response steps of one call flow, in the order they happen. */
export const STEPS = [
  'propose -> ringing',
  'propose -> proceed',
  'session-initiate -> result',
  'session-initiate -> session-accept',
  'transport-info -> result',
  'session-terminate -> result',
  'translate -> result',
] as const;
export type Step = (typeof STEPS)[number];

export class Timeout extends Error {
  override readonly name = 'Timeout';
}

export class Tally {
  readonly latency = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
  /** Answers expected (a propose expects two: ringing and proceed). */
  expected = 0;
  answered = 0;
  /** Expected answers that did not come in time, by step. */
  readonly lost = new Map<string, number>();
  /** Error answers, by step and condition. */
  readonly errors = new Map<string, number>();
  /** Requests the component made of us (session-accept, transport-info), each answered with a result. */
  acked = 0;
  /** Stanzas sent to and received from the component, to compare with its own counters. */
  toComponent = 0;
  fromComponent = 0;
  flowsDone = 0;

  /** Waits for one expected answer and files it under `step`, timed from `since` (performance.now()). */
  async answer<T>(step: Step, answer: Promise<T>, since: number): Promise<T> {
    this.expected++;
    try {
      const value = await answer;
      this.answered++;
      this.latency.get(step)!.push(performance.now() - since);
      return value;
    } catch (err) {
      const into = err instanceof Timeout ? this.lost : this.errors;
      const key = err instanceof Timeout ? step : `${step}: ${(err as { condition?: string }).condition ?? (err as Error).message}`;
      into.set(key, (into.get(key) ?? 0) + 1);
      throw err;
    }
  }

  /** Adds another tally's answers, latencies, losses and errors to this one. */
  merge(from: Tally): void {
    for (const [s, l] of from.latency) for (const ms of l) this.latency.get(s)!.push(ms);
    this.expected += from.expected;
    this.answered += from.answered;
    for (const [k, n] of from.lost) this.lost.set(k, (this.lost.get(k) ?? 0) + n);
    for (const [k, n] of from.errors) this.errors.set(k, (this.errors.get(k) ?? 0) + n);
  }

  get lostCount(): number {
    return [...this.lost.values()].reduce((a, b) => a + b, 0);
  }

  get errorCount(): number {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }

  /** What went wrong, one line, for the report. */
  problems(): string {
    return [...this.lost].map(([k, n]) => `lost ${n}x ${k}`).concat([...this.errors].map(([k, n]) => `${n}x ${k}`)).join('; ');
  }
}

/** A promise settled from outside, with a timeout that rejects it as lost. */
export function deferred<T>(timeoutMs: number, what: string): { promise: Promise<T>; resolve(v: T): void; cancel(): void } {
  let resolve!: (v: T) => void;
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((ok, fail) => {
    resolve = (v) => { clearTimeout(timer); ok(v); };
    timer = setTimeout(() => fail(new Timeout(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return { promise, resolve, cancel: () => clearTimeout(timer) };
}
