/**
 * Who may say what about a call, as pure functions: an incoming XEP-0353 message or XEP-0166 iq-set,
 * read against the call in progress, becomes one event for the controller, or nothing (ignored) or a
 * stanza error. Only the call's peer moves a call; our own other devices may only stop it ringing.
 */
import type { Element } from 'ltx';
import { NS, findJmi, type JmiMessage, type Jingle } from '../../schemas/index.ts';
import { jingleError, unwrapCarbon } from './call-jingle.ts';
import type { CallState } from './call-states.ts';

export const bare = (jid: string): string => (jid.split('/')[0] ?? '').toLowerCase();

/** A full JID as the server compares it: local part and domain case-folded, resource as is. */
function full(jid: string): string {
  const slash = jid.indexOf('/');
  return slash < 0 ? jid.toLowerCase() : jid.slice(0, slash).toLowerCase() + jid.slice(slash);
}

export const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && full(a) === full(b);

/** A Jingle sid: 128 random bits. */
export function newSid(): string {
  let s = '';
  for (const w of crypto.getRandomValues(new Uint32Array(4))) s += w.toString(36).padStart(7, '0');
  return s;
}

/** What the call controller knows of its call when a stanza comes. */
export interface CallFacts {
  sid: string;
  direction: 'outgoing' | 'incoming';
  /** The peer's bare JID, and its full JID once known. */
  peer: string;
  peerFull: string | undefined;
  state: CallState;
  /** The full JID of the Jingle session's peer, once the session exists. */
  sessionPeer: string | undefined;
  /** The peer's session-initiate waits, for accept() or for our media; `early` transport-infos wait with it. */
  heldInitiate: boolean;
  early: number;
}

/** How many transport-infos may wait with a session-initiate (StanzaJS sends one per candidate). */
export const MAX_EARLY_TRANSPORT_INFOS = 64;

export type JmiEvent =
  | { kind: 'propose'; from: string; jmi: JmiMessage; receiptId: string | undefined }
  | { kind: 'elsewhere'; condition: 'answered-elsewhere' | 'declined-elsewhere' }
  | { kind: 'callee'; from: string; jmi: JmiMessage }
  | { kind: 'retracted'; text: string | undefined };

/** An incoming <message>, as far as calls are concerned. `own` is our full JID. */
export function readJmi(stanza: Element, own: string, call: CallFacts | undefined): JmiEvent | undefined {
  if (stanza.attrs.type === 'error') return undefined;
  const ownBare = bare(own);
  const ringing = call?.state === 'ringing';
  const carbon = unwrapCarbon(stanza, ownBare);
  if (carbon) {
    // Our other device proceeded or rejected: the call it answered is not ours to ring any more.
    const jmi = carbon.direction === 'sent' ? safeJmi(carbon.message) : undefined;
    if (!jmi || !ringing || jmi.id !== call.sid || (jmi.action !== 'proceed' && jmi.action !== 'reject')) return undefined;
    return { kind: 'elsewhere', condition: jmi.action === 'proceed' ? 'answered-elsewhere' : 'declined-elsewhere' };
  }
  const from = stanza.attrs.from as string | undefined;
  const jmi = safeJmi(stanza);
  if (!jmi || from === undefined || same(from, own)) return undefined;
  const fromUs = bare(from) === ownBare;
  if (jmi.action === 'propose') {
    if (fromUs) return undefined; // our own device calling someone
    const receiptId = stanza.getChild('request', NS.receipts) && stanza.attrs.id ? String(stanza.attrs.id) : undefined;
    return { kind: 'propose', from, jmi, receiptId };
  }
  if (!call || jmi.id !== call.sid) return undefined;
  if (fromUs) {
    if (!ringing || (jmi.action !== 'accept' && jmi.action !== 'reject')) return undefined;
    return { kind: 'elsewhere', condition: jmi.action === 'accept' ? 'answered-elsewhere' : 'declined-elsewhere' };
  }
  if (bare(from) !== call.peer) return undefined;
  if (call.direction === 'outgoing') return { kind: 'callee', from, jmi };
  if (jmi.action === 'retract' && same(from, call.peerFull) && call.sessionPeer === undefined) {
    return { kind: 'retracted', text: jmi.reason?.text };
  }
  return undefined;
}

export type JingleRoute =
  /** For the live session. */
  | { kind: 'session' }
  /** The session-initiate of the call we proceeded: answer it. */
  | { kind: 'answer' }
  /** The session-initiate of the call still ringing: answered on accept(). */
  | { kind: 'hold' }
  /** A session-initiate without a proposal: a new incoming call. */
  | { kind: 'ring' }
  /** A session-initiate while we are in another call: answered, then terminated with busy. */
  | { kind: 'busy' }
  /** The caller gave up between proceed and its session-initiate. */
  | { kind: 'cancelled' }
  /** A transport-info of the session-initiate that waits (XEP-0176: candidates may come before it is answered). */
  | { kind: 'early' };

/** Where an incoming Jingle iq-set goes; throws the stanza error to answer with when it goes nowhere. */
export function routeJingle(j: Jingle, from: string, own: string, call: CallFacts | undefined, live: boolean): JingleRoute {
  if (j.action === 'session-initiate') {
    if (call && call.sid === j.sid) {
      if (call.direction !== 'incoming' || !same(from, call.peerFull) || call.sessionPeer !== undefined || call.heldInitiate) {
        throw jingleError('unexpected-request', 'wait', 'out-of-order', 'session-initiate out of order');
      }
      return call.state === 'ringing' ? { kind: 'hold' } : { kind: 'answer' };
    }
    return live || bare(from) === bare(own) ? { kind: 'busy' } : { kind: 'ring' };
  }
  if (call && call.sid === j.sid) {
    if (call.sessionPeer !== undefined && same(from, call.sessionPeer)) return { kind: 'session' };
    if (call.sessionPeer === undefined && same(from, call.peerFull) && j.action === 'session-terminate') return { kind: 'cancelled' };
    if (call.sessionPeer === undefined && call.heldInitiate && same(from, call.peerFull) && j.action === 'transport-info') {
      if (call.early >= MAX_EARLY_TRANSPORT_INFOS) throw jingleError('resource-constraint', 'wait', undefined, 'too many transport-infos before the session is answered');
      return { kind: 'early' };
    }
  }
  // A stranger using the sid of someone else's session learns nothing from the answer.
  throw jingleError('item-not-found', 'cancel', 'unknown-session');
}

function safeJmi(message: Element): JmiMessage | undefined {
  try {
    return findJmi(message);
  } catch {
    return undefined; // a malformed JMI payload is ignored, as any unknown message content
  }
}
