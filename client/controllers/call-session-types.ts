/** What a CallSession (call-session.ts) is made with, and the events it emits. */
import type { Role } from '../../schemas/index.ts';
import type { MediaKind, MediaSession, TransportState } from '../rtc/media-session.ts';
import type { XmppLink } from '../xmpp/link.ts';
import type { EndReason } from './call-states.ts';
import type { CallStep } from './call-timing.ts';

export interface CallSessionEvents {
  /** The transport's state, as the MediaSession reports it. */
  transport: TransportState;
  /** The session is over; the media is closed. */
  ended: EndReason;
  /** Initiator: the peer accepted (session-accept). */
  accepted: void;
  /** Initiator: the peer's device rings (XEP-0167 session-info <ringing/>). */
  ringing: void;
  /** The peer muted or unmuted a content (XEP-0167 session-info). */
  peerMute: { kind: MediaKind | undefined; muted: boolean };
}

export interface CallSessionInit {
  link: XmppLink;
  media: MediaSession;
  sid: string;
  role: Role;
  /** Our full JID and the peer's, as the server stamps them. */
  local: string;
  peer: string;
  requestTimeoutMs?: number;
  /** How long a call that was connected may go without a working transport before it ends. Default 30 s. */
  recoverMs?: number;
  log?: (message: string, err?: unknown) => void;
  /** Marks the steps of the call's setup (call-timing.ts). */
  mark?: (step: CallStep) => void;
}
