/**
 * The media side of the call controller: the MediaSession made with the ICE servers, the camera and
 * microphone opened at the right moment, and the XEP-0166 CallSession started on them, whose events
 * the controller turns into the call's states. Quality is read from the media while the session lasts.
 * What it cannot decide (the call's state, how to end it) it hands back through CallMediaHooks.
 */
import type { Element } from 'ltx';
import type { Jingle } from '../../schemas/index.ts';
import type { MediaSession, TransportState } from '../rtc/media-session.ts';
import { SecurityRefusal } from './call-jingle.ts';
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
  /** Calling: the peer accepted the session, or its device rings (a direct session-initiate's only news). */
  accepted(c: Call): void;
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
   * microphone are opened by openDevices: calling, once our offer is made; answering, on accept. Either
   * way opening them overlaps the wait for the peer (its proceed, or its session-initiate), and nothing
   * that connects the call waits for them. Rejects (after noMedia) when the media cannot be made.
   */
  async prepare(c: Call, then: (rtc: MediaSession) => Promise<unknown>): Promise<void> {
    try {
      const iceServers = await this.ice.get();
      c.marks.mark('ice-servers');
      if (c.ended) return;
      const rtc = this.options.createMedia({ media: c.media, iceServers, iceTransportPolicy: this.policy() });
      c.marks.mark('pc-created');
      c.rtc = rtc;
      rtc.on('streams', () => this.hooks.changed());
      rtc.on('progress', (step) => c.marks.mark(step));
      await then(rtc);
    } catch (err) {
      this.hooks.noMedia(c, err);
      throw err;
    }
  }

  openDevices(c: Call, rtc: MediaSession): void {
    c.marks.mark('devices-opening');
    rtc.prepare().then(() => {
      c.marks.mark('devices-open');
      this.hooks.changed();
    }, (err: unknown) => this.hooks.noMedia(c, err));
  }

  /**
   * Initiator: once our offer is made, starts the session with c.peerFull and sends session-initiate:
   * at once (before this returns) when the offer was made while the proposal rang.
   */
  async initiate(c: Call): Promise<void> {
    if (c.offer === undefined) {
      try {
        await c.ready;
      } catch {
        return;
      }
    }
    if (c.ended || !c.rtc || c.offer === undefined || c.peerFull === undefined) return;
    await this.session(c, 'initiator', c.rtc, c.peerFull).initiate(c.offer);
  }

  /**
   * Responder: once our media is ready, starts the session and answers the offer in `element`, after
   * applying the transport-infos that waited with it. An offer without a usable DTLS fingerprint ends
   * the session with security-error, one we cannot use otherwise with failed-application.
   */
  answer(c: Call, j: Jingle, element: Element): void {
    const peer = c.peerFull ?? '';
    const rtcReady = c.ready ?? Promise.reject(new Error('no media'));
    void rtcReady.then(() => {
      if (c.ended || !c.rtc) return;
      const s = this.session(c, 'responder', c.rtc, peer);
      let offer: string;
      try {
        offer = s.receiveOffer(j, element, c.early.splice(0));
      } catch (err) {
        return s.hangUp({ condition: err instanceof SecurityRefusal ? 'security-error' : 'failed-application', text: (err as Error).message });
      }
      void s.accept(offer);
    }, () => undefined);
  }

  /** Starts the call's XEP-0166 session with `peer` (its full JID) and reads quality until it ends. */
  session(c: Call, role: 'initiator' | 'responder', rtc: MediaSession, peer: string): CallSession {
    const { options, hooks } = this;
    const s = new CallSession({
      link: this.link, media: rtc, sid: c.sid, role, local: this.link.jid ?? '', peer,
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.recoverMs !== undefined ? { recoverMs: options.recoverMs } : {}),
      ...(options.log ? { log: options.log } : {}),
      mark: (step) => c.marks.mark(step),
    });
    c.session = s;
    s.events.on('transport', (t) => hooks.transport(c, t));
    s.events.on('ended', (reason) => hooks.ended(c, reason));
    s.events.on('accepted', () => hooks.accepted(c));
    s.events.on('ringing', () => {
      c.peerRinging = true;
      hooks.changed();
    });
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
