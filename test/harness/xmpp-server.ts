// What a test gets of a real XMPP server it started on loopback (Prosody or ejabberd).
export interface XmppTestServer {
  dir: string;
  c2sPort: number;
  httpPort: number;
  /** Listened on only when `components` is not empty. */
  componentPort: number;
  /** The server's XMPP-over-WebSocket URL on loopback. */
  websocketUrl: string;
  domain: 'localhost';
  logPath: string;
  /** Stops the server and removes its dir. Safe to call twice. */
  stop(): Promise<void>;
}
