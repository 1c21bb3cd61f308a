// The call controller over FakeNetwork (client-call.fixture.ts: alice, bob on two devices, carol, a fake
// server and component, FakeMediaSessions in place of WebRTC). Transcripts:
// "Alice calls, Bob's devices ring, Bob answers on one, the other stops, media connects, Alice hangs up".
import type { Element } from 'ltx';
import { describe, expect, it } from 'vitest';
import { NS, buildJmiMessage, findJmi, parseJingle } from '../../schemas/index.ts';
import { CallError } from '../../client/controllers/call.ts';
import { CallStateError, checkMove, describeEnd } from '../../client/controllers/call-states.ts';
import { FakeMedia } from '../../client/rtc/fake.ts';
import { elements, x } from '../../client/xmpp/xml.ts';
import { COMPONENT, connect, jingleSent, jmiSent, session, until, user, world } from './client-call.fixture.ts';

describe('call controller', () => {
  it('calls, rings every device, connects with trickle ICE, mutes, and hangs up', async () => {
    const w = world();
    const sid = await connect(w);
    const propose = jmiSent(w.alice.link, 'propose')[0]!;
    expect(propose.attrs).toMatchObject({ to: 'bob@localhost', type: 'chat' });
    expect(propose.getChild('store', NS.hints)).toBeDefined();
    expect(propose.getChild('request', NS.receipts)).toBeDefined();
    expect(findJmi(propose)!.media).toEqual(['audio', 'video']);
    // Bob's devices: ringing to the caller's full JID; proceed to it and accept to bob's own bare JID.
    expect(jmiSent(w.bob.link, 'ringing')[0]!.attrs.to).toBe('alice@localhost/web');
    expect(jmiSent(w.bob.link, 'proceed')[0]!.attrs.to).toBe('alice@localhost/web');
    expect(jmiSent(w.bob.link, 'accept')[0]!.attrs.to).toBe('bob@localhost');
    expect(w.bob.link.sent.some((s) => s.getChild('received', NS.receipts)?.attrs.id === propose.attrs.id)).toBe(true);
    // The other device stopped ringing.
    expect(w.bob2.call.state).toBe('ended');
    expect(w.bob2.call.endReason).toMatchObject({ condition: 'answered-elsewhere', by: 'other-device' });
    expect(w.bob2.media.sessions).toHaveLength(0);
    // Jingle: session-initiate from alice's full JID, session-accept back, candidates both ways.
    const initiate = parseJingle(elements(jingleSent(w.alice.link, 'session-initiate')[0]!)[0]!);
    expect(initiate).toMatchObject({ sid, initiator: 'alice@localhost/web' });
    expect(initiate.contents.map((c) => c.description?.media)).toEqual(['audio', 'video']);
    expect(initiate.contents[0]!.description!.payloadTypes.map((p) => p.name)).toContain('opus');
    expect(initiate.contents[1]!.description!.payloadTypes.map((p) => p.name)).toContain('VP8');
    expect(jingleSent(w.bob.link, 'session-accept')).toHaveLength(1);
    expect(session(w.alice).prepared && session(w.bob).prepared).toBe(true);
    expect(session(w.alice).remoteAnswers).toHaveLength(1);
    expect(session(w.bob).remoteOffers).toHaveLength(1);
    expect(session(w.alice).remoteCandidates.some((c) => c.usernameFragment === session(w.bob).localUfrag)).toBe(true);
    expect(session(w.bob).remoteCandidates.some((c) => c.usernameFragment === session(w.alice).localUfrag)).toBe(true);
    // Every trickled transport names its ufrag and pwd (Conversations compares both).
    const trickle = elements(elements(elements(jingleSent(w.bob.link, 'transport-info')[0]!)[0]!)[0]!)[0]!;
    expect(trickle.attrs).toMatchObject({ ufrag: session(w.bob).localUfrag, pwd: session(w.bob).localPwd });
    // ICE servers from the server and the component, merged.
    expect(session(w.alice).options.iceServers.map((s) => s.urls[0])).toEqual(['stun:127.0.0.1:3478', 'turn:127.0.0.1:3479?transport=udp']);
    await until('stats', () => (w.alice.call.stats?.bytesReceived ?? 0) > 0);
    // Mute: the media session and a XEP-0167 session-info.
    w.alice.call.setMuted('audio', true);
    expect(session(w.alice).muted.has('audio')).toBe(true);
    await until('bob sees alice muted', () => w.bob.call.peerMuted.audio);
    await w.alice.call.setCameraOn(false);
    expect(session(w.alice).cameraOn).toBe(false);
    await until('bob sees alice camera off', () => w.bob.call.peerMuted.video);
    expect(w.alice.call.isMuted('audio')).toBe(true);
    // Hang up: session-terminate, both ended, media closed.
    w.alice.call.hangUp();
    await until('bob ended', () => w.bob.call.state === 'ended');
    expect(w.bob.call.endReason).toMatchObject({ condition: 'success', by: 'peer' });
    expect(describeEnd(w.bob.call.endReason!)).toBe('hung up');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'success', by: 'us' });
    expect(session(w.alice).state).toBe('closed');
    expect(session(w.bob).state).toBe('closed');
    w.bob.call.dismiss();
    expect(w.bob.call.state).toBe('idle');
  });

  it('declines: reject to the caller and to our own devices', async () => {
    const w = world();
    await w.alice.call.call('bob@localhost', { audio: true, video: false });
    await until('bob rings', () => w.bob.call.state === 'ringing' && w.bob2.call.state === 'ringing');
    w.bob.call.decline();
    await until('alice ended', () => w.alice.call.state === 'ended');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'decline', by: 'peer' });
    expect(jmiSent(w.bob.link, 'reject').map((m) => m.attrs.to)).toEqual(['alice@localhost/web', 'bob@localhost']);
    expect(w.bob2.call.endReason).toMatchObject({ condition: 'declined-elsewhere' });
    expect(w.alice.media.sessions.every((m) => m.state === 'closed')).toBe(true);
    expect(jingleSent(w.alice.link, 'session-initiate')).toHaveLength(0);
  });

  it('retracts a proposal; the callee stops ringing', async () => {
    const w = world();
    await w.alice.call.call('bob@localhost');
    await until('bob rings', () => w.bob.call.state === 'ringing');
    await until('alice hears ringing', () => w.alice.call.peerRinging);
    w.alice.call.hangUp();
    expect(jmiSent(w.alice.link, 'retract')[0]!.attrs.to).toBe('bob@localhost');
    await until('bob ended', () => w.bob.call.state === 'ended' && w.bob2.call.state === 'ended');
    expect(w.bob.call.endReason).toMatchObject({ condition: 'retracted', by: 'peer' });
    expect(describeEnd(w.bob.call.endReason!)).toBe('cancelled');
  });

  it('stops ringing when another device of ours proceeds (a sent carbon)', async () => {
    const w = world();
    await w.alice.call.call('bob@localhost');
    await until('bob rings', () => w.bob.call.state === 'ringing');
    const sid = String(findJmi(jmiSent(w.alice.link, 'propose')[0]!)!.id);
    const proceed = buildJmiMessage({ action: 'proceed', id: sid, media: [] }, { to: 'alice@localhost/web', id: 'p1' });
    proceed.attrs.from = 'bob@localhost/tablet';
    // A carbon from a stranger is not one.
    w.bob.link.deliver(x('message', { from: 'carol@localhost', to: 'bob@localhost/web' },
      x('sent', { xmlns: 'urn:xmpp:carbons:2' }, x('forwarded', { xmlns: 'urn:xmpp:forward:0' }, proceed))));
    expect(w.bob.call.state).toBe('ringing');
    w.bob.link.deliver(x('message', { from: 'bob@localhost', to: 'bob@localhost/web' },
      x('sent', { xmlns: 'urn:xmpp:carbons:2' }, x('forwarded', { xmlns: 'urn:xmpp:forward:0' }, proceed))));
    expect(w.bob.call.endReason).toMatchObject({ condition: 'answered-elsewhere', by: 'other-device' });
  });

  it('refuses Jingle from anyone but the session peer, and malformed Jingle, with typed errors', async () => {
    const w = world();
    const sid = await connect(w, false);
    const info = (to: string, jingle: Element) => w.carol.request(x('iq', { type: 'set', to }, jingle)).then(() => 'result', (e: { condition?: string; reply?: Element }) => e);
    const stranger = await info('bob@localhost/web', x('jingle', { xmlns: NS.jingle, action: 'transport-info', sid },
      x('content', { creator: 'initiator', name: '0' }, x('transport', { xmlns: NS.iceUdp, ufrag: 'evil', pwd: 'evilevilevilevilevilevil' },
        x('candidate', { component: '1', foundation: '1', generation: '0', id: 'c1', ip: '10.6.6.6', port: '6666', priority: '1', protocol: 'udp', type: 'host' })))));
    expect(stranger).toMatchObject({ condition: 'item-not-found' });
    expect((stranger as { reply: Element }).reply.getChild('error')!.getChild('unknown-session', NS.jingleErrors)).toBeDefined();
    expect(session(w.bob).remoteCandidates.some((c) => c.candidate.includes('10.6.6.6'))).toBe(false);
    const terminate = await info('bob@localhost/web', x('jingle', { xmlns: NS.jingle, action: 'session-terminate', sid }, x('reason', {}, x('success', {}))));
    expect(terminate).toMatchObject({ condition: 'item-not-found' });
    expect(w.bob.call.state).toBe('connected');
    // A stranger's retract of the call is ignored too.
    w.carol.send(buildJmiMessage({ action: 'retract', id: sid, media: [] }, { to: 'bob@localhost', id: 'r' }));
    expect(w.bob.call.state).toBe('connected');
    // The peer's own malformed Jingle is a bad-request (a TranslateError, typed).
    const bad = await w.alice.link.request(x('iq', { type: 'set', to: 'bob@localhost/web' }, x('jingle', { xmlns: NS.jingle, action: 'transport-info' })))
      .then(() => 'result', (e: { condition?: string }) => e.condition);
    expect(bad).toBe('bad-request');
    const unsupported = await w.alice.link.request(x('iq', { type: 'set', to: 'bob@localhost/web' },
      x('jingle', { xmlns: NS.jingle, action: 'session-info', sid }, x('dance', { xmlns: 'urn:example:party' }))))
      .then(() => 'result', (e: { condition?: string }) => e.condition);
    expect(unsupported).toBe('feature-not-implemented');
  });

  it('restarts ICE when the transport fails: new ufrag/pwd in a transport-info, answered by candidates', async () => {
    const w = world();
    const sid = await connect(w);
    const [a, b] = [session(w.alice), session(w.bob)];
    const [aUfrag, bUfrag] = [a.localUfrag, b.localUfrag];
    a.fail();
    expect(w.alice.call.state).toBe('connecting');
    await until('reconnected', () => w.alice.call.state === 'connected' && a.state === 'connected' && b.state === 'connected');
    expect(a.localUfrag).not.toBe(aUfrag);
    expect(b.localUfrag).not.toBe(bUfrag);
    // The restart offer: a transport-info whose transports have the new credentials and no candidates.
    const offer = jingleSent(w.alice.link, 'transport-info').map((iq) => parseJingle(elements(iq)[0]!))
      .find((j) => j.contents.every((c) => c.transport?.candidates.length === 0));
    expect(offer).toBeDefined();
    expect(offer!.sid).toBe(sid);
    expect(offer!.contents[0]!.transport).toMatchObject({ ufrag: a.localUfrag, pwd: a.localPwd });
    expect(offer!.contents[0]!.transport!.fingerprints[0]!.setup).toBe('actpass');
    // Bob applied it as a re-offer and answered; Alice applied his answer.
    expect(b.remoteOffers).toHaveLength(2);
    expect(b.remoteOffers[1]).toContain(`a=ice-ufrag:${a.localUfrag}`);
    expect(a.remoteAnswers).toHaveLength(2);
    expect(a.remoteAnswers[1]).toContain(`a=ice-ufrag:${b.localUfrag}`);
    expect(a.remoteAnswers[1]).toContain('a=setup:active');
  });

  it('restarts once when both sides fail together: the initiator wins the tie-break', async () => {
    const w = world();
    await connect(w, false);
    const [a, b] = [session(w.alice), session(w.bob)];
    a.fail();
    b.fail();
    await until('reconnected', () => a.state === 'connected' && b.state === 'connected' && w.bob.call.state === 'connected');
    const tieBreak = w.alice.link.sent.find((s) => s.attrs.type === 'error' && s.getChild('error')?.getChild('tie-break', NS.jingleErrors));
    expect(tieBreak).toBeDefined();
    expect(b.remoteOffers).toHaveLength(2);
    expect(b.remoteOffers[1]).toContain(`a=ice-ufrag:${a.localUfrag}`);
  });

  it('ends a call that never connects with connectivity-error', async () => {
    const w = world();
    await w.alice.call.call('bob@localhost');
    await until('bob rings', () => w.bob.call.state === 'ringing');
    w.bob.call.accept();
    await until('alice has a session', () => jingleSent(w.alice.link, 'session-initiate').length > 0);
    session(w.alice).fail();
    await until('both ended', () => w.alice.call.state === 'ended' && w.bob.call.state === 'ended');
    expect(w.bob.call.endReason).toMatchObject({ condition: 'connectivity-error', by: 'peer' });
  });

  it('answers busy to a second caller, and rings for a session-initiate without JMI', async () => {
    const w = world();
    await connect(w, false);
    const carol = user(w.net, 'carol@localhost/y');
    await carol.call.call('bob@localhost');
    await until('carol rejected', () => carol.call.state === 'ended');
    expect(carol.call.endReason).toMatchObject({ condition: 'busy', by: 'peer' });
    w.alice.call.hangUp();
    await until('bob ended', () => w.bob.call.state === 'ended');
    // A plain session-initiate (no proposal first) rings; accept answers it with session-accept.
    const offerer = new FakeMedia().create({ media: { audio: true, video: false }, iceServers: [] });
    const offer = await offerer.createOffer();
    const { sdpToJingle } = await import('../../schemas/index.ts');
    const reply = carol.link.request(x('iq', { type: 'set', to: 'bob@localhost/web' }, sdpToJingle(offer, { role: 'initiator', sid: 'plain1', initiator: carol.link.jid })));
    await reply;
    expect(w.bob.call.state).toBe('ringing');
    expect(w.bob.call.peer).toBe('carol@localhost');
    w.bob.call.accept();
    await until('session-accept', () => jingleSent(w.bob.link, 'session-accept').length === 2);
    expect(elements(jingleSent(w.bob.link, 'session-accept')[1]!)[0]!.attrs).toMatchObject({ sid: 'plain1', responder: 'bob@localhost/web' });
  });

  it('finds the component for the test call and refuses a second call while busy', async () => {
    const w = world();
    await w.alice.call.testCall();
    expect(w.alice.call.isTestCall).toBe(true);
    expect(jmiSent(w.alice.link, 'propose')[0]!.attrs.to).toBe(`echo@${COMPONENT}`);
    await expect(w.alice.call.call('bob@localhost')).rejects.toBeInstanceOf(CallError);
    w.alice.call.hangUp();
    expect(jmiSent(w.alice.link, 'retract')).toHaveLength(1);
  });

  it('ends the call when the microphone cannot be opened: retract calling, session-terminate answering', async () => {
    const w = world();
    w.alice.media.refuseDevices = true;
    await w.alice.call.call('bob@localhost');
    await until('alice ended', () => w.alice.call.state === 'ended');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'error', by: 'us', text: 'Permission denied' });
    expect(jmiSent(w.alice.link, 'retract')).toHaveLength(1);
    await until('bob stops ringing', () => w.bob.call.state === 'ended');
    w.alice.call.dismiss();
    w.alice.media.refuseDevices = false;
    w.bob.media.refuseDevices = true;
    w.bob.call.dismiss();
    await w.alice.call.call('bob@localhost');
    await until('bob rings', () => w.bob.call.state === 'ringing');
    w.bob.call.accept();
    await until('both ended', () => w.alice.call.state === 'ended' && w.bob.call.state === 'ended');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'failed-application', by: 'peer', text: 'no media' });
  });

  it('names both states when a move is illegal', () => {
    expect(() => checkMove('idle', 'connected')).toThrow(CallStateError);
    expect(() => checkMove('idle', 'connected')).toThrow("'idle' to 'connected'");
    expect(() => checkMove('ringing', 'connecting')).not.toThrow();
  });
});
