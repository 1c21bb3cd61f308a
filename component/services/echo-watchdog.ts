/**
 * The echo call watchdog: a call whose echoed packets (and data channel messages) stopped growing for
 * `idleMs` is dead (the caller vanished, its media was cut, or a stranger's datagram broke its
 * transport) and must not hold a slot until echo-max-seconds. Pure: it reads the counts, moves each
 * call's progress mark, and returns the calls to end.
 */
import type { Call } from './echo-types.ts';

export function idleCalls(calls: Iterable<Call>, now: number, idleMs: number): Call[] {
  const idle: Call[] = [];
  for (const call of calls) {
    const count = call.peer.echoed.packets + call.peer.echoed.messages;
    if (count !== call.progress) {
      call.progress = count;
      call.progressAt = now;
    } else if (now - call.progressAt >= idleMs) {
      idle.push(call);
    }
  }
  return idle;
}
