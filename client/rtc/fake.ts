/**
 * A MediaSession for Node tests: writes a small but real unified-plan SDP (Opus, VP8, BUNDLE, ICE,
 * DTLS), trickles one host candidate after each local description, and "connects" once it holds both
 * descriptions and a remote candidate of the peer's current ICE generation (ufrag), as a browser would.
 * Tests drive failures with fail() and read what was applied from its public fields.
 */
import type { CandidateInit } from '../../schemas/index.ts';
import { Emitter, type Unsubscribe } from './events.ts';
import {
  emptyStats, pathOf, type CallStats, type MediaKind, type MediaSession, type MediaSessionEvents, type MediaSessionOptions,
  type TransportState,
} from './media-session.ts';

let counter = 0;

interface MLine { kind: string; mid: string; direction: string }

export class FakeMediaSession implements MediaSession {
  readonly #events = new Emitter<MediaSessionEvents>();
  readonly id = ++counter;
  state: TransportState = 'new';
  prepared = false;
  cameraOn: boolean;
  readonly muted = new Set<MediaKind>();
  /** What the controller applied, in order. */
  readonly remoteOffers: string[] = [];
  readonly remoteAnswers: string[] = [];
  readonly remoteCandidates: CandidateInit[] = [];
  localUfrag = '';
  localPwd = '';
  remoteUfrag: string | undefined;
  #generation = 0;
  #mlines: MLine[] = [];
  #setup: 'actpass' | 'active' = 'actpass';
  #candidates: string[] = [];
  #hasLocal = false;
  #hasRemote = false;
  #stable = true;
  #remoteReady = false;
  #connectedAt = 0;

  constructor(readonly options: MediaSessionOptions, private readonly delayMs = 0) {
    this.cameraOn = options.media.video;
  }

  get localStream(): MediaStream | undefined {
    return undefined;
  }

  get remoteStream(): MediaStream | undefined {
    return undefined;
  }

  get stable(): boolean {
    return this.#stable;
  }

  /** Set to gather no candidate at all, as a relay-only call without a TURN server: ICE never leaves 'new'. */
  gatherNothing = false;

  /** Set to make prepare() fail, as getUserMedia does when the user refuses the microphone. */
  refuseDevices = false;

  async prepare(): Promise<void> {
    if (this.refuseDevices) throw new Error('Permission denied');
    this.prepared = true;
  }

  async createOffer(): Promise<string> {
    this.#mlines = [{ kind: 'audio', mid: '0', direction: 'sendrecv' }];
    if (this.options.media.video) this.#mlines.push({ kind: 'video', mid: '1', direction: 'sendrecv' });
    this.#setup = 'actpass';
    this.#newCredentials();
    this.#stable = false;
    return this.#applyLocal();
  }

  async acceptOffer(sdp: string): Promise<string> {
    this.remoteOffers.push(sdp);
    const offered = parseMLines(sdp);
    if (offered.length === 0) throw new Error('fake: an offer without m-lines');
    if (!this.#hasLocal) {
      this.#mlines = offered.map((m) => ({ ...m, direction: answerDirection(m.direction, this.options.media[m.kind as MediaKind] ?? false) }));
      this.#setup = 'active';
    }
    this.#remote(sdp);
    // Every offer we answer (the first, or an ICE restart's) gets fresh credentials, as in a browser.
    this.#newCredentials();
    this.#stable = true;
    return this.#applyLocal();
  }

  async setAnswer(sdp: string): Promise<void> {
    if (this.#stable) throw new Error('fake: an answer without an offer');
    this.remoteAnswers.push(sdp);
    this.#remote(sdp);
    this.#stable = true;
    this.#maybeConnect();
  }

  localDescription(): string | undefined {
    return this.#hasLocal ? this.#write() : undefined;
  }

  async addRemoteCandidate(c: CandidateInit): Promise<void> {
    if (this.state === 'closed') return;
    this.remoteCandidates.push(c);
    if (c.candidate !== '' && (c.usernameFragment == null || c.usernameFragment === this.remoteUfrag)) this.#remoteReady = true;
    this.#maybeConnect();
  }

  async restartIce(): Promise<string> {
    this.#setup = 'actpass';
    this.#newCredentials();
    this.#stable = false;
    this.#remoteReady = false;
    return this.#applyLocal();
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    if (muted) this.muted.add(kind);
    else this.muted.delete(kind);
  }

  isMuted(kind: MediaKind): boolean {
    return this.muted.has(kind);
  }

  async setCameraOn(on: boolean): Promise<void> {
    if (this.options.media.video) this.cameraOn = on;
  }

  async stats(): Promise<CallStats> {
    const s = emptyStats();
    if (this.state !== 'connected') return s;
    const ms = Date.now() - this.#connectedAt + 1;
    s.audio.bytesReceived = ms * 4;
    s.audio.bytesSent = this.muted.has('audio') ? 0 : ms * 4;
    s.bytesReceived = s.audio.bytesReceived;
    s.bytesSent = s.audio.bytesSent;
    s.rtt = 0.001;
    s.localCandidateType = this.options.iceTransportPolicy === 'relay' ? 'relay' : 'host';
    s.remoteCandidateType = 'host';
    s.path = pathOf(s.localCandidateType, s.remoteCandidateType);
    s.iceUfrag = this.localUfrag;
    return s;
  }

  on<K extends keyof MediaSessionEvents>(event: K, listener: (payload: MediaSessionEvents[K]) => void): Unsubscribe {
    return this.#events.on(event, listener);
  }

  close(): void {
    if (this.state === 'closed') return;
    this.#setState('closed');
    this.#events.clear();
  }

  /** One more local candidate, late (a server-reflexive one, say): trickled under the current ufrag. */
  gatherMore(): void {
    const line = `candidate:2 1 udp 1686052607 192.0.2.${this.id % 250} ${41000 + this.id} typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag ${this.localUfrag}`;
    this.#candidates.push(line);
    this.#events.emit('localCandidate', { candidate: line, sdpMid: this.#mlines[0]?.mid ?? '0', usernameFragment: this.localUfrag });
  }

  /** The transport fails, as when the network goes away. */
  fail(): void {
    this.#remoteReady = false;
    this.#setState('failed');
  }

  #newCredentials(): void {
    this.#generation++;
    this.localUfrag = `f${this.id}g${this.#generation}`;
    this.localPwd = `fakepassword${this.id}x${this.#generation}abcdefghij`;
    this.#candidates = [];
  }

  #remote(sdp: string): void {
    this.#hasRemote = true;
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
    if (ufrag !== undefined && ufrag !== this.remoteUfrag) {
      this.remoteUfrag = ufrag;
      this.#remoteReady = /^a=candidate:/m.test(sdp);
    }
  }

  #applyLocal(): string {
    this.#hasLocal = true;
    const sdp = this.#write();
    const mid = this.#mlines[0]?.mid ?? '0';
    const ufrag = this.localUfrag;
    setTimeout(() => {
      if (this.state === 'closed' || ufrag !== this.localUfrag || this.gatherNothing) return;
      const line = `candidate:1 1 udp 2122260223 127.0.0.1 ${40000 + this.id} typ host generation 0 ufrag ${ufrag}`;
      this.#candidates.push(line);
      this.#events.emit('localCandidate', { candidate: line, sdpMid: mid, usernameFragment: ufrag });
      this.#maybeConnect();
    }, this.delayMs);
    return sdp;
  }

  #maybeConnect(): void {
    if (!this.#hasLocal || !this.#hasRemote || !this.#stable || !this.#remoteReady || this.#candidates.length === 0) return;
    if (this.state === 'connected' || this.state === 'closed' || this.state === 'connecting') return;
    this.#setState('connecting');
    setTimeout(() => {
      if (this.state !== 'connecting') return;
      this.#connectedAt = Date.now();
      this.#setState('connected');
    }, this.delayMs);
  }

  #setState(s: TransportState): void {
    this.state = s;
    this.#events.emit('state', s);
  }

  #write(): string {
    const mids = this.#mlines.map((m) => m.mid).join(' ');
    const out = ['v=0', `o=- ${1000 + this.id} ${this.#generation + 1} IN IP4 127.0.0.1`, 's=-', 't=0 0', `a=group:BUNDLE ${mids}`, 'a=msid-semantic: WMS fake'];
    for (const m of this.#mlines) {
      const video = m.kind === 'video';
      out.push(
        `m=${m.kind} 9 UDP/TLS/RTP/SAVPF ${video ? 96 : 111}`, 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0',
        `a=ice-ufrag:${this.localUfrag}`, `a=ice-pwd:${this.localPwd}`, 'a=ice-options:trickle',
        `a=fingerprint:sha-256 ${FINGERPRINT}`, `a=setup:${this.#setup}`, `a=mid:${m.mid}`, `a=${m.direction}`,
        'a=rtcp-mux', video ? 'a=rtpmap:96 VP8/90000' : 'a=rtpmap:111 opus/48000/2',
        ...(video ? [] : ['a=fmtp:111 minptime=10;useinbandfec=1']),
        ...this.#candidates.map((c) => `a=${c}`),
      );
    }
    return `${out.join('\r\n')}\r\n`;
  }
}

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0')).join(':');

function parseMLines(sdp: string): MLine[] {
  const out: MLine[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    const m = /^m=(\w+) /.exec(line);
    if (m) out.push({ kind: m[1] ?? 'audio', mid: String(out.length), direction: 'sendrecv' });
    const last = out[out.length - 1];
    if (!last) continue;
    const mid = /^a=mid:(\S+)/.exec(line)?.[1];
    if (mid !== undefined) last.mid = mid;
    const dir = /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line)?.[1];
    if (dir !== undefined) last.direction = dir;
  }
  return out;
}

function answerDirection(offered: string, send: boolean): string {
  const recv = offered === 'sendrecv' || offered === 'sendonly';
  const canSend = offered === 'sendrecv' || offered === 'recvonly';
  if (recv && send && canSend) return 'sendrecv';
  if (recv) return 'recvonly';
  return send && canSend ? 'sendonly' : 'inactive';
}

/** A MediaSessionFactory that keeps what it made, for assertions. */
export class FakeMedia {
  readonly sessions: FakeMediaSession[] = [];
  /** The sessions made from now on refuse to open the devices. */
  refuseDevices = false;
  /** The sessions made from now on gather no candidate (FakeMediaSession.gatherNothing). */
  gatherNothing = false;
  constructor(private readonly delayMs = 0) {}

  readonly create = (options: MediaSessionOptions): FakeMediaSession => {
    const s = new FakeMediaSession(options, this.delayMs);
    s.refuseDevices = this.refuseDevices;
    s.gatherNothing = this.gatherNothing;
    this.sessions.push(s);
    return s;
  };

  get last(): FakeMediaSession | undefined {
    return this.sessions[this.sessions.length - 1];
  }
}
