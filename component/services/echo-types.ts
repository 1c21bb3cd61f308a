/**
 * The echo service's types: its options, and one call as the service keeps it (echo.ts).
 */
import type { CandidateInit } from '../../schemas/index.ts';
import type { CreateEchoPeer, EchoPeer, IceServer } from './echo-peer.ts';

export const ECHO_RESOURCE = 'echo';

export interface EchoServiceOptions {
  /** The address the echo peer gathers on; default: config 'echo-bind', else every interface. */
  bind?: string;
  iceServers?: IceServer[];
  /** The WebRTC side; tests pass a fake. Default: werift, or no media with config 'echo-media' off. */
  createPeer?: CreateEchoPeer;
  /** How often ended-by-time calls are looked for (ms). */
  tickMs?: number;
  /** How long an IQ we send may wait for its result (ms). */
  requestTimeoutMs?: number;
}

export interface Call {
  key: string;
  sid: string;
  /** The caller's full JID, as the server stamped it. */
  caller: string;
  /**
   * The address the caller called, bare or full: everything we send in this session goes from it (and
   * it is the `responder`), since clients (StanzaJS) take a session's stanzas only from the JID they called.
   */
  local: string;
  contents: string[];
  peer: EchoPeer;
  /** Settles when the answer has been applied: remote candidates wait for it. */
  answered: Promise<unknown>;
  /** Our candidates wait here until the session-accept is out. */
  queue: CandidateInit[] | undefined;
  started: number;
  connectedMs?: number;
  /** The watchdog's view: packets + messages echoed at `progressAt`, the last time they grew. */
  progress: number;
  progressAt: number;
  ended: boolean;
}
