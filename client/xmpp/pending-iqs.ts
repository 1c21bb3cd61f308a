/**
 * Our iq requests waiting for their replies, by id. Each settles once: with its result, with an
 * IqFailure (the error reply, a timeout, or the connection gone before the reply), or with the error
 * that kept it from being sent. Shared by the real link and the fake one, so both settle alike.
 */
import type { Element } from 'ltx';
import { IqFailure } from './link.ts';

interface Waiting {
  /** Whom the request went to: a reply must come from there. */
  to: string | undefined;
  resolve: (e: Element) => void;
  reject: (e: Error) => void;
}

export class PendingIqs {
  readonly #waiting = new Map<string, Waiting>();

  /** Sends `iq` (whose id is set) with `send`, and waits up to `timeoutMs` for its reply. */
  request(iq: Element, timeoutMs: number, send: (iq: Element) => Promise<void>): Promise<Element> {
    const id = String(iq.attrs.id);
    return new Promise<Element>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(id, new IqFailure(undefined, `timeout waiting for ${id}`)), timeoutMs);
      this.#waiting.set(id, {
        to: iq.attrs.to as string | undefined,
        resolve: (e) => { clearTimeout(timer); resolve(e); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      send(iq).catch((err: unknown) => this.#fail(id, err as Error));
    });
  }

  /**
   * Settles the request an iq result or error answers; false if it answers none we wait for, or if
   * `fromOk` refuses its sender for the address the request went to.
   */
  settle(reply: Element, fromOk: (to: string | undefined) => boolean = () => true): boolean {
    const id = String(reply.attrs.id ?? '');
    const w = this.#waiting.get(id);
    if (w === undefined || !fromOk(w.to)) return false;
    this.#waiting.delete(id);
    if (reply.attrs.type === 'result') w.resolve(reply);
    else w.reject(new IqFailure(reply));
    return true;
  }

  /** Fails every waiting request: the connection they went out on is gone. */
  failAll(why: string): void {
    for (const id of [...this.#waiting.keys()]) this.#fail(id, new IqFailure(undefined, `${why} before the reply to ${id}`));
  }

  #fail(id: string, err: Error): void {
    const w = this.#waiting.get(id);
    this.#waiting.delete(id);
    w?.reject(err);
  }
}
