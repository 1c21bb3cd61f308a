/**
 * `<jg-call>`: the call view, a thin view over CallController. It owns the controller (created when the
 * app hands it the link, living as long as the element, so incoming calls ring whichever contact is
 * selected): buttons to call the selected contact or the echo test peer, Accept/Decline for an incoming
 * call, Hang up, Mute, Camera; the state in words; local and remote video; quality from getStats.
 *
 *   <jg-call .link=${connection} .roster=${roster} .peer=${selectedBareJid}></jg-call>
 *
 * The roster (its contacts' resources and caps) lets a call reach a contact without XEP-0353 directly.
 *
 * `?ice=relay` in the page URL (or the `iceTransportPolicy` property) sends calls through TURN only.
 *
 * @attr data-state - idle | proposing | ringing | connecting | connected | ended
 * @csspart local-video - our camera. @csspart remote-video - the peer's video (and audio).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { CallController, describeEnd, type CallState } from '../controllers/call.ts';
import { createBrowserMediaSession } from '../rtc/browser.ts';
import type { PeerDirectory } from '../controllers/call-route.ts';
import type { MediaSessionFactory } from '../rtc/media-session.ts';
import type { XmppLink } from '../xmpp/link.ts';

export class JgCall extends LitElement {
  static override properties = {
    link: { attribute: false },
    roster: { attribute: false },
    peer: { type: String },
    iceTransportPolicy: { type: String, attribute: 'ice-transport-policy' },
    error: { state: true },
  };

  declare link: XmppLink | undefined;
  declare roster: PeerDirectory | undefined;
  /** The selected contact's bare JID ('' for none): whom "Audio call" and "Video call" call. */
  declare peer: string;
  declare iceTransportPolicy: 'all' | 'relay';
  declare error: string;
  /** The WebRTC side; tests substitute FakeMedia. Read when the controller is made. */
  createMedia: MediaSessionFactory = createBrowserMediaSession;
  controller: CallController | undefined;

  constructor() {
    super();
    this.link = undefined;
    this.roster = undefined;
    this.peer = '';
    this.error = '';
    const fromUrl = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('ice');
    this.iceTransportPolicy = fromUrl === 'relay' ? 'relay' : 'all';
  }

  static override styles = css`
    :host { display: block; }
    section { display: grid; gap: 0.5rem; padding: 0.5rem; border: 1px solid #8884; border-radius: 0.4rem; }
    .buttons { display: flex; flex-wrap: wrap; gap: 0.4rem; }
    button { font: inherit; padding: 0.3rem 0.7rem; }
    .videos { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.5rem; }
    video { inline-size: min(100%, 20rem); aspect-ratio: 4 / 3; background: #111; border-radius: 0.3rem; }
    video.local { inline-size: min(40%, 8rem); }
    .idle .videos, .ended .videos, .ringing .videos { display: none; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 0.1rem 0.6rem; margin: 0; font-size: 0.85em; }
    dt { opacity: 0.7; }
    .error { color: #c62828; }
    .note { color: #9a6700; }
  `;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('link') && this.link && !this.controller) {
      // Host = this element: it starts and stops with it, and re-renders it on every change.
      this.controller = new CallController(this.link, {
        host: this, createMedia: (o) => this.createMedia(o), peers: () => this.roster, log: (m, e) => console.warn(m, e),
      });
    }
    if (this.controller) this.controller.iceTransportPolicy = this.iceTransportPolicy;
    const state = this.controller?.state ?? 'idle';
    if (this.dataset.state !== state) this.dataset.state = state;
  }

  protected override updated(): void {
    const c = this.controller;
    this.attach('video.local', c?.localStream);
    this.attach('video.remote', c?.remoteStream);
  }

  private attach(selector: string, stream: MediaStream | undefined): void {
    const video = this.renderRoot.querySelector<HTMLVideoElement>(selector);
    if (video && video.srcObject !== (stream ?? null)) video.srcObject = stream ?? null;
  }

  override render() {
    const c = this.controller;
    if (!c) return nothing;
    const state = c.state;
    return html`
      <section aria-label="Call" class=${state}>
        <p role="status" class="state" data-state=${state} data-reason=${c.endReason?.condition ?? nothing}>${this.stateText(state)}</p>
        ${c.serverLost ? html`<p class="note" data-note="server-lost">Lost the connection to the server; reconnecting. The call goes on meanwhile.</p>` : nothing}
        <div class="buttons">${this.buttons(state)}</div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="videos">
          <video class="remote" part="remote-video" autoplay playsinline></video>
          <video class="local" part="local-video" autoplay playsinline muted></video>
        </div>
        ${c.stats && (state === 'connected' || state === 'connecting') ? this.quality() : nothing}
      </section>`;
  }

  private stateText(state: CallState): string {
    const c = this.controller;
    const who = c?.isTestCall ? 'the echo test' : c?.peer ?? '';
    const kind = c?.media?.video ? 'video' : 'audio';
    switch (state) {
      case 'idle': return this.peer ? `No call. ${this.peer} can be called.` : 'No call.';
      case 'proposing': return `calling ${who}…${c?.peerRinging ? ' (ringing)' : ''}`;
      case 'ringing': return `ringing: incoming ${kind} call from ${who}`;
      case 'connecting': return `connecting to ${who}…`;
      case 'connected': return `connected with ${who}${this.peerMuteText()}`;
      case 'ended': return `ended: ${c?.endReason ? describeEnd(c.endReason) : 'unknown'}${this.endText()}`;
    }
  }

  /** Why, in words, when we ended it for a reason of our own (the peer's <text/> is theirs to word). */
  private endText(): string {
    const r = this.controller?.endReason;
    return r?.by === 'us' && r.text !== undefined && r.condition === 'connectivity-error' ? ` (${r.text})` : '';
  }

  private peerMuteText(): string {
    const m = this.controller?.peerMuted;
    if (!m) return '';
    const parts = [m.audio ? 'muted' : '', m.video ? 'camera off' : ''].filter(Boolean);
    return parts.length > 0 ? ` (they: ${parts.join(', ')})` : '';
  }

  private buttons(state: CallState) {
    const c = this.controller;
    if (!c) return nothing;
    if (state === 'idle' || state === 'ended') {
      const none = !this.peer;
      return html`
        <button type="button" ?disabled=${none} @click=${() => this.run(() => c.call(this.peer, { audio: true, video: false }))}>Audio call</button>
        <button type="button" ?disabled=${none} @click=${() => this.run(() => c.call(this.peer, { audio: true, video: true }))}>Video call</button>
        <button type="button" @click=${() => this.run(() => c.testCall({ audio: true, video: true }))}>Test call</button>`;
    }
    if (state === 'ringing') {
      return html`
        <button type="button" @click=${() => this.run(async () => c.accept())}>Accept</button>
        <button type="button" @click=${() => this.run(async () => c.decline())}>Decline</button>`;
    }
    const muted = c.isMuted('audio');
    return html`
      <button type="button" @click=${() => this.run(async () => c.hangUp())}>Hang up</button>
      <button type="button" aria-pressed=${muted ? 'true' : 'false'} @click=${() => this.run(async () => c.setMuted('audio', !muted))}>${muted ? 'Unmute' : 'Mute'}</button>
      ${c.media?.video ? html`
        <button type="button" @click=${() => this.run(() => c.setCameraOn(!c.cameraOn))}>${c.cameraOn ? 'Camera off' : 'Camera on'}</button>` : nothing}`;
  }

  private quality() {
    const s = this.controller?.stats;
    if (!s) return nothing;
    return html`
      <dl class="quality" aria-label="Call quality">
        <dt>bytes received</dt><dd data-stat="bytes-received">${s.bytesReceived}</dd>
        <dt>bytes sent</dt><dd data-stat="bytes-sent">${s.bytesSent}</dd>
        <dt>rtt</dt><dd data-stat="rtt">${s.rtt === undefined ? '–' : `${Math.round(s.rtt * 1000)} ms`}</dd>
        <dt>packets lost</dt><dd data-stat="packets-lost">${s.packetsLost}</dd>
        <dt>path</dt><dd data-stat="path">${s.localCandidateType ?? '?'} → ${s.remoteCandidateType ?? '?'}</dd>
      </dl>`;
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
