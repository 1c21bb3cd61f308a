/**
 * The media side of the call controller: the MediaSession made with the ICE servers, the camera and
 * microphone opened at the right moment, and the XEP-0166 CallSession started on them, whose events
 * the controller turns into the call's states. Quality is read from the media while the session lasts.
 * What it cannot decide (the call's state, how to end it) it hands back through CallMediaHooks.
 */
import type { MediaSession, TransportState } from '../rtc/media-session.ts';
import type { XmppLink } from '../xmpp/link.ts';
import type { IceServerSource } from './call-ice.ts';
import type { Call, CallOptions } from './call-record.ts';
import { CallSession } from './call-session.ts';
import type { EndReason } from './call-states.ts';

export interface CallMediaHooks {
  /** Something a view shows changed. */
  changed(): void;
  /** The call's session reports its transport: connected, or failed (and being restarted). */
  transport(c: Call, state: TransportState): void;
  ended(c: Call, reason: EndReason): void;
  /** The camera or microphone could not be opened: the call must end the way its state needs. */
  noMedia(c: Call, err: unknown): void;
}

export class CallMedia {
  constructor(
    private readonly link: XmppLink,
    private readonly options: CallOptions,
    private readonly ice: IceServerSource,
    private readonly policy: () => 'all' | 'relay',
    private readonly hooks: CallMediaHooks,
  ) {}

  /**
   * Creates the MediaSession with the ICE servers (cached) and runs `then` on it. The camera and
   * microphone are opened by openDevices: calling, once our offer is made; answering, once our answer
   * is on its way, so that opening them overlaps the wait for the peer. Rejects (after noMedia) when
   * the media cannot be made.
   */
  async prepare(c: Call, then: (rtc: MediaSession) => Promise<unknown>): Promise<void> {
    try {
      const iceServers = await this.ice.get();
      if (c.ended) return;
      const rtc = this.options.createMedia({ media: c.media, iceServers, iceTransportPolicy: this.policy() });
      c.rtc = rtc;
      rtc.on('streams', () => this.hooks.changed());
      await then(rtc);
    } catch (err) {
      this.hooks.noMedia(c, err);
      throw err;
    }
  }

  openDevices(c: Call, rtc: MediaSession): void {
    rtc.prepare().then(() => this.hooks.changed(), (err: unknown) => this.hooks.noMedia(c, err));
  }

  /** Starts the call's XEP-0166 session with `peer` (its full JID) and reads quality until it ends. */
  session(c: Call, role: 'initiator' | 'responder', rtc: MediaSession, peer: string): CallSession {
    const { options, hooks } = this;
    const s = new CallSession({
      link: this.link, media: rtc, sid: c.sid, role, local: this.link.jid ?? '', peer,
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.recoverMs !== undefined ? { recoverMs: options.recoverMs } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    c.session = s;
    s.events.on('transport', (t) => hooks.transport(c, t));
    s.events.on('ended', (reason) => hooks.ended(c, reason));
    if (role === 'responder') s.events.on('answered', () => this.openDevices(c, rtc));
    s.events.on('peerMute', ({ kind, muted }) => {
      for (const k of kind ? [kind] : (['audio', 'video'] as const)) c.peerMuted[k] = muted;
      hooks.changed();
    });
    c.statsTimer = setInterval(() => {
      void rtc.stats().then((st) => {
        if (c.ended) return;
        c.stats = st;
        hooks.changed();
      }, () => undefined);
    }, options.statsIntervalMs ?? 1_000);
    return s;
  }
}
