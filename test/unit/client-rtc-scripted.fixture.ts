// A scripted RTCPeerConnection and fake capture devices for the browser MediaSession (client/rtc/browser.ts)
// in Node: what the session applies, in which order, and whether the tracks it opened were stopped.
import { afterAll, beforeAll } from 'vitest';

/** Records the calls a MediaSession makes; descriptions are numbered so each can be told apart. */
export class ScriptedPeerConnection extends EventTarget {
  readonly calls: string[] = [];
  signalingState: RTCSignalingState = 'stable';
  localDescription: RTCSessionDescriptionInit | null = null;
  connectionState: RTCPeerConnectionState = 'new';
  #offers = 0;
  #transceivers: { receiver: { track: { kind: string } }; sender: { track: null; replaceTrack(): Promise<void> }; direction: string; currentDirection: string | null }[] = [];

  addTransceiver(kind: string): void {
    this.#transceivers.push({ receiver: { track: { kind } }, sender: { track: null, replaceTrack: async () => undefined }, direction: 'sendrecv', currentDirection: null });
  }

  getTransceivers(): unknown[] {
    return this.#transceivers;
  }

  restartIce(): void {
    this.calls.push('restartIce');
  }

  async createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> {
    const sdp = `offer-${++this.#offers}${options?.iceRestart === true ? '-restart' : ''}`;
    this.calls.push(`createOffer ${sdp}`);
    return { type: 'offer', sdp };
  }

  async setLocalDescription(d: RTCSessionDescriptionInit): Promise<void> {
    this.calls.push(`setLocalDescription ${d.type} ${d.sdp ?? ''}`.trim());
    this.localDescription = d;
    if (d.type === 'offer') this.signalingState = 'have-local-offer';
    else this.signalingState = 'stable';
  }

  async setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    this.calls.push(`setRemoteDescription ${d.type} ${d.sdp ?? ''}`);
    if (d.type === 'answer' && this.signalingState !== 'have-local-offer') throw new Error('InvalidStateError: no local offer to answer');
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: 'answer' };
  }

  async addIceCandidate(): Promise<void> {}

  /** The browser trickles a local candidate (`null`: gathering complete). */
  gather(candidate: string | null, sdpMid = '0'): void {
    const c = candidate === null ? null : { candidate, sdpMid, usernameFragment: 'u1' };
    this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: c }));
  }

  close(): void {
    this.calls.push('close');
  }
}

/** A capture device's track: `stop()` turns its light off (readyState 'ended'). */
export class FakeTrack {
  readyState: 'live' | 'ended' = 'live';
  enabled = true;
  constructor(readonly kind: 'audio' | 'video') {}
  stop(): void {
    this.readyState = 'ended';
  }
}

/** getUserMedia over fake devices: each call's tracks are kept, and it resolves when `release()` says (or at once). */
export class FakeDevices {
  readonly tracks: FakeTrack[] = [];
  calls = 0;
  #held: (() => void)[] = [];
  /** While true, getUserMedia waits for release(): the user has not yet allowed it, or the camera is slow. */
  hold = false;

  readonly getUserMedia = (constraints: MediaStreamConstraints): Promise<MediaStream> => {
    this.calls++;
    const tracks = (['audio', 'video'] as const).filter((k) => constraints[k]).map((k) => new FakeTrack(k));
    this.tracks.push(...tracks);
    const stream = { getTracks: () => tracks, getVideoTracks: () => tracks.filter((t) => t.kind === 'video') } as unknown as MediaStream;
    if (!this.hold) return Promise.resolve(stream);
    return new Promise((resolve) => this.#held.push(() => resolve(stream)));
  };

  release(): void {
    for (const r of this.#held.splice(0)) r();
  }

  /** Tracks whose device is still on (its light would be lit). */
  get live(): FakeTrack[] {
    return this.tracks.filter((t) => t.readyState === 'live');
  }
}

/** Node has no MediaStream; the session only keeps one for the remote tracks. */
export function withMediaStream(): void {
  const had = 'MediaStream' in globalThis;
  beforeAll(() => {
    if (!had) (globalThis as { MediaStream?: unknown }).MediaStream = class { getTracks(): unknown[] { return []; } addTrack(): void {} removeTrack(): void {} };
  });
  afterAll(() => {
    if (!had) delete (globalThis as { MediaStream?: unknown }).MediaStream;
  });
}
