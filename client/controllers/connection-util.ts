/** Small helpers of the connection controller around @xmpp/client. */
import type { Element } from 'ltx';
import { xml, type Client } from '@xmpp/client';
import { ConnectionError } from './connection-error.ts';

/** Copies an element into @xmpp/client's own ltx class, which its callee checks with instanceof. */
export function toXmpp(el: Element): Element {
  const children = el.children.map((c) => (typeof c === 'string' ? c : toXmpp(c as Element)));
  return xml(el.name, { ...el.attrs }, ...children);
}

export async function closeEntity(entity: Client): Promise<void> {
  entity.reconnect.stop();
  await withTimeout(entity.stop(), 3_000).catch(() => undefined);
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ConnectionError('timeout')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}

/**
 * A resource of our own for a login that names none. Asking for the same one at every reconnect keeps our
 * full JID, so a call's peer (who addresses that full JID) can still reach us after the WebSocket drops.
 */
export function newResource(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
