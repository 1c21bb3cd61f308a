/** What every service of the component gets, and what it offers back. */
import type { Element } from 'ltx';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Router } from './router.ts';
import type { Disco } from './services/disco.ts';

export interface ServiceContext {
  config: Config;
  log: Logger;
  metrics: Metrics;
  disco: Disco;
  /** Sends a stanza through the server; rejects when offline. */
  send(el: Element): Promise<void>;
  /** Sends an iq get/set and resolves with the result iq, rejects with the error iq or on timeout. */
  request(iq: Element, timeoutMs?: number): Promise<Element>;
  now(): number;
}

export interface Service {
  /** disco#info features of the component's domain. */
  readonly features: readonly string[];
  register(router: Router): void;
  /** Called after every (re)connect, e.g. to announce presence again. */
  online?(): void | Promise<void>;
  close?(): Promise<void>;
}
