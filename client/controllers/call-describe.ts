/**
 * How a call ended, in words a user reads (issue 11 B3), as a pure function of the EndReason: every
 * XEP-0166 condition and JMI outcome, said from the user's side ("You hung up", "Bob declined"), with
 * the peer's <text/> (or our own error's message) kept after a colon. A timeout is "No answer" or a
 * missed call only while the call rang; after it was answered it is a time limit (the echo peer ends
 * its calls with <timeout/> when its `echo-max-seconds` run out).
 */
import type { EndCondition, EndReason } from './call-states.ts';

export interface EndContext {
  /** How the other party is named in the view: "Bob", "bob@example.org", "the echo test". */
  peerName: string;
  direction: 'incoming' | 'outgoing';
  /** Whether the call was answered; default the reason's own `answered`. */
  answered?: boolean;
}

/** The short labels the view showed after "ended: " before sentences (describeEnd without a context). */
const LABELS: Readonly<Record<EndCondition, string>> = {
  success: 'hung up',
  decline: 'declined',
  busy: 'busy',
  cancel: 'cancelled',
  retracted: 'cancelled',
  timeout: 'no answer',
  expired: 'time limit reached',
  gone: 'gone',
  'alternative-session': 'moved to another session',
  'connectivity-error': 'connection failed',
  'failed-transport': 'connection failed',
  'failed-application': 'media failed',
  'media-error': 'media failed',
  'security-error': 'security error',
  'general-error': 'error',
  'unsupported-applications': 'unsupported media',
  'unsupported-transports': 'unsupported transport',
  'incompatible-parameters': 'incompatible media',
  'answered-elsewhere': 'answered on another device',
  'declined-elsewhere': 'declined on another device',
  error: 'error',
};

/**
 * Without a context: the short label shown after "ended: " (kept for existing views). With one: the
 * whole sentence, "Bob declined", "You hung up", "No answer", "Connection failed: <text>".
 */
export function describeEnd(reason: EndReason, context?: EndContext): string {
  if (!context) return label(reason);
  const sentence = describe(reason, context, context.answered ?? reason.answered ?? false);
  const text = reason.text?.trim();
  return text ? `${sentence}: ${text}` : sentence;
}

function label(reason: EndReason): string {
  // Ours: we refused an offer or answer without a usable DTLS fingerprint (call-jingle.ts remoteSdp).
  if (reason.condition === 'security-error' && reason.by === 'us') return 'the other side offered no secure connection';
  if (reason.condition === 'timeout' && reason.answered) return 'time limit reached';
  return LABELS[reason.condition];
}

function describe(r: EndReason, { peerName, direction }: EndContext, answered: boolean): string {
  const peer = capitalize(peerName);
  const us = r.by === 'us';
  const peers = r.by === 'peer';
  switch (r.condition) {
    case 'success':
      return us ? 'You hung up' : `${peer} hung up`;
    case 'decline':
      return us ? 'You declined' : `${peer} declined`;
    case 'busy':
      return us ? 'You were busy' : `${peer} is busy`;
    case 'cancel':
    case 'retracted':
      if (answered) return us ? 'You hung up' : `${peer} hung up`;
      if (direction === 'incoming') return peers ? 'Missed call' : 'You declined';
      return us ? 'Cancelled' : `${peer} declined`;
    case 'timeout':
      if (answered) return 'Time limit reached';
      return direction === 'incoming' ? 'Missed call' : 'No answer';
    case 'expired':
      return 'Time limit reached';
    case 'gone':
      return us ? 'You left' : `${peer} is no longer available`;
    case 'alternative-session':
      return 'Moved to another session';
    case 'connectivity-error':
    case 'failed-transport':
      return 'Connection failed';
    case 'failed-application':
    case 'media-error':
      return us ? 'Media failed on this side' : `Media failed on ${peerName}'s side`;
    case 'security-error':
      return us ? `${peer} offered no secure connection` : `${peer} refused the connection as insecure`;
    case 'unsupported-applications':
      return `${peer} cannot take this kind of call`;
    case 'unsupported-transports':
      return `${peer} cannot take this kind of connection`;
    case 'incompatible-parameters':
      return `${peer}'s media does not fit this call`;
    case 'answered-elsewhere':
      return 'Answered on another device';
    case 'declined-elsewhere':
      return 'Declined on another device';
    case 'general-error':
      return us ? 'The call failed' : `${peer}'s side failed`;
    case 'error':
      return 'The call failed';
  }
}

/** "the echo test" starts a sentence as "The echo test"; an address stays as written. */
function capitalize(name: string): string {
  return name.includes('@') ? name : name.charAt(0).toUpperCase() + name.slice(1);
}
