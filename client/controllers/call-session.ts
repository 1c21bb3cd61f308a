/**
 * One XEP-0166 session of a call, after XEP-0353 has found the peer's device: offer/answer through
 * session-initiate and session-accept (XEP-0167 over the translator), trickle ICE both ways in
 * transport-info (XEP-0176), ICE restart, mute info, and session-terminate. Media goes through the
 * MediaSession seam; every media operation runs in order on one queue, so candidates never overtake
 * the description they belong to.
 *
 * A lost transport is recovered, not given up: after ICE fails on a call that was connected, we restart
 * ICE (at once, or as soon as our server connection is back) and end the call with connectivity-error
 * only if media has not come back within `recoverMs`.
 */
import type { Element } from 'ltx';
import {
  jingleToSdp, sdpToJingle, type CandidateInit, type Jingle, type Reason, type Role, type SetupRole,
} from '../../schemas/index.ts';
import type { MediaKind, MediaSession, TransportState } from '../rtc/media-session.ts';
import { Emitter } from '../rtc/events.ts';
import {
  SecurityRefusal, candidatesOf, jingleCredentials, jingleError, jingleIq, muteInfo, newCredentials, oppositeSetup, readSessionInfo, remoteSdp, restartOffer,
  restartedRemoteSdp, sdpCredentials, sdpSetup, terminate, type Credentials,
} from './call-jingle.ts';
import { afterRestartRefused, peerGone } from './call-ending.ts';
import type { EndReason } from './call-states.ts';
import type { CallSessionEvents, CallSessionInit } from './call-session-types.ts';
import { CandidateOutbox } from './call-trickle.ts';

export type { CallSessionEvents, CallSessionInit } from './call-session-types.ts';

const other = (r: Role): Role => (r === 'initiator' ? 'responder' : 'initiator');

export class CallSession {
  readonly events = new Emitter<CallSessionEvents>();
  readonly sid: string;
  readonly role: Role;
  readonly peer: string;
  readonly media: MediaSession;
  /** The peer's last description (session-initiate or session-accept), for ICE restarts. */
  #remote: Jingle | undefined;
  #remoteCreds = new Map<string, Credentials>();
  #peerSetup: SetupRole = 'active';
  readonly #outbox: CandidateOutbox;
  /** Remote candidates that came before the description they belong to. */
  #early: CandidateInit[] = [];
  #remoteApplied = false;
  #queue: Promise<unknown> = Promise.resolve();
  #version = 2;
  #everConnected = false;
  /** Runs while the transport is lost: ends the call if it has not recovered by then. */
  #lostTimer: ReturnType<typeof setTimeout> | undefined;
  /** An ICE restart to send once our server connection is back. */
  #restartWhenOnline = false;
  #ended = false;
  #accepted = false;
  readonly #offs: (() => void)[];

  constructor(private readonly init: CallSessionInit) {
    this.sid = init.sid;
    this.role = init.role;
    this.peer = init.peer;
    this.media = init.media;
    this.#outbox = new CandidateOutbox(init.sid, (info) => {
      this.#request(info).catch((err: unknown) => this.#peerRefused(err, 'transport-info'));
    }, init.log);
    this.#offs = [
      this.media.on('localCandidate', (c) => { if (!this.#ended) this.#outbox.add(c); }),
      this.media.on('state', (s) => this.#transport(s)),
      init.link.onStatus((s) => {
        if (s === 'online' && this.#restartWhenOnline) void this.restartIce();
      }),
    ];
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Whether the peer accepted (initiator) or we did (responder). */
  get accepted(): boolean {
    return this.#accepted;
  }

  /**
   * Initiator: sends session-initiate with our offer (with the candidates gathered so far, if applied),
   * synchronously; later candidates follow it at once (XMPP delivers them after it), not after its ack.
   */
  async initiate(offerSdp: string): Promise<void> {
    if (this.#ended) return;
    const offer = this.media.localDescription() ?? offerSdp;
    const jingle = sdpToJingle(offer, { role: 'initiator', sid: this.sid, initiator: this.init.local });
    this.#outbox.credentials = sdpCredentials(offer);
    const acked = this.#request(jingle);
    this.init.mark?.('initiate-sent');
    this.#outbox.flush();
    try {
      await acked;
    } catch (err) {
      return this.#fail('general-error', 'the peer refused our session-initiate', err, false);
    }
    this.init.mark?.('initiate-acked');
  }

  /**
   * Responder: the peer's session-initiate, to be answered by accept(), with the transport-infos that
   * came while it waited (XEP-0176 lets the initiator trickle before the answer). Throws bad-request for
   * an offer we cannot read, SecurityRefusal for one without a usable DTLS fingerprint.
   */
  receiveOffer(jingle: Jingle, element: Element, early: readonly { jingle: Jingle }[] = []): string {
    const sdp = remoteSdp(() => jingleToSdp(element, { role: 'initiator' }));
    this.#setRemote(jingle);
    for (const info of early) this.#transportInfo(info.jingle);
    return sdp;
  }

  /** Responder: answers the offer with session-accept; our candidates follow it at once, as the initiator's do. */
  async accept(offerSdp: string): Promise<void> {
    // The session-accept goes out after the session-initiate's result (answered when the handler returns).
    const afterResult = new Promise((resolve) => setTimeout(resolve, 0));
    let answer: string;
    try {
      answer = await this.#serial(async () => {
        const a = await this.media.acceptOffer(offerSdp);
        this.#remoteApplied = true;
        return a;
      });
    } catch (err) {
      return this.#fail('failed-application', 'could not answer the offer', err, true);
    }
    this.init.mark?.('answer-made');
    await afterResult;
    if (this.#ended) return;
    this.#accepted = true;
    this.#drainEarly();
    const sdp = this.media.localDescription() ?? answer;
    this.#peerSetup = oppositeSetup(sdpSetup(sdp));
    const jingle = sdpToJingle(sdp, { role: 'responder', sid: this.sid, initiator: this.peer, responder: this.init.local });
    this.#outbox.credentials = sdpCredentials(sdp);
    const acked = this.#request(jingle);
    this.init.mark?.('accept-sent');
    this.#outbox.flush();
    try {
      await acked;
    } catch (err) {
      return this.#fail('general-error', 'the peer refused our session-accept', err, false);
    }
    this.init.mark?.('accept-acked');
  }

  /** An iq-set from the peer for this session: true for an empty result, or a thrown StanzaError. */
  handle(j: Jingle, element: Element): true {
    switch (j.action) {
      case 'session-accept':
        return this.#sessionAccept(j, element);
      case 'transport-info':
        return this.#transportInfo(j);
      case 'session-terminate':
        this.#end({ condition: j.reason?.condition ?? 'success', by: 'peer', ...(j.reason?.text !== undefined ? { text: j.reason.text } : {}) });
        return true;
      case 'session-info':
        return this.#sessionInfo(j);
      case 'description-info': case 'security-info':
        return true;
      case 'session-initiate':
        throw jingleError('unexpected-request', 'wait', 'out-of-order', 'session-initiate on a live session');
      default:
        throw jingleError('feature-not-implemented', 'cancel', undefined, `${j.action} is not supported`);
    }
  }

  /** Ends the session from our side: session-terminate with `reason`, media closed. */
  hangUp(reason: Reason): void {
    if (this.#ended) return;
    void this.#request(terminate(this.sid, reason), 5_000).catch(() => undefined);
    this.#end({ condition: reason.condition, by: 'us', ...(reason.text !== undefined ? { text: reason.text } : {}) });
  }

  /** Mutes or unmutes our audio or video, and tells the peer (XEP-0167 session-info). */
  setMuted(kind: MediaKind, muted: boolean): void {
    this.media.setMuted(kind, muted);
    this.#sendMuteInfo(kind, muted);
  }

  async setCameraOn(on: boolean): Promise<void> {
    await this.media.setCameraOn(on);
    this.#sendMuteInfo('video', !on);
  }

  /** ICE restart (Conversations' way): a new ufrag/pwd in a transport-info without candidates. */
  async restartIce(): Promise<void> {
    if (this.#ended || !this.media.stable || !this.#remote) return;
    if (this.init.link.status !== 'online') {
      this.#restartWhenOnline = true;
      return;
    }
    this.#restartWhenOnline = false;
    this.#outbox.hold();
    let offer: string;
    try {
      offer = await this.#serial(() => this.media.restartIce());
    } catch (err) {
      return this.#fail('failed-transport', 'ICE restart failed', err, true);
    }
    this.#outbox.collect(sdpCredentials(offer));
    try {
      await this.#request(restartOffer(this.sid, offer, this.role));
      this.#outbox.flush();
    } catch (err) {
      this.#outbox.flush(false);
      this.#restartRefused(err);
    }
  }

  #restartRefused(err: unknown): void {
    const next = afterRestartRefused(err, this.init.link.status === 'online');
    if (next === 'lost-tie-break') this.init.log?.('our ICE restart lost the tie-break', err);
    else if (next === 'when-online') this.#restartWhenOnline = true;
    else this.#peerRefused(err, 'our ICE restart');
  }

  /**
   * Our transport-info (trickle or ICE restart) got an error: if it says the peer no longer has the call
   * (peerGone), the call ends at once rather than when the recovery timer runs out.
   */
  #peerRefused(err: unknown, what: string): void {
    const why = this.init.link.status === 'online' ? peerGone(err) : undefined;
    if (why === undefined) return this.init.log?.(`${what} was refused`, err);
    this.#fail('connectivity-error', why, err, false);
  }

  #sessionAccept(j: Jingle, element: Element): true {
    if (this.role !== 'initiator' || this.#accepted) throw jingleError('unexpected-request', 'wait', 'out-of-order', 'session-accept is the responder\'s, once');
    let sdp: string;
    try {
      sdp = remoteSdp(() => jingleToSdp(element, { role: 'responder' }));
    } catch (err) {
      if (!(err instanceof SecurityRefusal)) throw err;
      // XEP-0166: the iq is acknowledged; the session ends with the reason (after the result goes out).
      setTimeout(() => this.#fail('security-error', err.message, err, true), 0);
      return true;
    }
    this.#accepted = true;
    this.init.mark?.('accept-received');
    this.events.emit('accepted', undefined);
    this.#setRemote(j);
    const setup = j.contents.flatMap((c) => c.transport?.fingerprints ?? []).find((f) => f.setup === 'active' || f.setup === 'passive')?.setup;
    if (setup) this.#peerSetup = setup;
    this.#serial(async () => {
      await this.media.setAnswer(sdp);
      this.#remoteApplied = true;
      this.init.mark?.('answer-applied');
    }).then(() => this.#drainEarly(), (err: unknown) => this.#fail('failed-application', 'the answer was refused', err, true));
    return true;
  }

  #transportInfo(j: Jingle): true {
    const fresh = this.#remoteApplied ? newCredentials(j, this.#remoteCreds) : new Map();
    if (fresh.size > 0) {
      const offer = [...fresh.values()].every((c) => c.candidates === 0) || this.media.stable;
      if (offer && !this.media.stable && this.role === 'initiator') throw jingleError('conflict', 'cancel', 'tie-break');
      this.#applyRestart(fresh, offer);
    }
    const candidates = candidatesOf(j);
    if (!this.#remoteApplied) this.#early.push(...candidates);
    else for (const c of candidates) this.#addCandidate(c);
    return true;
  }

  /** The peer's ICE restart offer, or its answer (its first candidates under new credentials) to ours. */
  #applyRestart(creds: Map<string, Credentials>, offer: boolean): void {
    const remote = this.#remote;
    if (!remote) return;
    for (const [name, c] of creds) this.#remoteCreds.set(name, { ufrag: c.ufrag, pwd: c.pwd });
    const sdp = restartedRemoteSdp(remote, creds, offer ? 'actpass' : this.#peerSetup, other(this.role), ++this.#version);
    if (!offer) {
      this.#serial(() => this.media.setAnswer(sdp)).catch((err: unknown) => this.#fail('failed-transport', 'ICE restart answer refused', err, true));
      return;
    }
    this.#outbox.collect();
    this.#serial(() => this.media.acceptOffer(sdp)).then((answer) => {
      this.#outbox.credentials = sdpCredentials(answer);
      // Our answer travels as our candidates under the new credentials, after this iq's result.
      setTimeout(() => this.#outbox.flush(), 0);
    }, (err: unknown) => this.#fail('failed-transport', 'ICE restart offer refused', err, true));
  }

  #sessionInfo(j: Jingle): true {
    for (const news of readSessionInfo(j, this.#remote)) {
      if (news.kind === 'ringing' && this.role === 'initiator') this.events.emit('ringing', undefined);
      if (news.kind === 'mute') this.events.emit('peerMute', news.mute);
    }
    return true;
  }

  #addCandidate(c: CandidateInit): void {
    this.#serial(() => this.media.addRemoteCandidate(c)).catch((err: unknown) => this.init.log?.('a remote candidate was refused', err));
  }

  #drainEarly(): void {
    const early = this.#early;
    this.#early = [];
    for (const c of early) this.#addCandidate(c);
  }

  #sendMuteInfo(kind: MediaKind, muted: boolean): void {
    const content = this.#remote?.contents.find((c) => c.description?.media === kind);
    if (!content || this.#ended) return;
    this.#request(muteInfo(this.sid, muted, content.creator, content.name)).catch(() => undefined);
  }

  #transport(s: TransportState): void {
    if (this.#ended) return;
    this.events.emit('transport', s);
    if (s === 'connected') {
      this.#everConnected = true;
      clearTimeout(this.#lostTimer);
      this.#lostTimer = undefined;
    }
    if (s !== 'failed') return;
    if (!this.#everConnected) return this.hangUp({ condition: 'connectivity-error', text: 'no connection could be established' });
    this.#lostTimer ??= setTimeout(() => {
      this.hangUp({ condition: 'connectivity-error', text: 'the connection was lost and did not come back' });
    }, this.init.recoverMs ?? 30_000);
    void this.restartIce();
  }

  #setRemote(j: Jingle): void {
    this.#remote = j;
    this.#remoteCreds = jingleCredentials(j); // its candidates are in the SDP made of it
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #request(jingle: Element, timeoutMs = this.init.requestTimeoutMs ?? 15_000): Promise<Element> {
    return this.init.link.request(jingleIq(this.peer, jingle), timeoutMs);
  }

  #fail(condition: Reason['condition'], text: string, err: unknown, tellPeer: boolean): void {
    this.init.log?.(text, err);
    if (tellPeer) this.hangUp({ condition, text });
    else this.#end({ condition, by: 'us', text });
  }

  #end(reason: EndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#lostTimer);
    for (const off of this.#offs) off();
    this.media.close();
    this.events.emit('ended', reason);
  }
}
