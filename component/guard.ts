/**
 * Callbacks the event loop calls on its own (datagram handlers, timers, werift events) have no caller
 * to catch what they throw: an exception there ends the process, and with it every call and the
 * component's link to the server. Each such callback is wrapped here: a throw or a rejected promise
 * becomes one log line naming the callback, and the process goes on.
 */

/** Where a caught error goes; pino's Logger fits. */
export interface GuardLog {
  error(obj: object, msg: string): void;
}

export function guarded<A extends unknown[]>(log: GuardLog, what: string, fn: (...args: A) => unknown): (...args: A) => void {
  return (...args: A) => {
    try {
      const r = fn(...args);
      if (r instanceof Promise) r.catch((err: unknown) => report(log, what, err));
    } catch (err) {
      report(log, what, err);
    }
  };
}

function report(log: GuardLog, what: string, err: unknown): void {
  try {
    log.error({ err: err instanceof Error ? err.message : String(err), callback: what }, 'a callback failed; the component goes on');
  } catch {
    // A logger that throws must not bring down what it reports on.
  }
}
