// Media taken early, and given back: the caller opens its microphone and camera while its proposal
// rings (so the call connects sooner), and a proposal that ends without a session (declined, retracted,
// rung out) stops every track it opened, even one still being opened (the camera light goes off). The
// callee opens nothing while it only rings: no getUserMedia, no peer connection, until Accept.
// The real browser MediaSession (client/rtc/browser.ts) over scripted WebRTC, the controller over FakeNetwork.
import { describe, expect, it } from 'vitest';
import { createBrowserMediaSession } from '../../client/rtc/browser.ts';
import { FakeMediaSession } from '../../client/rtc/fake.ts';
import type { MediaSessionFactory } from '../../client/rtc/media-session.ts';
import { FakeNetwork } from '../../client/xmpp/fake-link.ts';
import { servers, until, user } from './client-call.fixture.ts';
import { FakeDevices, ScriptedPeerConnection, withMediaStream } from './client-rtc-scripted.fixture.ts';

withMediaStream();

/** Scripted WebRTC whose descriptions are real SDP (FakeMediaSession's), so they cross Jingle. */
class SdpPeerConnection extends ScriptedPeerConnection {
  readonly #sdp = new FakeMediaSession({ media: { audio: true, video: true }, iceServers: [] });
  #remoteOffer = '';
  /** How many times getUserMedia had been asked when the peer's offer was applied. */
  devicesAskedAtOffer: number | undefined;
  constructor(private readonly devices: FakeDevices) {
    super();
  }

  override async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: await this.#sdp.createOffer() };
  }

  override async setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    if (d.type === 'offer') {
      this.#remoteOffer = d.sdp ?? '';
      this.devicesAskedAtOffer ??= this.devices.calls;
    }
    await super.setRemoteDescription(d);
  }

  override async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: await this.#sdp.acceptOffer(this.#remoteOffer) };
  }
}

/** A device: fake camera and microphone, and the peer connections its calls made. */
function device(): { devices: FakeDevices; pcs: SdpPeerConnection[]; createMedia: MediaSessionFactory } {
  const devices = new FakeDevices();
  const pcs: SdpPeerConnection[] = [];
  const createMedia: MediaSessionFactory = (options) => createBrowserMediaSession(options, {
    getUserMedia: devices.getUserMedia,
    createPeerConnection: () => {
      const pc = new SdpPeerConnection(devices);
      pcs.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
  });
  return { devices, pcs, createMedia };
}

function setUp(ringTimeoutMs = 1_500) {
  const net = new FakeNetwork();
  servers(net);
  const a = device();
  const b = device();
  const alice = user(net, 'alice@localhost/web', { createMedia: a.createMedia, ringTimeoutMs });
  const bob = user(net, 'bob@localhost/web', { createMedia: b.createMedia, ringTimeoutMs });
  return { a, b, alice, bob };
}

const video = { audio: true, video: true };

describe('media opened early is released', () => {
  it('the caller opens camera and microphone while it rings; a decline stops them and closes the connection', async () => {
    const { a, b, alice, bob } = setUp();
    await alice.call.call('bob@localhost', video);
    await until('bob rings', () => bob.call.state === 'ringing');
    await until('alice has her camera and microphone', () => a.devices.live.length === 2);
    // The callee, only ringing, has opened nothing.
    expect(b.devices.calls).toBe(0);
    expect(b.pcs).toHaveLength(0);
    bob.call.decline();
    await until('alice hears the decline', () => alice.call.state === 'ended');
    expect(alice.call.endReason).toMatchObject({ condition: 'decline', by: 'peer' });
    expect(a.devices.live).toEqual([]);
    expect(a.pcs[0]!.calls).toContain('close');
  });

  it('a retracted proposal stops the tracks still being opened, when they arrive', async () => {
    const { a, alice, bob } = setUp();
    a.devices.hold = true; // the camera is slow to open
    await alice.call.call('bob@localhost', video);
    await until('bob rings', () => bob.call.state === 'ringing');
    await until('getUserMedia asked', () => a.devices.calls === 1);
    alice.call.hangUp();
    expect(alice.call.endReason).toMatchObject({ condition: 'cancel', by: 'us' });
    a.devices.release();
    await until('the late tracks are stopped', () => a.devices.tracks.length === 2 && a.devices.live.length === 0);
    await until('bob stops ringing', () => bob.call.state === 'ended');
  });

  it('a proposal nobody answers stops the tracks when it rings out', async () => {
    const { a, b, alice, bob } = setUp(200);
    await alice.call.call('bob@localhost', video);
    await until('alice has her camera and microphone', () => a.devices.live.length === 2);
    await until('rung out', () => alice.call.state === 'ended' && bob.call.state === 'ended');
    expect(alice.call.endReason).toMatchObject({ condition: 'timeout', by: 'us' });
    expect(a.devices.live).toEqual([]);
    expect(b.devices.calls).toBe(0);
  });

  it('the callee opens its devices on Accept, before the session-initiate comes, and stops them at hang-up', async () => {
    const { b, alice, bob } = setUp();
    await alice.call.call('bob@localhost', video);
    await until('bob rings', () => bob.call.state === 'ringing');
    bob.call.accept();
    await until('bob has his camera and microphone', () => b.devices.live.length === 2);
    await until('bob has the offer', () => b.pcs[0]?.devicesAskedAtOffer !== undefined);
    expect(b.pcs[0]!.devicesAskedAtOffer).toBe(1); // asked on Accept, not after our answer
    bob.call.hangUp();
    expect(b.devices.live).toEqual([]);
    await until('alice ended', () => alice.call.state === 'ended');
  });
});
