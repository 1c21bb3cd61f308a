/**
 * The call controller's core: the one call in progress, its state (moved only through the table of
 * call-states.ts), what a view reads of it, and its end, which happens once per call: timers stopped,
 * session and media closed, JMI's <finish/> sent, and a CallSummary to every onEnded listener. Also the
 * connect timeout: from the session's start (proceed, accept, or the callee's session-accept) to its
 * first working transport. CallController (call.ts) adds the actions and the incoming stanzas.
 */
import type { ReactiveControllerHost } from 'lit';
import type { CallStats, MediaChoice, MediaKind } from '../rtc/media-session.ts';
import type { XmppLink } from '../xmpp/link.ts';
import { sendHangUp } from './call-ending.ts';
import { jmiMessage } from './call-jingle.ts';
import { bare } from './call-messages.ts';
import { newCall, summarize, type Call, type CallOptions, type CallSummary } from './call-record.ts';
import { CallState, checkMove, finishReason, type EndReason } from './call-states.ts';
import { StepMarks, type CallTimings } from './call-timing.ts';

const LIVE: readonly CallState[] = ['proposing', 'ringing', 'connecting', 'connected'];

export abstract class CallCore {
  #state: CallState = CallState.Idle;
  /** The call in progress, or the last one once ended. */
  protected current: Call | undefined;
  readonly #listeners = new Set<() => void>();
  readonly #endedListeners = new Set<(summary: CallSummary) => void>();
  /** Receives the steps of each call's setup (call-timing.ts); may be set at any time. */
  timings: CallTimings | undefined;

  constructor(
    protected readonly link: XmppLink,
    protected readonly options: CallOptions,
    private readonly host: ReactiveControllerHost | undefined,
  ) {
    this.timings = options.timings;
  }

  /**
   * Called once per call when it ends, with its summary (for the call history); returns the function
   * that unsubscribes. A listener's exception is logged, never breaks the call.
   */
  onEnded(listener: (summary: CallSummary) => void): () => void {
    this.#endedListeners.add(listener);
    return () => this.#endedListeners.delete(listener);
  }

  /** Called on every change; returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get state(): CallState { return this.#state; }
  get live(): boolean { return LIVE.includes(this.#state); }
  get direction(): 'outgoing' | 'incoming' | undefined { return this.current?.direction; }
  /** The other party's bare JID. */
  get peer(): string | undefined { return this.current?.peer; }
  get media(): MediaChoice | undefined { return this.current?.media; }
  get isTestCall(): boolean { return this.current?.test ?? false; }
  /** Calling: whether a device of the callee rings. */
  get peerRinging(): boolean { return this.current?.peerRinging ?? false; }
  get peerMuted(): Readonly<Record<MediaKind, boolean>> { return this.current?.peerMuted ?? { audio: false, video: false }; }
  get endReason(): EndReason | undefined { return this.current?.ended; }
  /** When the call's media first connected (ms since the epoch), for a call timer. */
  get connectedAt(): number | undefined { return this.current?.connectedAt; }
  get stats(): CallStats | undefined { return this.current?.stats; }
  get localStream(): MediaStream | undefined { return this.current?.rtc?.localStream; }
  get remoteStream(): MediaStream | undefined { return this.current?.rtc?.remoteStream; }
  isMuted(kind: MediaKind): boolean { return this.current?.rtc?.isMuted(kind) ?? false; }
  /** Our server connection dropped during the call and is being re-established; the media goes on. */
  get serverLost(): boolean { return this.live && this.link.status === 'reconnecting'; }
  get cameraOn(): boolean { return this.current?.rtc?.cameraOn ?? this.current?.media.video ?? false; }

  /** Mutes or unmutes our audio or video (the peer is told once the session runs). */
  setMuted(kind: MediaKind, muted: boolean): void {
    const c = this.current;
    if (!c?.rtc) return;
    if (c.session) c.session.setMuted(kind, muted);
    else c.rtc.setMuted(kind, muted);
    this.changed();
  }

  async setCameraOn(on: boolean): Promise<void> {
    const c = this.current;
    if (!c?.rtc) return;
    await (c.session ? c.session.setCameraOn(on) : c.rtc.setCameraOn(on));
    this.changed();
  }

  /** Restarts ICE now (the controller does it by itself when the transport fails). */
  async restartIce(): Promise<void> {
    await this.current?.session?.restartIce();
  }

  /** Back to idle after an ended call. */
  dismiss(): void {
    if (this.#state === 'ended') this.move('idle');
  }

  protected newCall(sid: string, direction: Call['direction'], peer: string, peerFull: string | undefined, media: MediaChoice, test = false): Call {
    const c = newCall(sid, direction, peer, peerFull, this.link.jid, media, test, this.now());
    c.marks = new StepMarks(sid, () => this.timings);
    this.current = c;
    return c;
  }

  /** The media of the call connected: its first connection is its connectedAt, and ends the connect timeout. */
  protected connected(c: Call): void {
    if (c.connectedAt !== undefined) return;
    c.marks.mark('connected');
    c.connectedAt = this.now();
    clearTimeout(c.connectTimer);
  }

  protected end(c: Call, ended: EndReason): void {
    if (c.ended) return;
    const reason: EndReason = { ...(c.closing ?? ended), answered: c.answered };
    c.ended = reason;
    clearTimeout(c.timer);
    clearTimeout(c.connectTimer);
    clearInterval(c.statsTimer);
    if (c.session && !c.session.ended) c.session.hangUp({ condition: reason.condition === 'success' ? 'success' : 'cancel' });
    // XEP-0353 4.6: both ends of a JMI call that reached a session say it is over, to the other's bare JID.
    if (c.jmi && c.session) void this.link.send(jmiMessage('finish', c.sid, c.peer, [], finishReason(reason))).catch(() => undefined);
    c.rtc?.close();
    if (this.current === c) this.move('ended');
    const summary = summarize(c, reason, this.now());
    for (const l of [...this.#endedListeners]) {
      try {
        l(summary);
      } catch (err) {
        this.options.log?.('a call-ended listener failed', err);
      }
    }
  }

  protected move(to: CallState): void {
    checkMove(this.#state, to);
    this.#state = to;
    const c = this.current;
    if (to === 'connecting' && c && !c.answered) {
      c.answered = true;
      this.#connectTimeout(c);
    }
    this.changed();
  }

  protected changed(): void {
    this.host?.requestUpdate();
    for (const l of [...this.#listeners]) {
      try {
        l();
      } catch (err) {
        this.options.log?.('a call listener failed', err);
      }
    }
  }

  protected ownBare(): string {
    return bare(this.link.jid ?? '');
  }

  protected now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * A call that never connects (ICE may never leave 'new', say relay-only without a TURN server) ends
   * on both sides with failed-transport once connectTimeoutMs have passed since it was answered.
   */
  #connectTimeout(c: Call): void {
    const ms = this.options.connectTimeoutMs ?? 30_000;
    c.connectTimer = setTimeout(() => {
      if (c.ended || c.connectedAt !== undefined) return;
      const reason = { condition: 'failed-transport', text: `no connection within ${Math.round(ms / 1000)} s` } as const;
      sendHangUp(this.link, c, this.ownBare(), reason);
      this.end(c, { ...reason, by: 'us' });
    }, ms);
  }
}
