/**
 * The steps of a call's setup, marked as they happen, for the call set-up benchmark (bench:call) to
 * break the time from "Audio call" to connected into its parts. The sink (CallOptions.timings, or
 * CallController.timings set later) takes its own clock: the controller only names the step, so a call
 * without a sink costs one undefined check per step.
 */

/** Steps of both sides; each is marked at most once per call (the first time it happens). */
export const CALL_STEPS = [
  // caller
  'call', 'propose-sent', 'proceed-received', 'initiate-sent', 'initiate-acked', 'accept-received', 'answer-applied',
  // callee
  'propose-received', 'accept-pressed', 'proceed-sent', 'initiate-received', 'answer-made', 'accept-sent', 'accept-acked',
  // either side: the media (the last four are the MediaSession's own progress, MediaProgress)
  'ice-servers', 'pc-created', 'offer-made', 'devices-opening', 'devices-open',
  'first-candidate', 'gathered', 'ice-checking', 'ice-connected', 'connected',
] as const;
export type CallStep = (typeof CALL_STEPS)[number];

/** Receives each step of a call's setup with the call's sid (a JMI call's sid is the same on both sides). */
export type CallTimings = (step: CallStep, sid: string) => void;

/** Marks each step of one call once: the sink is read at each mark, so it may be set during the call. */
export class StepMarks {
  readonly #done = new Set<CallStep>();
  constructor(private readonly sid: string, private readonly sink: () => CallTimings | undefined) {}

  mark(step: CallStep): void {
    const sink = this.sink();
    if (sink === undefined || this.#done.has(step)) return;
    this.#done.add(step);
    try {
      sink(step, this.sid);
    } catch {
      // a benchmark's sink never breaks a call
    }
  }
}
