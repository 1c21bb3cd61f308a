// Starts our component in this process against a test server, with its JSON log lines collected so
// tests can assert that a refused stanza left a log line.
import { Writable } from 'node:stream';
import { loadConfig } from '../../component/config.ts';
import { createLogger } from '../../component/logger.ts';
import { startComponent, type RunningComponent } from '../../component/main.ts';

export interface TestComponentProcess extends RunningComponent {
  logs: { level: number; msg: string; [k: string]: unknown }[];
}

export async function runComponent(argv: string[], waitOnline = true): Promise<TestComponentProcess> {
  const config = loadConfig({ argv, env: {}, readFile: () => '' });
  const logs: TestComponentProcess['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as TestComponentProcess['logs'][number]);
      done();
    },
  });
  const running = await startComponent(config, createLogger('debug', sink));
  if (waitOnline) await running.ready;
  return Object.assign(running, { logs });
}
