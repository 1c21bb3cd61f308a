// Shared by the call controller tests: a FakeNetwork with alice, bob on two devices (web, phone) and
// carol as a plain link, a fake server and component answering disco and XEP-0215, FakeMediaSessions in
// place of WebRTC, and the controllers each test made, stopped after it.
import { afterEach } from 'vitest';
import { NS, findJmi } from '../../schemas/index.ts';
import { CallController, type CallOptions } from '../../client/controllers/call.ts';
import type { PeerDirectory } from '../../client/controllers/call-route.ts';
import { FakeMedia, type FakeMediaSession } from '../../client/rtc/fake.ts';
import { FakeNetwork, type FakeLink } from '../../client/xmpp/fake-link.ts';
import { iqRouter } from '../../client/xmpp/iq-router.ts';
import { OwnCaps } from '../../client/xmpp/own-caps.ts';
import { RosterController } from '../../client/controllers/roster.ts';
import { elements, x } from '../../client/xmpp/xml.ts';
import { parseXml } from '../../schemas/xml-text.ts';
import type { Element as XmlElement } from 'ltx';

export const COMPONENT = 'jingle.localhost';
const EXPIRES = new Date(Date.now() + 3_600_000).toISOString();

export interface User { link: FakeLink; media: FakeMedia; call: CallController }
const controllers: CallController[] = [];
afterEach(() => {
  for (const c of controllers.splice(0)) c.stop();
});

/** A user whose contacts are BOOK's unless `options.peers` says otherwise. */
export function user(net: FakeNetwork, jid: string, options: Partial<CallOptions> = {}): User {
  const link = net.link(jid);
  const media = new FakeMedia();
  const call = new CallController(link, { createMedia: media.create, ringTimeoutMs: 1_500, statsIntervalMs: 10, peers: () => BOOK, ...options });
  controllers.push(call);
  return { link, media, call };
}

/** The user's server and our component: disco and XEP-0215, as Prosody and the component answer. */
export function servers(net: FakeNetwork): void {
  const server = iqRouter(net.link('localhost'));
  server.get('http://jabber.org/protocol/disco#items', 'query', () =>
    x('query', { xmlns: 'http://jabber.org/protocol/disco#items' }, x('item', { jid: 'upload.localhost' }), x('item', { jid: COMPONENT })));
  server.get(NS.extdisco, 'services', () => x('services', { xmlns: NS.extdisco }, x('service', { type: 'stun', host: '127.0.0.1', port: '3478', transport: 'udp' })));
  const upload = iqRouter(net.link('upload.localhost'));
  upload.get('http://jabber.org/protocol/disco#info', 'query', () => x('query', { xmlns: 'http://jabber.org/protocol/disco#info' }, x('feature', { var: 'urn:xmpp:http:upload:0' })));
  const comp = iqRouter(net.link(COMPONENT));
  comp.get('http://jabber.org/protocol/disco#info', 'query', () => x('query', { xmlns: 'http://jabber.org/protocol/disco#info' }, x('feature', { var: NS.extdisco })));
  comp.get(NS.extdisco, 'services', () => x('services', { xmlns: NS.extdisco },
    x('service', { type: 'turn', host: '127.0.0.1', port: '3479', transport: 'udp', username: 'u', password: 'p', expires: EXPIRES })));
}

/**
 * A directory where `jids` are contacts with a mutual subscription and nobody's resources are known
 * (so every call is a JMI proposal, as without a directory).
 */
export function contacts(...jids: string[]): PeerDirectory {
  return {
    resources: () => [],
    caps: { info: () => Promise.reject(new Error('no caps in this test')) },
    contact: (jid) => (jids.includes(jid) ? { subscription: 'both' } : undefined),
  };
}

/** Alice, bob and carol are contacts of each other; anyone else (mallory) is a stranger to them. */
export const BOOK = contacts('alice@localhost', 'bob@localhost', 'carol@localhost');

export function world(options: Partial<CallOptions> = {}) {
  const net = new FakeNetwork();
  servers(net);
  return { net, alice: user(net, 'alice@localhost/web', options), bob: user(net, 'bob@localhost/web', options), bob2: user(net, 'bob@localhost/phone'), carol: net.link('carol@localhost/x') };
}

export async function until(what: string, cond: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export const jmiSent = (link: FakeLink, action: string) => link.sent.filter((s) => s.name === 'message' && findJmi(s)?.action === action);
export const jingleSent = (link: FakeLink, action: string) =>
  link.sent.filter((s) => s.name === 'iq' && s.attrs.type === 'set' && elements(s)[0]?.attrs.action === action);
export const session = (u: User): FakeMediaSession => {
  const s = u.media.last;
  if (!s) throw new Error('no media session');
  return s;
};

/** Alice calls Bob, Bob answers on his web device; both connected. */
export async function connect(w: ReturnType<typeof world>, video = true): Promise<string> {
  await w.alice.call.call('bob@localhost', { audio: true, video });
  await until('bob rings', () => w.bob.call.state === 'ringing' && w.bob2.call.state === 'ringing');
  w.bob.call.accept();
  await until('both connected', () => w.alice.call.state === 'connected' && w.bob.call.state === 'connected');
  return String(findJmi(jmiSent(w.alice.link, 'propose')[0]!)!.id);
}

/** A user whose call controller routes calls by its roster (call-route.ts), as the web client's view does. */
export function userWithRoster(net: FakeNetwork, jid: string, options: Partial<CallOptions> = {}): User & { roster: RosterController } {
  let roster: RosterController | undefined;
  const u = user(net, jid, { ...options, peers: () => roster });
  roster = new RosterController(undefined, u.link);
  // The server's roster pushes (no from, one item each): BOOK's people are contacts both ways, so their presence counts.
  for (const c of ['alice@localhost', 'bob@localhost', 'carol@localhost']) {
    u.link.deliver(x('iq', { type: 'set', id: `roster-push-${c}`, to: jid }, x('query', { xmlns: 'jabber:iq:roster' }, x('item', { jid: c, subscription: 'both' }))));
  }
  return { ...u, roster };
}

/** `link` announces `features`: XEP-0115 caps in a presence to `to`, and answers disco#info about them. */
export async function announce(link: FakeLink, to: FakeLink, features: readonly string[]): Promise<void> {
  const caps = new OwnCaps(features, { category: 'client', type: 'web', name: 'peer' }, 'urn:example:peer');
  caps.serve(iqRouter(link));
  const presence = await caps.presence();
  presence.attrs.to = to.jid;
  await link.send(presence);
}

/** What a StanzaJS 12 client announces: Jingle RTP, audio and video, no XEP-0353 (its plugins/jingle.js). */
export const NO_JMI_FEATURES: readonly string[] = [
  'http://jabber.org/protocol/disco#info', NS.jingle, NS.iceUdp, NS.dtls, NS.rtp, NS.rtpAudio, NS.rtpVideo, NS.rtcpFb, NS.rtpHdrext, NS.grouping,
];

/** Iq get/set to a server get an empty result (no extdisco, no items), as from a bare server. */
export class QuietServerNetwork extends FakeNetwork {
  override route(stanza: XmlElement): void {
    const { type, to = '', from, id } = stanza.attrs as Record<string, string | undefined>;
    if (stanza.name === 'iq' && (type === 'get' || type === 'set') && !to.includes('@')) {
      this.links.get(String(from))?.deliver(parseXml(`<iq type='result' id='${id}' to='${from}'/>`));
      return;
    }
    super.route(stanza);
  }
}
