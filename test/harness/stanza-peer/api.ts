/**
 * The StanzaJS peer page's window API (window.stanzaPeer), shared by the page (main.ts) and the tests
 * that drive it through Playwright. Only plain data crosses: evaluate() serializes it.
 */

export interface LoginOptions {
  jid: string;
  password: string;
  /** The server's WebSocket, e.g. ws://127.0.0.1:5280/xmpp-websocket. */
  websocket: string;
}

/** Bytes received so far per media kind, summed over the inbound-rtp reports of the call's pc. */
export interface InboundBytes {
  audio: number;
  video: number;
}

/**
 * 'idle' (no call yet), 'ringing' (an incoming call waits for accept()), then StanzaJS's own session
 * states: 'pending' (ours sent, not accepted), 'active', 'ended'.
 */
export type PeerCallState = 'idle' | 'ringing' | 'pending' | 'active' | 'ended';

export interface PeerCallInfo {
  state: PeerCallState;
  /** The other party's full JID, as StanzaJS knows the session's peer. */
  peer: string | null;
  /** The media StanzaJS found in the session (its includesAudio / includesVideo). */
  audio: boolean;
  video: boolean;
  /** The RTCPeerConnection's connectionState. */
  connection: string | null;
  /** Remote tracks given to the page's <audio>/<video> elements, as "kind:readyState". */
  remoteTracks: string[];
  /** The <video> element's picture size ("640x480"), 0x0 until frames play. */
  videoSize: string;
  /** The peer's last XEP-0167 mute/unmute, with the kind of the content it named (null: all). */
  peerMute: { muted: boolean; kind: string | null } | null;
}

/**
 * How the last call ended: `by` 'us' (hangUp()), 'peer' (its session-terminate) or 'stanzajs' (StanzaJS
 * ended it itself, e.g. failed-application when it could not use the other side's SDP).
 */
export interface EndedInfo {
  condition: string;
  text?: string;
  by: 'us' | 'peer' | 'stanzajs';
}

export interface StanzaPeerApi {
  /** Connects, sends presence with XEP-0115 caps, accepts every subscription and subscribes back. */
  login(options: LoginOptions): Promise<string>;
  /** Calls a full (or bare) JID with the fake microphone, and the fake camera if `video`. */
  call(jid: string, video: boolean): Promise<void>;
  /** Accepts the ringing incoming call, sending the fake microphone (and camera if it offered video). */
  accept(): Promise<void>;
  /** Sends XEP-0167 mute (or unmute) for the content of this kind, as StanzaJS apps do. */
  mute(kind: 'audio' | 'video', muted: boolean): Promise<void>;
  /** Ends the current call (or declines the ringing one) with this reason, <success/> by default. */
  hangUp(condition?: string): void;
  info(): PeerCallInfo;
  stats(): Promise<InboundBytes>;
  /** The reason condition of the last call's end: ours or the peer's session-terminate. */
  lastEnded(): EndedInfo | null;
  /** Contacts (bare JIDs) that are subscribed both ways and online, with their full JIDs. */
  online(): Record<string, string[]>;
  /** Every stanza sent and received, raw, in order ('>>' out, '<<' in). */
  traffic(): string[];
}

declare global {
  interface Window {
    stanzaPeer?: StanzaPeerApi;
  }
}
