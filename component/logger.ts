/** Structured logs (pino): one JSON line per event, to stdout. */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config-options.ts';

export type { Logger };

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'jingle-gateway' } }, destination ?? process.stdout);
}
