/** What the roster keeps of one online resource, read from its presence (RFC 6121 4.7), no I/O. */
import type { Element } from 'ltx';
import { capsOf, type Caps } from '../xmpp/caps.ts';
import { resourceOf } from '../xmpp/jid.ts';

export type Show = 'available' | 'chat' | 'away' | 'xa' | 'dnd';

export interface ResourcePresence {
  /** Full JID. */
  jid: string;
  resource: string;
  show: Show;
  status: string | undefined;
  priority: number;
  /** Their XEP-0115 caps, if announced. */
  caps: Caps | undefined;
}

/**
 * Whether a call can ring the contact now, for the call button: `online` with the devices that are,
 * `offline` (we see their presence and none is there), or `unknown` (we cannot see it; `reason` says why).
 */
export interface Reachability {
  state: 'online' | 'offline' | 'unknown';
  resources: ResourcePresence[];
  reason: string | undefined;
}

const SHOWS: readonly string[] = ['chat', 'away', 'xa', 'dnd'];

export function readPresence(p: Element, from: string): ResourcePresence {
  const show = p.getChildText('show')?.trim() ?? '';
  const priority = Number.parseInt(p.getChildText('priority') ?? '0', 10);
  return {
    jid: from,
    resource: resourceOf(from) ?? '',
    show: (SHOWS.includes(show) ? show : 'available') as Show,
    status: p.getChildText('status') ?? undefined,
    priority: Number.isFinite(priority) ? Math.max(-128, Math.min(127, priority)) : 0,
    caps: capsOf(p),
  };
}
