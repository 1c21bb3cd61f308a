// One simulated user of the load benchmark: a logged-in @xmpp/client connection that runs many call
// flows at once. Its own answers are dispatched by key (an iq id through xmpp.js's iq caller, a JMI
// sid and action, a session-accept's sid), so a user with 50 flows in flight costs one lookup per
// stanza, not one listener per wait. Every request the component makes of it is answered at once.
import type { Element } from 'ltx';
import { client, type Authenticate, type Client } from '@xmpp/client';
import { NS, findJmi, isTranslateError } from '../schemas/index.ts';
import { Tally, Timeout, deferred } from './load-tally.ts';

/**
 * Logs a user in with SASL PLAIN over loopback (the benchmark's Prosody allows it): SCRAM-SHA-1 on
 * WebCrypto costs about 150 ms of CPU per login, which for 100 users would be the longest part of the run.
 */
export async function login(service: string, username: string, password: string): Promise<Client> {
  const entity = client({
    service, domain: 'localhost', resource: 'load',
    credentials: (authenticate: Authenticate) => authenticate({ username, password }, 'PLAIN'),
  });
  entity.reconnect.stop();
  const errors: Error[] = [];
  entity.on('error', (err) => { errors.push(err); });
  await entity.start().catch((err: Error) => { throw new Error(`login ${username}: ${err.message}`); });
  entity.on('disconnect', () => { if (!stopping.has(entity)) console.error(`load: ${username} lost its connection (${errors.at(-1)?.message ?? 'no error'})`); });
  return entity;
}
const stopping = new WeakSet<Client>();

/** xmpp.js's iq callee answers an empty result to any truthy value that is not an element. */
const ACK = true as unknown as Element;

export class LoadUser {
  readonly #waiters = new Map<string, { resolve(el: Element): void }>();
  readonly #echo: string;

  constructor(
    readonly xmpp: Client,
    /** Where this user's requests and answers are counted; each round gives it a fresh one. */
    public tally: Tally,
    readonly timeoutMs: number,
    echoFull: string,
  ) {
    this.#echo = echoFull;
    xmpp.iqCallee.set(NS.jingle, 'jingle', ({ stanza, element }) => {
      const tally = this.tally;
      tally.fromComponent++;
      const action = element.attrs.action as string;
      const key = `${element.attrs.sid as string}\0${action}`;
      this.#waiters.get(key)?.resolve(stanza);
      this.#waiters.delete(key);
      tally.acked++;
      tally.toComponent++;
      return ACK;
    });
    xmpp.on('stanza', (s) => {
      if (s.name !== 'message' || s.attrs.from !== this.#echo) return;
      let jmi;
      try {
        jmi = findJmi(s);
      } catch (err) {
        if (!isTranslateError(err)) throw err;
        return;
      }
      if (!jmi) return;
      this.tally.fromComponent++;
      const key = `${jmi.id}\0${jmi.action}`;
      this.#waiters.get(key)?.resolve(s);
      this.#waiters.delete(key);
    });
  }

  get jid(): string {
    return this.xmpp.jid?.toString() ?? '';
  }

  async stop(): Promise<void> {
    stopping.add(this.xmpp);
    await this.xmpp.stop().catch(() => undefined);
  }

  /** The next stanza the echo sends for this sid: a JMI action (`ringing`) or a Jingle one (`session-accept`). */
  expect(sid: string, action: string): Promise<Element> {
    const key = `${sid}\0${action}`;
    const d = deferred<Element>(this.timeoutMs, `${action} for ${sid}`);
    this.#waiters.set(key, d);
    d.promise.catch(() => this.#waiters.delete(key));
    return d.promise;
  }

  async send(stanza: Element): Promise<void> {
    this.tally.toComponent++;
    await this.xmpp.send(stanza);
  }

  /** An iq to the component: resolves with the result, rejects with the StanzaError or a Timeout. */
  async request(iq: Element): Promise<Element> {
    this.tally.toComponent++;
    try {
      const result = await this.xmpp.iqCaller.request(iq, this.timeoutMs);
      this.tally.fromComponent++;
      return result;
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') throw new Timeout((err as Error).message);
      this.tally.fromComponent++;
      throw err;
    }
  }
}
