/** Why logging in or staying online failed, as a code the login view can explain to a user. */

export const CONNECTION_ERROR_CODES = [
  'bad-jid', // the JID does not parse or has no local part
  'no-server', // no WebSocket URL given, and the domain answers no host-meta (XEP-0156) request at all
  'no-service', // no WebSocket URL given, and the domain's host-meta lists none
  'bad-url', // the WebSocket URL given is not ws:// or wss://
  'unreachable', // the WebSocket could not be opened
  'not-authorized', // SASL not-authorized: wrong user name or password
  'auth-failed', // another SASL failure, or no mechanism we accept
  'timeout', // the server did not answer in time
  'conflict', // another session took over our resource (stream error conflict)
  'stream-error', // any other stream error
  'offline', // sending while not online
] as const;

export type ConnectionErrorCode = (typeof CONNECTION_ERROR_CODES)[number];

/** What a user reads: plain words, no protocol names (the condition stays in `detail`). */
const MESSAGES: Record<ConnectionErrorCode, (detail: string | undefined) => string> = {
  'bad-jid': () => 'That is not a valid address: use user@domain.',
  'no-server': (domain) => `No XMPP server found for ${domain ?? 'this domain'}.`,
  'no-service': () => 'This server offers no WebSocket connection (XEP-0156). Enter its WebSocket URL under Advanced.',
  'bad-url': () => 'The WebSocket URL must start with ws:// or wss://.',
  unreachable: () => 'Cannot reach the server.',
  'not-authorized': () => 'Wrong address or password.',
  'auth-failed': () => 'The server refused the login.',
  timeout: () => 'The server did not answer in time.',
  conflict: () => 'This session was replaced by another login.',
  'stream-error': () => 'The server closed the connection.',
  offline: () => 'Not connected.',
};

export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  /**
   * `message` is for the user; `detail` (the protocol condition or the library's words, or the domain
   * for no-server) is for debugging, shown on request.
   */
  constructor(readonly code: ConnectionErrorCode, readonly detail?: string, options?: { cause?: unknown }) {
    super(MESSAGES[code](detail), options);
  }
}

interface XmppJsError {
  name?: string;
  condition?: string;
  code?: string;
  message?: string;
}

/** Maps what @xmpp/client rejects or emits (SASLError, StreamError, socket errors, TimeoutError) to a code. */
export function classifyError(err: unknown): ConnectionError {
  if (err instanceof ConnectionError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as XmppJsError;
  const detail = e.message || String(err);
  if (e.name === 'SASLError') {
    return new ConnectionError(e.condition === 'not-authorized' ? 'not-authorized' : 'auth-failed', detail, { cause: err });
  }
  if (e.name === 'StreamError') {
    return new ConnectionError(e.condition === 'conflict' ? 'conflict' : 'stream-error', detail, { cause: err });
  }
  if (e.name === 'TimeoutError') return new ConnectionError('timeout', detail, { cause: err });
  if (e.code === 'ECONNERROR' || e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ECONNRESET'
    || e.code === 'EHOSTUNREACH' || /WebSocket|ECONN|socket hang up|Unexpected server response/i.test(detail)) {
    return new ConnectionError('unreachable', detail, { cause: err });
  }
  return new ConnectionError('stream-error', detail, { cause: err });
}
