/**
 * Our own iq requests (session-accept, transport-info, ...): each waits for the response with its id
 * from the address it was sent to, or times out. A response from anyone else is not ours to take: a
 * third party guessing ids cannot answer for the peer.
 */
import type { Element } from 'ltx';
import { el } from '../schemas/xml.ts';

interface Pending {
  to: string;
  resolve: (iq: Element) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class IqError extends Error {
  override readonly name = 'IqError';
  constructor(readonly iq: Element) {
    super(`iq error from ${String(iq.attrs.from)}`);
  }
}

export class IqCaller {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private readonly prefix = `jg${Math.random().toString(36).slice(2, 8)}`;

  constructor(private readonly send: (iq: Element) => Promise<void>) {}

  request(iq: Element, timeoutMs = 15_000): Promise<Element> {
    const id = (iq.attrs.id as string | undefined) ?? `${this.prefix}${(++this.counter).toString(36)}`;
    iq.attrs.id = id;
    const to = String(iq.attrs.to ?? '');
    return new Promise<Element>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no response to iq ${id} from ${to} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { to, resolve, reject, timer });
      this.send(iq).catch((err: Error) => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err);
      });
    });
  }

  /** Takes an iq result or error that answers one of ours; false if it answers nothing we sent. */
  handle(iq: Element): boolean {
    const id = iq.attrs.id as string | undefined;
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p || String(iq.attrs.from ?? '').toLowerCase() !== p.to.toLowerCase()) return false;
    this.pending.delete(id as string);
    clearTimeout(p.timer);
    if (iq.attrs.type === 'result') p.resolve(iq);
    else p.reject(new IqError(iq));
    return true;
  }

  /** Fails every request in flight, e.g. when the connection is lost. */
  failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`${reason} (iq ${id})`));
    }
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}

export function iqSet(to: string, from: string, payload: Element): Element {
  return el('iq', { type: 'set', to, from }, [payload]);
}
