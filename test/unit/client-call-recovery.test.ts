// A call while the server connection drops (FakeLink.drop / reconnect, with the fake server bouncing iqs
// to a dropped resource as Prosody does) and while ICE fails: what goes on, what waits, and what ends
// the call with a reason.
import { describe, expect, it } from 'vitest';
import { parseJingle } from '../../schemas/index.ts';
import { CallController } from '../../client/controllers/call.ts';
import { FakeMedia } from '../../client/rtc/fake.ts';
import { elements } from '../../client/xmpp/xml.ts';
import { BOOK, connect, jingleSent, session, until, world } from './client-call.fixture.ts';

/** Transport-info iqs that restart ICE: new credentials and no candidates. */
const restartOffers = (sent: Parameters<typeof jingleSent>[0]) => jingleSent(sent, 'transport-info')
  .map((iq) => parseJingle(elements(iq)[0]!))
  .filter((j) => j.contents.every((c) => c.transport?.candidates.length === 0));

describe('call controller: lost connections', () => {
  it('goes on while our server connection is down, and signals again once back under the same JID', async () => {
    const w = world();
    await connect(w);
    w.alice.link.drop();
    expect(w.alice.call.state).toBe('connected');
    expect(w.alice.call.serverLost).toBe(true);
    // Bob's mute info bounces meanwhile (service-unavailable): his call goes on too.
    const bounced = w.bob.link.sent.length;
    w.bob.call.setMuted('audio', true);
    await until('bob sent it', () => w.bob.link.sent.length > bounced);
    await new Promise((r) => setTimeout(r, 20));
    expect(w.bob.call.state).toBe('connected');
    expect(w.alice.call.peerMuted.audio).toBe(false);

    w.alice.link.reconnect();
    expect(w.alice.call.serverLost).toBe(false);
    expect(w.alice.call.state).toBe('connected');
    w.bob.call.setMuted('video', true);
    await until('alice hears of it', () => w.alice.call.peerMuted.video);
    w.alice.call.hangUp();
    await until('bob ended', () => w.bob.call.state === 'ended');
    expect(w.bob.call.endReason).toMatchObject({ condition: 'success', by: 'peer' });
  });

  it('ends with connectivity-error when we come back under another full JID, which the peer cannot reach', async () => {
    const w = world();
    await connect(w);
    w.alice.link.drop();
    w.alice.link.reconnect('alice@localhost/elsewhere');
    expect(w.alice.call.state).toBe('ended');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'connectivity-error', by: 'us' });
    expect(w.alice.call.endReason?.text).toContain('another address');
    expect(session(w.alice).state).toBe('closed');
  });

  it('ends when we log out, without waiting', async () => {
    const w = world();
    await connect(w);
    w.alice.link.drop();
    w.alice.link.setStatus('offline');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'connectivity-error', by: 'us', text: 'disconnected from the server' });
  });

  it('keeps an ICE restart for when the server connection is back, and recovers the call then', async () => {
    const w = world();
    await connect(w);
    const [a, b] = [session(w.alice), session(w.bob)];
    const ufrag = a.localUfrag;
    w.alice.link.drop();
    a.fail();
    expect(w.alice.call.state).toBe('connecting');
    await new Promise((r) => setTimeout(r, 20));
    expect(restartOffers(w.alice.link)).toHaveLength(0); // nothing can be sent yet
    w.alice.link.reconnect();
    await until('recovered', () => w.alice.call.state === 'connected' && a.state === 'connected' && b.state === 'connected');
    expect(restartOffers(w.alice.link)).toHaveLength(1);
    expect(a.localUfrag).not.toBe(ufrag);
  });

  it('ends on both sides with a reason when media does not come back within recoverMs', async () => {
    const w = world({ recoverMs: 150 });
    await connect(w);
    w.alice.link.drop(); // for good: her network is gone, and with it the media
    session(w.alice).fail();
    session(w.bob).fail();
    await until('both ended', () => w.alice.call.state === 'ended' && w.bob.call.state === 'ended', 3_000);
    expect(w.alice.call.endReason).toMatchObject({ condition: 'connectivity-error', by: 'us', text: 'the connection was lost and did not come back' });
    // Bob tried: his restart went out and bounced with service-unavailable (her resource is gone), which
    // ends his call at once (issue 11 B2) rather than after recoverMs.
    expect(restartOffers(w.bob.link)).toHaveLength(1);
    expect(w.bob.call.endReason).toMatchObject({ condition: 'connectivity-error', by: 'us', text: 'the other side is no longer reachable' });
  });

  it('ends at once when the peer answers our restart with unknown-session (it lost the call, say a reload)', async () => {
    const w = world();
    await connect(w);
    // Bob's page reloads while his connection is down: his terminate never leaves, his new page knows nothing.
    w.bob.link.drop();
    w.bob.call.stop();
    w.bob.link.reconnect();
    const reloaded = new CallController(w.bob.link, { createMedia: new FakeMedia().create, peers: () => BOOK });
    try {
      session(w.alice).fail();
      await until('alice ended', () => w.alice.call.state === 'ended');
      expect(w.alice.call.endReason).toMatchObject({ condition: 'connectivity-error', by: 'us', text: 'the other side no longer knows this call' });
    } finally {
      reloaded.stop();
    }
  });
});
