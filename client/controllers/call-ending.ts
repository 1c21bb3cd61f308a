/**
 * The stanzas that end a call from our side, sent synchronously: every send below writes to the socket
 * before it returns its promise (the real link and FakeLink alike), so a caller on its way out
 * (`pagehide`, logout) has told the peer before the connection closes. What ends the call depends on
 * how far it got: the session's session-terminate, else XEP-0353's retract (calling) or reject
 * (called, to the caller and to our own other devices).
 *
 * Also: the hooks that end a call when the page goes away or the user logs out.
 */
import type { Reason } from '../../schemas/index.ts';
import { IqFailure, type XmppLink } from '../xmpp/link.ts';
import { jingleIq, jmiMessage, terminate } from './call-jingle.ts';
import type { Call } from './call-record.ts';

/** JMI reject to the caller and to our own devices, or session-terminate if it came as Jingle. */
export function refuse(link: XmppLink, c: Call, ownBare: string, reason: Reason = { condition: 'decline' }): void {
  if (c.initiate && c.peerFull) {
    void link.request(jingleIq(c.peerFull, terminate(c.sid, reason)), 5_000).catch(() => undefined);
    return;
  }
  if (c.peerFull) void link.send(jmiMessage('reject', c.sid, c.peerFull, [], reason)).catch(() => undefined);
  void link.send(jmiMessage('reject', c.sid, ownBare, [], reason)).catch(() => undefined);
}

/**
 * Tells the peer that we end call `c` (not ringing: decline() handles that). Without `reason`, the one
 * hanging up means: success once accepted, cancel while calling, decline while still being set up here.
 */
export function sendHangUp(link: XmppLink, c: Call, ownBare: string, reason?: Reason): void {
  const s = c.session;
  if (s && !s.ended) {
    s.hangUp(reason ?? { condition: s.accepted ? 'success' : c.direction === 'outgoing' ? 'cancel' : 'decline' });
  } else if (s) {
    return;
  } else if (c.direction === 'outgoing') {
    if (c.jmi) void link.send(jmiMessage('retract', c.sid, c.peerFull ?? c.peer, [], reason ?? { condition: 'cancel' })).catch(() => undefined);
  } else {
    refuse(link, c, ownBare, reason);
  }
}

/**
 * The words for an iq error from the peer that means it no longer has the call (issue 11 B2): it forgot
 * it (item-not-found, unknown-session: a reloaded page), or its resource is gone (service-unavailable,
 * as the server answers for a full JID that is not online). Undefined for any other failure.
 */
export function peerGone(err: unknown): string | undefined {
  const condition = err instanceof IqFailure ? err.condition : undefined;
  if (condition === 'item-not-found') return 'the other side no longer knows this call';
  if (condition === 'service-unavailable' || condition === 'recipient-unavailable') return 'the other side is no longer reachable';
  return undefined;
}

/**
 * What to do when the peer answers our ICE restart with an error: nothing when we lost the tie-break
 * (the initiator's own restart wins; its offer replaces ours), again once we are back when our own
 * connection dropped on the way, else see whether the peer is gone (peerGone; otherwise it restarts
 * itself when it is back, or the recovery timer ends the call).
 */
export function afterRestartRefused(err: unknown, online: boolean): 'lost-tie-break' | 'when-online' | 'peer' {
  if (err instanceof IqFailure && err.condition === 'conflict') return 'lost-tie-break';
  return online ? 'peer' : 'when-online';
}

/** A link that can tell us, synchronously, that it is about to close (ConnectionController.onBeforeClose). */
interface ClosingLink {
  onBeforeClose(handler: () => void): () => void;
}

function closing(link: XmppLink): link is XmppLink & ClosingLink {
  return typeof (link as Partial<ClosingLink>).onBeforeClose === 'function';
}

/**
 * Calls `end` when the user logs out (before the stream closes) and when the page is hidden for good or
 * unloaded (`pagehide`, `beforeunload`: a reload, a closed tab, a navigation). Returns the function
 * that stops watching.
 */
export function watchExits(link: XmppLink, end: (why: string) => void): () => void {
  const offs: (() => void)[] = [];
  if (closing(link)) offs.push(link.onBeforeClose(() => end('you logged out')));
  const win = typeof window === 'undefined' ? undefined : window;
  if (win) {
    const unload = (): void => end('the page was closed');
    win.addEventListener('pagehide', unload);
    win.addEventListener('beforeunload', unload);
    offs.push(() => {
      win.removeEventListener('pagehide', unload);
      win.removeEventListener('beforeunload', unload);
    });
  }
  return () => { for (const off of offs.splice(0)) off(); };
}
