/**
 * MediaSession over the browser's RTCPeerConnection and getUserMedia: the only module of the client that
 * touches WebRTC. One transceiver per medium, audio first (mids 0, 1), BUNDLE and rtcp-mux as the
 * browser offers them; Chromium and Firefox offer Opus and VP8 by default.
 */
import type { CandidateInit } from '../../schemas/index.ts';
import { Emitter, type Unsubscribe } from './events.ts';
import {
  type CallStats, type MediaKind, type MediaSession, type MediaSessionEvents, type MediaSessionOptions, type TransportState,
} from './media-session.ts';
import { CertificatePool } from './certificates.ts';
import { summarizeStats, type StatsEntry } from './stats.ts';

export interface BrowserDeps {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** DTLS certificates made ahead (certificates.ts); without, each connection makes its own. */
  certificates?: CertificatePool;
}

/** The page's pool, filled as the client loads, so that even the first call finds a certificate ready. */
const pagePool = typeof RTCPeerConnection === 'undefined'
  ? undefined
  : new CertificatePool(() => RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams));
pagePool?.fill();

const defaultDeps = (): BrowserDeps => ({
  getUserMedia: (c) => navigator.mediaDevices.getUserMedia(c),
  createPeerConnection: (config) => new RTCPeerConnection(config),
  ...(pagePool ? { certificates: pagePool } : {}),
});

/** A MediaSessionFactory for the browser. */
export function createBrowserMediaSession(options: MediaSessionOptions, deps: BrowserDeps = defaultDeps()): MediaSession {
  return new BrowserMediaSession(options, deps);
}

/**
 * A candidate for RTCP's own component (2). Firefox gathers them before the answer says rtcp-mux,
 * although we require it (rtcpMuxPolicy 'require'): they can never be used, and each one trickled
 * would cost the peer a transport-info.
 */
function isRtcpCandidate(candidate: string): boolean {
  return /^candidate:\S+ 2 /.test(candidate);
}

const VIDEO_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } };

class BrowserMediaSession implements MediaSession {
  readonly #events = new Emitter<MediaSessionEvents>();
  readonly #pc: RTCPeerConnection;
  readonly #remote = new MediaStream();
  readonly #tracks = new Map<MediaKind, MediaStreamTrack>();
  readonly #muted = new Set<MediaKind>();
  #local: MediaStream | undefined;
  #preparing: Promise<void> | undefined;
  /** Our last setLocalDescription, running or done. */
  #applying: Promise<void> = Promise.resolve();
  /** We made an offer the peer has not answered yet. */
  #offering = false;
  /** Our ICE-restart offer, made but applied only with its answer (see restartIce). */
  #restartOffer: RTCSessionDescriptionInit | undefined;
  #cameraOn: boolean;
  #closed = false;

  constructor(readonly options: MediaSessionOptions, private readonly deps: BrowserDeps) {
    this.#cameraOn = options.media.video;
    const certificate = deps.certificates?.take();
    this.#pc = deps.createPeerConnection({
      ...(certificate ? { certificates: [certificate] } : {}),
      iceServers: options.iceServers.map((s) => ({ ...s, urls: [...s.urls] })),
      iceTransportPolicy: options.iceTransportPolicy ?? 'all',
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
      // Gathering starts now, not at our description: the callee's session is made on accept, and its
      // candidates are ready when the offer comes (Chromium; Firefox gathers at the description).
      iceCandidatePoolSize: 1,
    });
    this.#pc.addEventListener('icecandidate', (e) => {
      const c = e.candidate;
      if (!c) return void this.#events.emit('progress', 'gathered'); // the '' candidate (if any) says it per mid
      if (isRtcpCandidate(c.candidate)) return;
      if (c.candidate !== '') this.#events.emit('progress', 'first-candidate');
      const init: CandidateInit = { candidate: c.candidate, sdpMid: c.sdpMid };
      if (c.usernameFragment !== null) init.usernameFragment = c.usernameFragment;
      this.#events.emit('localCandidate', init);
    });
    this.#pc.addEventListener('iceconnectionstatechange', () => {
      const ice = this.#pc.iceConnectionState;
      if (ice === 'checking') this.#events.emit('progress', 'ice-checking');
      else if (ice === 'connected' || ice === 'completed') this.#events.emit('progress', 'ice-connected');
    });
    this.#pc.addEventListener('connectionstatechange', () => {
      if (!this.#closed) this.#events.emit('state', this.#pc.connectionState);
    });
    this.#pc.addEventListener('track', (e) => {
      for (const old of this.#remote.getTracks()) if (old.kind === e.track.kind && old !== e.track) this.#remote.removeTrack(old);
      this.#remote.addTrack(e.track);
      this.#events.emit('streams', undefined);
    });
  }

  get state(): TransportState {
    return this.#closed ? 'closed' : this.#pc.connectionState;
  }

  get localStream(): MediaStream | undefined {
    return this.#local;
  }

  get remoteStream(): MediaStream | undefined {
    return this.#remote.getTracks().length > 0 ? this.#remote : undefined;
  }

  get stable(): boolean {
    return !this.#offering;
  }

  get cameraOn(): boolean {
    return this.#cameraOn;
  }

  prepare(): Promise<void> {
    this.#preparing ??= (async () => {
      const { audio, video } = this.options.media;
      const stream = await this.deps.getUserMedia({ audio, video: video ? VIDEO_CONSTRAINTS : false });
      if (this.#closed) {
        for (const t of stream.getTracks()) t.stop();
        throw new Error('the call ended while the camera and microphone were being opened');
      }
      this.#local = stream;
      for (const t of stream.getTracks()) this.#tracks.set(t.kind as MediaKind, t);
      this.#events.emit('streams', undefined);
      await this.#attachTracks();
    })();
    return this.#preparing;
  }

  /**
   * Offers and answers do not wait for the camera and microphone: transceivers are made by kind, and
   * the tracks go on them when prepare() has opened the devices (no renegotiation needed). The caller
   * chooses when to call prepare(), so that opening the devices (a CPU-hungry step) overlaps the wait for
   * the peer rather than the making of our description.
   */
  async createOffer(): Promise<string> {
    for (const kind of ['audio', 'video'] as const) {
      if (this.options.media[kind]) this.#pc.addTransceiver(kind, { direction: 'sendrecv' });
    }
    this.#offering = true;
    return this.#applyLocal(await this.#pc.createOffer());
  }

  async acceptOffer(sdp: string): Promise<string> {
    await this.#applying;
    // An offer that crosses ours (an ICE restart from both sides): ours yields.
    if (this.#pc.signalingState === 'have-local-offer') await this.#pc.setLocalDescription({ type: 'rollback' });
    this.#restartOffer = undefined; // never applied: nothing to roll back
    this.#offering = false;
    await this.#pc.setRemoteDescription({ type: 'offer', sdp });
    for (const t of this.#pc.getTransceivers()) {
      if (t.currentDirection !== null) continue; // negotiated before (a re-offer): keep as is
      t.direction = this.options.media[t.receiver.track.kind as MediaKind] ? 'sendrecv' : 'recvonly';
    }
    return this.#applyLocal(await this.#pc.createAnswer());
  }

  /**
   * Applies our offer or answer and returns its SDP at once: signaling carries it to the peer while the
   * browser applies it (they take as long as each other). Whatever needs it applied waits for #applying;
   * a failure to apply fails the transport.
   */
  #applyLocal(description: RTCSessionDescriptionInit): string {
    if (description.sdp === undefined) throw new Error('the browser made a description without SDP');
    this.#applying = this.#pc.setLocalDescription(description).then(() => void this.#attachTracks(), (err: unknown) => {
      console.warn('setLocalDescription failed', err);
      if (!this.#closed) this.#events.emit('state', 'failed');
    });
    return description.sdp;
  }

  /** Puts our tracks on the transceivers that send them and have none yet (not while muted or camera off). */
  async #attachTracks(): Promise<void> {
    for (const t of this.#pc.getTransceivers()) {
      const kind = t.receiver.track.kind as MediaKind;
      const track = this.#tracks.get(kind);
      if (!track || t.sender.track || (t.direction !== 'sendrecv' && t.direction !== 'sendonly')) continue;
      if (this.#muted.has(kind) || (kind === 'video' && !this.#cameraOn)) continue;
      await t.sender.replaceTrack(track).catch(() => undefined);
    }
  }

  async setAnswer(sdp: string): Promise<void> {
    await this.#applying;
    const restart = this.#restartOffer;
    this.#restartOffer = undefined;
    // Both at once, so no JavaScript turn runs between them: the new session gathers from the first.
    const local = restart ? this.#pc.setLocalDescription(restart) : Promise.resolve();
    await Promise.all([local, this.#pc.setRemoteDescription({ type: 'answer', sdp })]);
    this.#offering = false;
  }

  localDescription(): string | undefined {
    const sdp = this.#pc.localDescription?.sdp;
    return sdp?.split('\r\n').filter((line) => !(line.startsWith('a=candidate:') && isRtcpCandidate(line.slice(2)))).join('\r\n');
  }

  async addRemoteCandidate(c: CandidateInit): Promise<void> {
    if (this.#closed) return;
    await this.#applying;
    await this.#pc.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? null, usernameFragment: c.usernameFragment ?? null });
  }

  /**
   * Our ICE-restart offer: its new ufrag and pwd go to the peer now, but the offer is applied only
   * with the answer (setAnswer). Over Jingle the answer is the peer's first candidates under its new
   * credentials, a round trip and a gathering later; an offer applied before that starts a new ICE
   * session that pairs our new candidates with the peer's old ones, which the peer's old session still
   * answers. Chromium, controlling after its restart offer, nominated such a pair while Firefox's new
   * session never got a check and failed 10 s later (one restart in two from Chromium to Firefox).
   * Applied together with the answer, the window is the browser's own time between the two (about one
   * restart in twelve still fails when Chromium is slow; the failing side's own restart recovers).
   */
  async restartIce(): Promise<string> {
    await this.#applying;
    this.#pc.restartIce();
    const offer = await this.#pc.createOffer({ iceRestart: true });
    if (offer.sdp === undefined) throw new Error('the browser made a description without SDP');
    this.#restartOffer = offer;
    this.#offering = true;
    return offer.sdp;
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    if (muted) this.#muted.add(kind);
    else this.#muted.delete(kind);
    const track = this.#tracks.get(kind);
    if (track) track.enabled = !muted;
    // No track on the sender while muted: nothing goes out, not even silence.
    const sender = this.#sender(kind);
    if (sender && (kind === 'audio' || this.#cameraOn)) void sender.replaceTrack(muted ? null : track ?? null).catch(() => undefined);
  }

  isMuted(kind: MediaKind): boolean {
    return this.#muted.has(kind);
  }

  async setCameraOn(on: boolean): Promise<void> {
    if (on === this.#cameraOn || !this.options.media.video) return;
    this.#cameraOn = on;
    const sender = this.#sender('video');
    const old = this.#tracks.get('video');
    if (!on) {
      await sender?.replaceTrack(null);
      old?.stop(); // the camera's light goes out
      if (old) this.#local?.removeTrack(old);
      this.#tracks.delete('video');
    } else {
      const [track] = (await this.deps.getUserMedia({ video: VIDEO_CONSTRAINTS })).getVideoTracks();
      if (!track) throw new Error('no camera');
      if (this.#closed || !this.#cameraOn) {
        track.stop();
        return;
      }
      this.#tracks.set('video', track);
      this.#local?.addTrack(track);
      if (!this.#muted.has('video')) await sender?.replaceTrack(track);
    }
    this.#events.emit('streams', undefined);
  }

  async stats(): Promise<CallStats> {
    const report = await this.#pc.getStats();
    return summarizeStats(report.values() as IterableIterator<StatsEntry>);
  }

  on<K extends keyof MediaSessionEvents>(event: K, listener: (payload: MediaSessionEvents[K]) => void): Unsubscribe {
    return this.#events.on(event, listener);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#tracks.values()) t.stop();
    this.#pc.close();
    this.#events.emit('state', 'closed');
    this.#events.clear();
  }

  #sender(kind: MediaKind): RTCRtpSender | undefined {
    for (const t of this.#pc.getTransceivers()) {
      if (t.receiver.track.kind === kind && t.currentDirection !== 'stopped') return t.sender;
    }
    return undefined;
  }
}
