/**
 * A second, independent Jingle stack for the e2e tests: the unmodified `stanza` package (StanzaJS 12)
 * in Chromium, used as a StanzaJS-based app uses it: createClient over WebSocket, its `client.jingle`
 * SessionManager with MediaSession (its own SDP <-> Jingle), getUserMedia for the tracks. The only
 * settings are an app's: no ICE servers (loopback host candidates do; StanzaJS would otherwise ask
 * Google's STUN server), and caps in presence (StanzaJS computes them; the app sends them).
 * Tests drive it through window.stanzaPeer (api.ts).
 */
import { createClient, type Agent, type Jingle } from 'stanza';
import type { EndedInfo, InboundBytes, LoginOptions, PeerCallInfo, PeerCallState, StanzaPeerApi } from './api.ts';

type MediaSession = Jingle.MediaSession;
type Session = Jingle.Session;

let client: Agent | undefined;
let session: MediaSession | undefined;
let ringing = false;
let ended: EndedInfo | null = null;
let hangingUp = false;
let peerMute: PeerCallInfo['peerMute'] = null;
/** sids whose session-terminate came from the peer. */
const terminatedByPeer = new Set<string>();
const traffic: string[] = [];
/** Full JIDs online, by bare JID. */
const present = new Map<string, Set<string>>();
/** Remote tracks with the session they came in; they arrive before jingle:incoming for a call to us. */
const remoteTracks: { session: Session; track: MediaStreamTrack }[] = [];

const video = document.getElementById('remote-video') as HTMLVideoElement;
const audio = document.getElementById('remote-audio') as HTMLAudioElement;

const bareOf = (jid: string): string => jid.split('/')[0] ?? jid;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`stanza peer: ${what}`);
  return value;
}

async function localStream(video: boolean): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({ audio: true, video });
}

async function addTracks(s: MediaSession, stream: MediaStream): Promise<void> {
  for (const track of stream.getTracks()) await s.addTrack(track, stream);
}

function play(s: Session, track: MediaStreamTrack): void {
  remoteTracks.push({ session: s, track });
  const el = track.kind === 'video' ? video : audio;
  el.srcObject = new MediaStream([track]);
  void el.play().catch(() => undefined);
}

function watchJingle(c: Agent): void {
  c.on('jingle:incoming', (s: Session) => {
    session = s as MediaSession;
    ringing = true;
    ended = null;
    peerMute = null;
    void session.ring();
  });
  c.on('jingle:outgoing', (s: Session) => { session = s as MediaSession; });
  const onMute = (muted: boolean) => (s: Session, info?: { name?: string }) => {
    if (s !== session) return;
    peerMute = { muted, kind: info?.name === undefined ? null : kindOf(info.name) };
  };
  c.on('jingle:mute', onMute(true));
  c.on('jingle:unmute', onMute(false));
  c.on('iq:set:jingle', (iq) => {
    if (iq.jingle.action === 'session-terminate' && iq.jingle.sid) terminatedByPeer.add(iq.jingle.sid);
  });
  c.on('jingle:terminated', (s: Session, reason) => {
    if (s !== session) return;
    ringing = false;
    const by = hangingUp ? 'us' : terminatedByPeer.has(s.sid) ? 'peer' : 'stanzajs';
    ended = { condition: reason?.condition ?? 'none', ...(reason?.text ? { text: reason.text } : {}), by };
    hangingUp = false;
  });
  c.jingle.on('peerTrackAdded', (s: Session, track: MediaStreamTrack) => play(s, track));
}

function watchContacts(c: Agent): void {
  // Anyone who asks becomes a contact both ways, as a user clicking "accept" and "add back" would.
  c.on('subscribe', (p) => {
    c.acceptSubscription(p.from);
    c.subscribe(bareOf(p.from));
  });
  c.on('available', (p) => {
    const set = present.get(bareOf(p.from)) ?? new Set<string>();
    present.set(bareOf(p.from), set.add(p.from));
  });
  c.on('unavailable', (p) => present.get(bareOf(p.from))?.delete(p.from));
}

async function login({ jid, password, websocket }: LoginOptions): Promise<string> {
  const c = createClient({
    jid, password, transports: { websocket, bosh: false },
    jingle: { iceServers: [], trickleIce: true },
  });
  client = c;
  c.on('raw:incoming', (xml: string) => { traffic.push(`<< ${xml}`); });
  c.on('raw:outgoing', (xml: string) => { traffic.push(`>> ${xml}`); });
  watchJingle(c);
  watchContacts(c);
  const started = new Promise<void>((ok, fail) => {
    c.once('session:started', () => ok());
    const why = (what: string) => new Error(`stanza peer: ${what}; traffic:\n${traffic.slice(-10).join('\n')}`);
    c.once('auth:failed', () => fail(why('authentication failed')));
    c.once('disconnected', () => fail(why('disconnected before the session started')));
  });
  c.connect();
  await started;
  await c.getRoster();
  c.updateCaps();
  c.sendPresence({ legacyCapabilities: c.disco.getCaps() });
  return need(c.jid, 'no JID bound');
}

async function call(jid: string, video: boolean): Promise<void> {
  const c = need(client, 'not logged in');
  const stream = await localStream(video);
  const s = c.jingle.createMediaSession(jid);
  session = s;
  ended = null;
  peerMute = null;
  await addTracks(s, stream);
  await s.start();
}

async function accept(): Promise<void> {
  const s = need(session, 'no incoming call');
  if (!ringing) throw new Error('stanza peer: no call is ringing');
  ringing = false;
  await addTracks(s, await localStream(s.includesVideo));
  await s.accept();
}

/** The kind of the m-line (content) with this mid in the current call. */
function kindOf(mid: string): string | null {
  const t = session?.pc.getTransceivers().find((x) => x.mid === mid);
  return t?.receiver.track.kind ?? null;
}

async function mute(kind: 'audio' | 'video', muted: boolean): Promise<void> {
  const s = need(session, 'no call');
  const name = s.pc.getTransceivers().find((t) => t.receiver.track.kind === kind)?.mid ?? undefined;
  // Every content of a call is created by its initiator (XEP-0166), whoever mutes.
  await (muted ? s.mute('initiator', name) : s.unmute('initiator', name));
}

function hangUp(condition = 'success'): void {
  const s = need(session, 'no call');
  hangingUp = true;
  ringing = false;
  s.end(condition as Parameters<MediaSession['end']>[0]);
}

function info(): PeerCallInfo {
  const s = session;
  const state: PeerCallState = s === undefined ? 'idle' : ringing ? 'ringing' : (s.state as PeerCallState);
  return {
    state, peer: s?.peerID ?? null, audio: s?.includesAudio ?? false, video: s?.includesVideo ?? false,
    connection: s?.pc.connectionState ?? null, remoteTracks: remoteTracks.filter((r) => r.session === s).map(({ track: t }) => `${t.kind}:${t.readyState}`),
    videoSize: `${video.videoWidth}x${video.videoHeight}`, peerMute,
  };
}

async function stats(): Promise<InboundBytes> {
  const out: InboundBytes = { audio: 0, video: 0 };
  if (!session || session.pc.signalingState === 'closed') return out;
  const report = await session.pc.getStats();
  report.forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
    if (r.type === 'inbound-rtp' && (r.kind === 'audio' || r.kind === 'video')) out[r.kind] += r.bytesReceived ?? 0;
  });
  return out;
}

function online(): Record<string, string[]> {
  return Object.fromEntries([...present].map(([bare, fulls]) => [bare, [...fulls]]));
}

const api: StanzaPeerApi = { login, call, accept, mute, hangUp, info, stats, lastEnded: () => ended, online, traffic: () => [...traffic] };
window.stanzaPeer = api;
