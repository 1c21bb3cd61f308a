// Calls with clients that are not this one: a callee without XEP-0353 (StanzaJS, older clients) gets a
// direct session-initiate chosen from its caps; a caller that trickles candidates while we ring (StanzaJS)
// is heard; JMI calls end with <finish/>; an offer without a usable DTLS fingerprint ends with
// security-error; and every stanza of ours in a session comes from the address that was called.
import type { Element } from 'ltx';
import { describe, expect, it } from 'vitest';
import { NS, buildJmi, buildJmiMessage, findJmi, parseJingle, parseXml, sdpToJingle, serializeXml } from '../../schemas/index.ts';
import { CallError, describeEnd } from '../../client/controllers/call.ts';
import { chooseRoute, type ResourceFeatures } from '../../client/controllers/call-route.ts';
import { MAX_EARLY_TRANSPORT_INFOS } from '../../client/controllers/call-messages.ts';
import { FakeMedia, type FakeMediaSession } from '../../client/rtc/fake.ts';
import { capsElement } from '../../client/xmpp/caps.ts';
import { elements, x } from '../../client/xmpp/xml.ts';
import { validateJingleXml } from '../harness/xmllint.ts';
import {
  NO_JMI_FEATURES, announce, connect, jingleSent, jmiSent, session, until, user, userWithRoster, world,
} from './client-call.fixture.ts';

const AUDIO = { audio: true, video: false };
const VIDEO = { audio: true, video: true };
const WITH_JMI = [...NO_JMI_FEATURES, NS.jmi];

/** A world where alice routes her calls by her roster. */
function rosterWorld(options = {}) {
  const w = world();
  const alice = userWithRoster(w.net, 'alice@localhost/laptop', options);
  return { ...w, alice };
}

/** A StanzaJS-like caller's offer (session-initiate), made by a FakeMediaSession. */
async function rawOffer(from: string, sid: string, video = false): Promise<{ offerer: FakeMediaSession; jingle: Element }> {
  const offerer = new FakeMedia().create({ media: { audio: true, video }, iceServers: [] });
  const sdp = await offerer.createOffer();
  return { offerer, jingle: sdpToJingle(sdp, { role: 'initiator', sid, initiator: from }) };
}

/** One trickled candidate as StanzaJS sends it: its own transport-info, no id and no generation. */
function candidateInfo(sid: string, ufrag: string, pwd: string, ip = '192.0.2.7'): Element {
  return x('jingle', { xmlns: NS.jingle, action: 'transport-info', sid },
    x('content', { creator: 'initiator', name: '0' }, x('transport', { xmlns: NS.iceUdp, ufrag, pwd },
      x('candidate', { component: '1', foundation: '1', ip, port: '50000', priority: '2122260223', protocol: 'udp', type: 'host' }))));
}

const iqSet = (to: string, jingle: Element): Element => x('iq', { type: 'set', to }, jingle);
const outcome = (p: Promise<Element>): Promise<string> => p.then(() => 'result', (e: { condition?: string }) => e.condition ?? String(e));
const jingleOf = (iq: Element) => parseJingle(elements(iq)[0]!);

describe('choosing how a call reaches the callee', () => {
  const r = (jid: string, features: readonly string[] | undefined): ResourceFeatures => ({ jid, features });

  it('proposes when any resource speaks JMI, or none is online or known; otherwise goes direct to the first that takes the media', () => {
    expect(chooseRoute([], AUDIO)).toEqual({ kind: 'propose' });
    expect(chooseRoute([r('b/stanza', NO_JMI_FEATURES), r('b/phone', WITH_JMI)], AUDIO)).toEqual({ kind: 'propose' });
    expect(chooseRoute([r('b/chat', ['urn:xmpp:receipts']), r('b/stanza', NO_JMI_FEATURES), r('b/other', NO_JMI_FEATURES)], VIDEO))
      .toEqual({ kind: 'direct', to: 'b/stanza' });
    const audioOnly = NO_JMI_FEATURES.filter((f) => f !== NS.rtpVideo);
    expect(chooseRoute([r('b/audio', audioOnly)], AUDIO)).toEqual({ kind: 'direct', to: 'b/audio' });
    expect(chooseRoute([r('b/audio', audioOnly)], VIDEO)).toMatchObject({ kind: 'none', why: expect.stringContaining('video') });
    expect(chooseRoute([r('b/unknown', undefined), r('b/chat', ['urn:xmpp:receipts'])], AUDIO)).toEqual({ kind: 'propose' });
    expect(chooseRoute([r('b/unknown', undefined), r('b/stanza', NO_JMI_FEATURES)], AUDIO)).toEqual({ kind: 'direct', to: 'b/stanza' });
  });
});

describe('calling a callee without XEP-0353', () => {
  it('sends session-initiate to its resource, rings, connects and hangs up, with no JMI at all', async () => {
    const w = rosterWorld();
    await announce(w.bob.link, w.alice.link, NO_JMI_FEATURES);
    await w.alice.call.call('bob@localhost', VIDEO);
    expect(jmiSent(w.alice.link, 'propose')).toHaveLength(0);
    // Its features were asked for at call time (disco#info of its caps node).
    expect(w.alice.link.sent.some((s) => s.attrs.to === 'bob@localhost/web' && s.getChild('query', 'http://jabber.org/protocol/disco#info'))).toBe(true);
    await until('bob rings', () => w.bob.call.state === 'ringing');
    const initiate = jingleSent(w.alice.link, 'session-initiate');
    expect(initiate.map((iq) => iq.attrs.to)).toEqual(['bob@localhost/web']);
    expect(jingleOf(initiate[0]!).initiator).toBe('alice@localhost/laptop');
    expect(w.bob2.call.state).toBe('idle'); // a direct session-initiate reaches one resource only
    await until('alice hears it ring (XEP-0167 <ringing/>)', () => w.alice.call.peerRinging);
    expect(w.alice.call.state).toBe('proposing');
    w.bob.call.accept();
    await until('both connected', () => w.alice.call.state === 'connected' && w.bob.call.state === 'connected');
    w.alice.call.hangUp();
    await until('bob ended', () => w.bob.call.state === 'ended');
    expect(w.bob.call.endReason).toMatchObject({ condition: 'success', by: 'peer' });
    expect([...jmiSent(w.alice.link, 'finish'), ...jmiSent(w.bob.link, 'finish'), ...jmiSent(w.alice.link, 'retract')]).toHaveLength(0);
  });

  it('takes no JMI answer about a direct call', async () => {
    const w = rosterWorld();
    await announce(w.bob.link, w.alice.link, NO_JMI_FEATURES);
    await w.alice.call.call('bob@localhost', AUDIO);
    await until('bob rings', () => w.bob.call.state === 'ringing');
    const sid = jingleOf(jingleSent(w.alice.link, 'session-initiate')[0]!).sid;
    for (const action of ['proceed', 'reject'] as const) {
      await w.bob2.link.send(buildJmiMessage({ action, id: sid, media: [], reason: { condition: 'decline' } }, { to: 'alice@localhost/laptop', id: action }));
    }
    expect(w.alice.call.state).toBe('proposing');
    expect(jingleSent(w.alice.link, 'session-initiate')).toHaveLength(1);
  });

  it('still proposes when one of the resources speaks JMI', async () => {
    const w = rosterWorld();
    await announce(w.bob.link, w.alice.link, NO_JMI_FEATURES);
    await announce(w.bob2.link, w.alice.link, WITH_JMI);
    await w.alice.call.call('bob@localhost', AUDIO);
    expect(jmiSent(w.alice.link, 'propose')).toHaveLength(1);
    await until('bob rings', () => w.bob2.call.state === 'ringing');
    expect(jingleSent(w.alice.link, 'session-initiate')).toHaveLength(0);
  });

  it('proposes when a resource does not say what it can in time', async () => {
    const w = rosterWorld({ capsTimeoutMs: 30 });
    w.net.link('bob@localhost/silent'); // never answers disco#info
    w.alice.link.deliver(x('presence', { from: 'bob@localhost/silent', to: 'alice@localhost/laptop' }, capsElement('c2lsZW50')));
    await w.alice.call.call('bob@localhost', AUDIO);
    expect(jmiSent(w.alice.link, 'propose')).toHaveLength(1);
  });

  it('fails with CallError unsupported when the callee is online but no device of it takes calls', async () => {
    const w = rosterWorld();
    await announce(w.bob.link, w.alice.link, ['http://jabber.org/protocol/disco#info', 'urn:xmpp:receipts']);
    const err = await w.alice.call.call('bob@localhost', AUDIO).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect(err).toMatchObject({ condition: 'unsupported' });
    expect(w.alice.call.endReason).toMatchObject({ condition: 'unsupported-applications', by: 'us' });
    expect(w.alice.link.sent.filter((s) => s.name === 'message' || s.attrs.type === 'set')).toHaveLength(0);
  });

  it('ends a direct call nobody answers with session-terminate timeout, and hears a decline', async () => {
    const w = rosterWorld({ ringTimeoutMs: 150 });
    await announce(w.bob.link, w.alice.link, NO_JMI_FEATURES);
    await w.alice.call.call('bob@localhost', AUDIO);
    await until('alice gave up', () => w.alice.call.state === 'ended' && w.bob.call.state === 'ended');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'timeout', by: 'us' });
    expect(jingleOf(jingleSent(w.alice.link, 'session-terminate')[0]!).reason?.condition).toBe('timeout');
    expect(jmiSent(w.alice.link, 'retract')).toHaveLength(0);
    w.alice.call.dismiss();
    await w.alice.call.call('bob@localhost', AUDIO);
    await until('bob rings', () => w.bob.call.state === 'ringing');
    w.bob.call.decline();
    await until('alice ended', () => w.alice.call.state === 'ended');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'decline', by: 'peer' });
  });
});

describe('a caller that trickles while we ring (StanzaJS)', () => {
  it('acks its transport-infos, applies them after accept, and answers from the JID it called', async () => {
    const w = world();
    const carol = w.carol;
    const { offerer, jingle } = await rawOffer(carol.jid, 'st1');
    expect(await outcome(carol.request(iqSet('bob@localhost/web', jingle)))).toBe('result');
    // Before the fix: item-not-found / unknown-session, and StanzaJS ended the call.
    expect(await outcome(carol.request(iqSet('bob@localhost/web', candidateInfo('st1', offerer.localUfrag, offerer.localPwd))))).toBe('result');
    expect(w.bob.call.state).toBe('ringing');
    // Anyone else's transport-info for it is an unknown session, or from a stranger what a resource without Jingle answers.
    expect(await outcome(w.net.link('bob@localhost/x').request(iqSet('bob@localhost/web', candidateInfo('st1', 'evil', 'evilevilevilevilevilevil', '10.6.6.6'))))).toBe('item-not-found');
    const mallory = w.net.link('mallory@localhost/x');
    expect(await outcome(mallory.request(iqSet('bob@localhost/web', candidateInfo('st1', 'evil', 'evilevilevilevilevilevil', '10.6.6.6'))))).toBe('service-unavailable');
    w.bob.call.accept();
    await until('bob connected on the early candidate alone', () => w.bob.call.state === 'connected');
    expect(session(w.bob).remoteCandidates.map((c) => c.candidate)).toEqual([expect.stringContaining('192.0.2.7')]);
    // Every stanza bob sent in the session is from the JID carol called, to carol; responder is that JID.
    const sent = w.bob.link.sent.filter((s) => s.name === 'iq' && (s.getChild('jingle', NS.jingle) || s.attrs.type === 'result'));
    expect(sent.length).toBeGreaterThan(2);
    expect(new Set(sent.map((s) => `${String(s.attrs.from)} -> ${String(s.attrs.to)}`))).toEqual(new Set(['bob@localhost/web -> carol@localhost/x']));
    const accept = jingleOf(jingleSent(w.bob.link, 'session-accept')[0]!);
    expect(accept).toMatchObject({ sid: 'st1', initiator: 'carol@localhost/x', responder: 'bob@localhost/web' });
  });

  it('takes a session-initiate whose <jingle> has a namespace prefix (known by namespace, not prefix)', async () => {
    const w = world();
    const { jingle } = await rawOffer(w.carol.jid, 'px1');
    jingle.name = 'j:jingle';
    jingle.attrs['xmlns:j'] = jingle.attrs.xmlns;
    delete jingle.attrs.xmlns;
    for (const content of elements(jingle)) content.attrs.xmlns = NS.jingle; // its unprefixed children stay Jingle's
    expect(await outcome(w.carol.request(iqSet('bob@localhost/web', jingle)))).toBe('result');
    expect(w.bob.call.state).toBe('ringing');
    const unbound = x('q:jingle', { action: 'session-initiate', sid: 'px2' });
    expect(await outcome(w.carol.request(iqSet('bob@localhost/web', unbound)))).toBe('bad-request');
  });

  it('reads a session-info whose <mute/> has a namespace prefix as a mute', async () => {
    const w = world();
    const { jingle } = await rawOffer(w.carol.jid, 'pm1');
    expect(await outcome(w.carol.request(iqSet('bob@localhost/web', jingle)))).toBe('result');
    w.bob.call.accept();
    await until('bob answered', () => jingleSent(w.bob.link, 'session-accept').length > 0);
    const mute = x('jingle', { xmlns: NS.jingle, action: 'session-info', sid: 'pm1' },
      x('i:mute', { 'xmlns:i': NS.rtpInfo, creator: 'initiator', name: '0' }));
    expect(await outcome(w.carol.request(iqSet('bob@localhost/web', mute)))).toBe('result');
    expect(w.bob.call.peerMuted.audio).toBe(true);
    const other = x('jingle', { xmlns: NS.jingle, action: 'session-info', sid: 'pm1' }, x('o:mute', { 'xmlns:o': 'urn:x:other' }));
    expect(await outcome(w.carol.request(iqSet('bob@localhost/web', other)))).toBe('feature-not-implemented');
  });

  it('refuses transport-infos beyond a bound with resource-constraint', async () => {
    const w = world();
    const { offerer, jingle } = await rawOffer(w.carol.jid, 'st2');
    await w.carol.request(iqSet('bob@localhost/web', jingle));
    for (let i = 0; i < MAX_EARLY_TRANSPORT_INFOS; i++) {
      expect(await outcome(w.carol.request(iqSet('bob@localhost/web', candidateInfo('st2', offerer.localUfrag, offerer.localPwd, `192.0.2.${i}`))))).toBe('result');
    }
    expect(await outcome(w.carol.request(iqSet('bob@localhost/web', candidateInfo('st2', offerer.localUfrag, offerer.localPwd))))).toBe('resource-constraint');
    expect(w.bob.call.state).toBe('ringing');
  });

  it('holds candidates that come between proceed and our media being ready (JMI)', async () => {
    const w = world();
    const carol = w.carol;
    await carol.send(buildJmiMessage({ action: 'propose', id: 'jm1', media: ['audio'] }, { to: 'bob@localhost', id: 'p1' }));
    await until('bob rings', () => w.bob.call.state === 'ringing');
    w.bob.call.accept();
    await until('bob proceeds', () => jmiSent(w.bob.link, 'proceed').length === 1);
    const { offerer, jingle } = await rawOffer(carol.jid, 'jm1');
    const initiated = outcome(carol.request(iqSet('bob@localhost/web', jingle)));
    const trickled = outcome(carol.request(iqSet('bob@localhost/web', candidateInfo('jm1', offerer.localUfrag, offerer.localPwd))));
    expect([await initiated, await trickled]).toEqual(['result', 'result']);
    await until('bob connected', () => w.bob.call.state === 'connected');
    expect(session(w.bob).remoteCandidates.some((c) => c.candidate.includes('192.0.2.7'))).toBe(true);
  });
});

describe('XEP-0353 <finish/>', () => {
  it('both ends send it to the other bare JID when a JMI call that reached a session ends', async () => {
    const w = world();
    const sid = await connect(w, false);
    // The peer's <finish/> ends nothing by itself (its session-terminate does), and is no error.
    await w.alice.link.send(buildJmiMessage({ action: 'finish', id: sid, media: [], reason: { condition: 'success' } }, { to: 'bob@localhost', id: 'f0', store: true }));
    expect(w.bob.call.state).toBe('connected');
    expect(w.bob.link.sent.some((s) => s.attrs.type === 'error')).toBe(false);
    w.alice.call.hangUp();
    await until('bob ended', () => w.bob.call.state === 'ended');
    const [ours] = jmiSent(w.alice.link, 'finish').filter((m) => m.attrs.id !== 'f0');
    expect(ours!.attrs).toMatchObject({ to: 'bob@localhost', type: 'chat' });
    expect(ours!.getChild('store', NS.hints)).toBeDefined();
    expect(findJmi(ours!)).toMatchObject({ action: 'finish', id: sid, reason: { condition: 'success' } });
    const [theirs] = jmiSent(w.bob.link, 'finish');
    expect(theirs!.attrs.to).toBe('alice@localhost');
    expect(findJmi(theirs!)).toMatchObject({ action: 'finish', id: sid, reason: { condition: 'success' } });
    expect(w.alice.call.endReason).toMatchObject({ condition: 'success', by: 'us' });
  });

  it('reads and writes <finish/> with <migrated/> as the XEP shows it, valid against its schema', async () => {
    // XEP-0353 0.7.0, section 4.2 (tie break in accept state), the example's finish message.
    const message = parseXml(`<message from='romeo@montague.example/orchard' to='juliet@capulet.example' type='chat'>
      <finish xmlns='urn:xmpp:jingle-message:0' id='ca3cf894-5325-482f-a412-a6e9f832298d'>
        <reason xmlns="urn:xmpp:jingle:1"><expired/><text>Session migrated</text></reason>
        <migrated to='989a46a6-f202-4910-a7c3-83c6ba3f3947'/>
      </finish><store xmlns="urn:xmpp:hints"/></message>`);
    const jmi = findJmi(message)!;
    expect(jmi).toMatchObject({ action: 'finish', id: 'ca3cf894-5325-482f-a412-a6e9f832298d', reason: { condition: 'expired', text: 'Session migrated' }, migrated: '989a46a6-f202-4910-a7c3-83c6ba3f3947' });
    const xml = serializeXml(buildJmi(jmi));
    expect(xml).toContain(`<migrated to="989a46a6-f202-4910-a7c3-83c6ba3f3947"/>`);
    const valid = await validateJingleXml(xml);
    expect(valid.ok, valid.errors).toBe(true);
  });

  it('is not sent for a proposal that never became a session', async () => {
    const w = world();
    await w.alice.call.call('bob@localhost');
    await until('bob rings', () => w.bob.call.state === 'ringing');
    w.bob.call.decline();
    await until('alice ended', () => w.alice.call.state === 'ended');
    expect([...jmiSent(w.alice.link, 'finish'), ...jmiSent(w.bob.link, 'finish')]).toHaveLength(0);
  });
});

describe('an offer or answer without a usable DTLS fingerprint', () => {
  const unknownHash = (jingle: Element): Element => {
    for (const content of elements(jingle)) {
      for (const transport of elements(content)) {
        for (const f of elements(transport)) if (f.name === 'fingerprint') f.attrs.hash = 'sha-999';
      }
    }
    return jingle;
  };

  it('a session-initiate: acked, not rung, ended with security-error', async () => {
    const w = world();
    const { jingle } = await rawOffer(w.carol.jid, 'bad1');
    expect(await outcome(w.carol.request(iqSet('bob@localhost/web', unknownHash(jingle))))).toBe('result');
    await until('bob ended', () => w.bob.call.state === 'ended');
    expect(w.bob.call.endReason).toMatchObject({ condition: 'security-error', by: 'us' });
    expect(describeEnd(w.bob.call.endReason!)).toBe('the other side offered no secure connection');
    const terminate = jingleSent(w.bob.link, 'session-terminate');
    expect(terminate.map((iq) => [iq.attrs.to, jingleOf(iq).reason?.condition])).toEqual([['carol@localhost/x', 'security-error']]);
    expect(w.bob.media.sessions).toHaveLength(0);
  });

  it('a session-initiate after proceed (JMI): acked, ended with security-error', async () => {
    const w = world();
    await w.carol.send(buildJmiMessage({ action: 'propose', id: 'bad2', media: ['audio'] }, { to: 'bob@localhost', id: 'p2' }));
    await until('bob rings', () => w.bob.call.state === 'ringing');
    w.bob.call.accept();
    const { jingle } = await rawOffer(w.carol.jid, 'bad2');
    expect(await outcome(w.carol.request(iqSet('bob@localhost/web', unknownHash(jingle))))).toBe('result');
    await until('bob ended', () => w.bob.call.state === 'ended');
    expect(w.bob.call.endReason).toMatchObject({ condition: 'security-error', by: 'us' });
    expect(jingleOf(jingleSent(w.bob.link, 'session-terminate')[0]!).reason?.condition).toBe('security-error');
  });

  it('a session-accept: acked, ended with security-error', async () => {
    const w = world();
    const carol = user(w.net, 'carol@localhost/y');
    // Carol's answers lose their fingerprint hash on the way out, as a broken peer would send them.
    const send = carol.link.send.bind(carol.link);
    carol.link.send = (s: Element) => {
      const j = elements(s)[0];
      if (j?.attrs.action === 'session-accept') unknownHash(j);
      return send(s);
    };
    await w.alice.call.call('carol@localhost', AUDIO);
    await until('carol rings', () => carol.call.state === 'ringing');
    carol.call.accept();
    await until('alice ended', () => w.alice.call.state === 'ended');
    expect(w.alice.call.endReason).toMatchObject({ condition: 'security-error', by: 'us' });
    await until('carol ended', () => carol.call.state === 'ended');
    expect(carol.call.endReason).toMatchObject({ condition: 'security-error', by: 'peer' });
    expect(carol.link.sent.some((s) => s.attrs.type === 'error')).toBe(false);
  });
});

