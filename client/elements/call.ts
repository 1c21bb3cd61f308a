/**
 * `<jg-call>`: the call view, a thin view over a CallController. The app shell owns the controller (one
 * per session, so incoming calls ring whichever contact is selected) and hands it down; given only a
 * link, the element makes its own (hosted by itself, as in the element tests):
 *
 *   <jg-call .controller=${call} .link=${connection} .roster=${roster} .peer=${selected} .nameOf=${name}>
 *
 * Idle it is a bar of call buttons for the selected contact; while a call rings or runs it is the
 * stage: the contact's video, or their initials when there is none (audio call, camera off), our
 * preview, a timer, the media path ("Direct" / "Relayed"), "You are muted", and the connection's
 * figures behind "Details". `?ice=relay` in the page URL (or `iceTransportPolicy`) forces TURN.
 *
 * @attr data-state - idle | proposing | ringing | connecting | connected | ended
 * @csspart local-video - our camera. @csspart remote-video - the peer's video (and audio).
 */
import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { CallController, describeEnd, type CallState } from '../controllers/call.ts';
import { Ticker } from '../controllers/ticker.ts';
import { createBrowserMediaSession } from '../rtc/browser.ts';
import type { PeerDirectory } from '../controllers/call-route.ts';
import type { MediaSessionFactory } from '../rtc/media-session.ts';
import type { XmppLink } from '../xmpp/link.ts';
import { formatTimer, pathLabel } from './call-format.ts';
import { STAGE_STYLES, details, stage } from './call-stage.ts';

/** What the view needs of the roster's reachability of a contact. */
export interface Reachable {
  state: 'online' | 'offline' | 'unknown';
  reason: string | undefined;
}

const ON_STAGE: readonly CallState[] = ['proposing', 'ringing', 'connecting', 'connected'];

export class JgCall extends LitElement {
  static override properties = {
    link: { attribute: false },
    roster: { attribute: false },
    controller: { attribute: false },
    nameOf: { attribute: false },
    reachability: { attribute: false },
    peer: { type: String },
    iceTransportPolicy: { type: String, attribute: 'ice-transport-policy' },
    error: { state: true },
    showDetails: { state: true },
  };

  declare link: XmppLink | undefined;
  declare roster: PeerDirectory | undefined;
  /** The call controller to show; when absent, one is made on `link` (hosted by this element). */
  declare controller: CallController | undefined;
  /** A contact's display name from their bare JID (the roster's name); the JID when not given. */
  declare nameOf: ((jid: string) => string) | undefined;
  /** Whether a contact can ring now (the roster's presence): an offline one cannot, and the view says so. */
  declare reachability: ((jid: string) => Reachable) | undefined;
  /** The selected contact's bare JID ('' for none): whom "Audio call" and "Video call" call. */
  declare peer: string;
  declare iceTransportPolicy: 'all' | 'relay';
  declare error: string;
  private declare showDetails: boolean;
  /** The WebRTC side; tests substitute FakeMedia. Read when the element makes its own controller. */
  createMedia: MediaSessionFactory = createBrowserMediaSession;

  private own: CallController | undefined;
  private unsubscribe: (() => void) | undefined;
  private subscribed: CallController | undefined;

  constructor() {
    super();
    this.link = undefined;
    this.roster = undefined;
    this.controller = undefined;
    this.nameOf = undefined;
    this.reachability = undefined;
    this.peer = '';
    this.error = '';
    this.showDetails = false;
    const fromUrl = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('ice');
    this.iceTransportPolicy = fromUrl === 'relay' ? 'relay' : 'all';
    new Ticker(this, () => this.controller?.state === 'connected');
  }

  static override styles = [css`
    :host { display: block; }
    section { display: grid; gap: 0.6rem; padding: 0.5rem; border: 1px solid #8884; border-radius: 0.4rem; }
    .top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.4rem 1rem; }
    .state { margin: 0; font-weight: 600; }
    .facts { display: flex; flex-wrap: wrap; gap: 0.4rem 0.8rem; font-size: 0.9em; }
    .timer { font-variant-numeric: tabular-nums; }
    .badge { padding: 0.05rem 0.5rem; border-radius: 1rem; background: #8882; }
    .badge[data-path='Relayed'] { background: #fff3e0; color: #6d4c00; }
    .self-muted { color: #b71c1c; font-weight: 600; }
    .buttons { display: flex; flex-wrap: wrap; gap: 0.4rem; }
    button { font: inherit; padding: 0.35rem 0.8rem; }
    button:focus-visible, summary:focus-visible { outline: 3px solid #1e88e5; outline-offset: 2px; }
    .hangup { background: #c62828; color: #fff; border: 1px solid #8e0000; }
    .accept { background: #2e7d32; color: #fff; border: 1px solid #1b5e20; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 0.1rem 0.6rem; margin: 0.3rem 0 0; font-size: 0.85em; }
    dt { opacity: 0.87; }
    .error { color: #c62828; margin: 0; }
    .note { color: #9a6700; margin: 0; }
    .why { font-size: 0.85em; opacity: 0.87; margin: 0; }
  `, unsafeCSS(STAGE_STYLES)];

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribed = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('link') && this.link && !this.controller) {
      // Host = this element: it starts and stops with it, and re-renders it on every change.
      this.own = new CallController(this.link, {
        host: this, createMedia: (o) => this.createMedia(o), peers: () => this.roster, log: (m, e) => console.warn(m, e),
      });
      this.controller = this.own;
    }
    if (changed.has('controller')) this.follow();
    const c = this.controller;
    if (c) c.iceTransportPolicy = this.iceTransportPolicy;
    const state = c?.state ?? 'idle';
    if (this.dataset.state !== state) this.dataset.state = state;
  }

  protected override updated(): void {
    const c = this.controller;
    this.attach('video.local', c?.localStream);
    this.attach('video.remote', c?.remoteStream);
  }

  /** Re-renders on the changes of a controller not hosted by this element. */
  private follow(): void {
    const c = this.controller === this.own ? undefined : this.controller;
    if (c === this.subscribed || !this.isConnected) return;
    this.unsubscribe?.();
    this.subscribed = c;
    this.unsubscribe = c?.subscribe(() => this.requestUpdate());
  }

  private attach(selector: string, stream: MediaStream | undefined): void {
    const video = this.renderRoot.querySelector<HTMLVideoElement>(selector);
    if (video && video.srcObject !== (stream ?? null)) video.srcObject = stream ?? null;
  }

  private name(jid: string | undefined): string {
    if (!jid) return '';
    return this.nameOf?.(jid) || jid;
  }

  override render() {
    const c = this.controller;
    if (!c) return nothing;
    const state = c.state;
    const onStage = ON_STAGE.includes(state);
    const video = c.media?.video ?? false;
    return html`
      <section aria-label="Call" class=${state} data-layout=${onStage ? 'stage' : 'bar'}>
        <div class="top">
          <p role="status" class="state" data-state=${state} data-reason=${c.endReason?.condition ?? nothing}>${this.stateText(state)}</p>
          ${state === 'connected' || state === 'connecting' ? this.facts() : nothing}
        </div>
        ${c.serverLost ? html`<p class="note" data-note="server-lost">Lost the connection to the server; reconnecting. The call goes on meanwhile.</p>` : nothing}
        ${onStage && !c.isTestCall ? stage({
          name: this.name(c.peer), video, media: state === 'connecting' || state === 'connected' || (state === 'proposing' && video),
          remoteCameraOff: c.peerMuted.video, localCameraOff: video && !c.cameraOn,
        }) : onStage ? stage({ name: 'Echo test', video, media: state !== 'ringing', remoteCameraOff: false, localCameraOff: video && !c.cameraOn }) : nothing}
        <div class="buttons">${this.buttons(state)}</div>
        ${this.whyDisabled(state)}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${state === 'connected' || state === 'connecting' ? html`
          <div class="details">
            <button type="button" aria-expanded=${this.showDetails ? 'true' : 'false'} aria-controls="details"
              @click=${() => { this.showDetails = !this.showDetails; }}>Details</button>
            <div id="details">${!this.showDetails ? nothing : c.stats ? details(c.stats) : html`<p class="why">No figures yet.</p>`}</div>
          </div>` : nothing}
      </section>`;
  }

  /** The timer, the media path and our own mute, shown while the call runs. */
  private facts() {
    const c = this.controller;
    if (!c) return nothing;
    const path = pathLabel(c.stats);
    const since = c.connectedAt;
    return html`
      <span class="facts">
        ${c.state === 'connected' && since !== undefined
          ? html`<span class="timer" aria-label="Call duration" data-test="call-timer">${formatTimer(Date.now() - since)}</span>` : nothing}
        ${path ? html`<span class="badge" data-test="call-path" data-path=${path} title="How the media travels">${path}</span>` : nothing}
        ${c.isMuted('audio') ? html`<span class="self-muted" data-test="self-muted">You are muted</span>` : nothing}
      </span>`;
  }

  private stateText(state: CallState): string {
    const c = this.controller;
    const who = c?.isTestCall ? 'the echo test' : this.name(c?.peer);
    const kind = c?.media?.video ? 'video' : 'audio';
    switch (state) {
      case 'idle': return this.peer ? `No call. ${this.name(this.peer)} can be called.` : 'No call.';
      case 'proposing': return `calling ${who}…${c?.peerRinging ? ' (ringing)' : ''}`;
      case 'ringing': return `ringing: incoming ${kind} call from ${who}`;
      case 'connecting': return `connecting to ${who}…`;
      case 'connected': return `connected with ${who}${this.peerMuteText()}`;
      case 'ended': return `Call ended: ${c?.endReason ? describeEnd(c.endReason, { peerName: who, direction: c.direction ?? 'outgoing' }) : 'unknown'}`;
    }
  }

  private peerMuteText(): string {
    const m = this.controller?.peerMuted;
    if (!m) return '';
    const parts = [m.audio ? 'muted' : '', m.video ? 'camera off' : ''].filter(Boolean);
    return parts.length > 0 ? ` (they: ${parts.join(', ')})` : '';
  }

  private get offline(): boolean {
    return this.link !== undefined && this.link.status !== 'online';
  }

  /** Why the call buttons are disabled, next to them. */
  private whyDisabled(state: CallState) {
    if (state !== 'idle' && state !== 'ended') return nothing;
    if (this.offline) return html`<p class="why" id="why">Calls need the connection to the server, which is not up.</p>`;
    if (!this.peer) return html`<p class="why" id="why">Choose a contact to call them.</p>`;
    const r = this.reachability?.(this.peer);
    // Calling stays possible: the proposal is kept for them, and they see a missed call when they are back.
    if (r?.state === 'offline') {
      return html`<p class="why" id="why" data-test="unreachable">${this.name(this.peer)} is offline: a call cannot ring now; they will see it as a missed call.</p>`;
    }
    if (r?.state === 'unknown' && r.reason) return html`<p class="why" id="why" data-test="unreachable">${this.name(this.peer)} may not get the call: ${r.reason}.</p>`;
    return nothing;
  }

  private buttons(state: CallState) {
    const c = this.controller;
    if (!c) return nothing;
    if (state === 'idle' || state === 'ended') {
      const offline = this.offline;
      const none = !this.peer || offline;
      const reach = this.peer ? this.reachability?.(this.peer).state : undefined;
      const noted = none || (reach !== undefined && reach !== 'online');
      const to = this.name(this.peer);
      return html`
        <button type="button" ?disabled=${none} aria-describedby=${noted ? 'why' : nothing} title=${to ? `Audio call ${to}` : nothing}
          @click=${() => this.run(() => c.call(this.peer, { audio: true, video: false }))}>Audio call</button>
        <button type="button" ?disabled=${none} aria-describedby=${noted ? 'why' : nothing} title=${to ? `Video call ${to}` : nothing}
          @click=${() => this.run(() => c.call(this.peer, { audio: true, video: true }))}>Video call</button>
        <button type="button" ?disabled=${offline} aria-describedby=${offline ? 'why' : nothing}
          @click=${() => this.run(() => c.testCall({ audio: true, video: true }))}>Test call</button>`;
    }
    if (state === 'ringing') {
      return html`
        <button type="button" class="accept" @click=${() => this.run(async () => c.accept())}>Accept</button>
        <button type="button" class="hangup" @click=${() => this.run(async () => c.decline())}>Decline</button>`;
    }
    const muted = c.isMuted('audio');
    return html`
      <button type="button" class="hangup" @click=${() => this.run(async () => c.hangUp())}>Hang up</button>
      <button type="button" aria-pressed=${muted ? 'true' : 'false'} @click=${() => this.run(async () => c.setMuted('audio', !muted))}>${muted ? 'Unmute' : 'Mute'}</button>
      ${c.media?.video ? html`
        <button type="button" @click=${() => this.run(() => c.setCameraOn(!c.cameraOn))}>${c.cameraOn ? 'Camera off' : 'Camera on'}</button>` : nothing}`;
  }

  private run(action: () => Promise<void>): void {
    this.error = '';
    action().catch((err: unknown) => { this.error = (err as Error).message; });
  }
}

if (!customElements.get('jg-call')) customElements.define('jg-call', JgCall);

declare global {
  interface HTMLElementTagNameMap {
    'jg-call': JgCall;
  }
}
