/**
 * Our trickled candidates on their way to the peer (XEP-0176), in order with the description they
 * belong to: held while that description is being made (its candidates go in it), collected while it
 * waits for the peer's ack, then sent one transport-info at a time as they come. Each transport names
 * the ufrag and pwd of the credentials in force (call-jingle.ts trickle).
 */
import type { Element } from 'ltx';
import type { CandidateInit } from '../../schemas/index.ts';
import { trickle, type Credentials } from './call-jingle.ts';

export class CandidateOutbox {
  /** 'hold': candidates are in the description being made; an array: wait for its ack; undefined: send. */
  #outgoing: CandidateInit[] | 'hold' | undefined = 'hold';
  /** Our credentials by mid, from the last local description. */
  credentials = new Map<string, Credentials>();

  constructor(
    private readonly sid: string,
    private readonly send: (transportInfo: Element) => void,
    private readonly log?: (message: string, err?: unknown) => void,
  ) {}

  /** A description is being made: its candidates will be in it. */
  hold(): void {
    this.#outgoing = 'hold';
  }

  /** The description is sent: keep candidates until the peer acknowledges it. */
  collect(credentials?: Map<string, Credentials>): void {
    if (credentials) this.credentials = credentials;
    this.#outgoing = [];
  }

  /**
   * The peer has the description: send what was collected (unless `sendCollected` is false: it refused
   * the description they belong to), and from now on candidates as they come.
   */
  flush(sendCollected = true): void {
    const pending = Array.isArray(this.#outgoing) ? this.#outgoing : [];
    this.#outgoing = undefined;
    if (sendCollected && pending.length > 0) this.#send(pending);
  }

  /** One of our candidates, as the MediaSession trickles it. */
  add(c: CandidateInit): void {
    if (c.candidate === '' || this.#outgoing === 'hold') return;
    if (this.#outgoing) this.#outgoing.push(c);
    else this.#send([c]);
  }

  #send(list: CandidateInit[]): void {
    const fallback = this.credentials.keys().next().value ?? '0';
    const fixed = list.map((c) => (c.sdpMid ? c : { ...c, sdpMid: fallback }));
    let info: Element;
    try {
      info = trickle(this.sid, fixed, this.credentials);
    } catch (err) {
      return this.log?.('could not translate our candidate', err);
    }
    this.send(info);
  }
}
