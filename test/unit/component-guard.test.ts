// Callbacks nobody awaits must not end the process (issue 12 item 3): guarded() and the HTTP server.
import { describe, expect, it } from 'vitest';
import { guarded } from '../../component/guard.ts';
import { startHttp } from '../../component/http.ts';
import { Metrics } from '../../component/metrics.ts';

describe('guarded callbacks', () => {
  it('turn a throw and a rejected promise into one log line each, naming the callback', async () => {
    const lines: object[] = [];
    const log = { error: (o: object) => void lines.push(o) };
    guarded(log, 'sync', () => { throw new Error('boom'); })();
    guarded(log, 'async', async () => { throw new Error('later'); })();
    guarded(log, 'fine', (n: number) => n + 1)(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([{ err: 'boom', callback: 'sync' }, { err: 'later', callback: 'async' }]);
  });

  it('a logger that throws too is swallowed', () => {
    const log = { error: () => { throw new Error('log down'); } };
    expect(() => guarded(log, 'x', () => { throw new Error('boom'); })()).not.toThrow();
  });
});

describe('the HTTP server', () => {
  it('answers 500 when a callback throws, and goes on serving', async () => {
    let fail = true;
    const http = await startHttp({
      port: 0, bind: '127.0.0.1', metrics: new Metrics(),
      online: () => {
        if (fail) throw new Error('health check bug');
        return true;
      },
    });
    try {
      expect((await fetch(`http://127.0.0.1:${http.port}/health`)).status).toBe(500);
      fail = false;
      expect((await fetch(`http://127.0.0.1:${http.port}/health`)).status).toBe(200);
    } finally {
      await http.close();
    }
  });
});
