/**
 * The echo test call at echo@<domain>: a real Jingle peer that sends the caller's own audio and video
 * back, so users can check microphone, camera and NAT traversal. It answers XEP-0353 proposals at once
 * (ringing, proceed), accepts XEP-0166/0167 sessions over XEP-0176 ICE-UDP with trickled candidates,
 * and ends a call on session-terminate, on a failed transport or after `echo-max-seconds`.
 * A call cannot outlive the component's link to the server (its signalling goes through it): after a
 * reconnect every call from before is ended with `connectivity-error`, and the echo announces itself
 * again (XEP-0115 presence) to the users it knows of: those who subscribed, probed or called.
 * The session state (who may act on which sid, limits, time) is the SessionTable's; the media is the
 * echo peer's (echo-peer.ts); this module only translates between them and the stanzas.
 */
import { randomBytes } from 'node:crypto';
import type { Element } from 'ltx';
import {
  NS, candidatesToTransportInfo, isTranslateError, parseJingle, parseRtpInfo, sdpToJingleModel, sessionToJingleModel,
  buildJingle, transportInfoToCandidates, type CandidateInit, type Jingle, type ReasonCondition,
} from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import type { Limits } from '../../schemas/limits.ts';
import type { IqReply, IqRequest, Router } from '../router.ts';
import type { Service, ServiceContext } from '../service.ts';
import { RateLimiter } from '../rate-limit.ts';
import { guarded } from '../guard.ts';
import { IqError } from '../iq-caller.ts';
import { SessionTable } from '../sessions/index.ts';
import { stanzaError } from '../stanza-error.ts';
import { hasUsableMedia, offerOf, terminateElement, toStanzaError, type Offer } from './echo-jingle.ts';
import { EchoContact } from './echo-contact.ts';
import { translatorLimits } from '../translate-limits.ts';
import { createEchoPeer, type CreateEchoPeer, type EchoPeer } from './echo-peer.ts';
import { ECHO_RESOURCE, type Call, type EchoServiceOptions } from './echo-types.ts';
import { createSignalingPeer } from './echo-signaling-peer.ts';
import { idleCalls } from './echo-watchdog.ts';
import { bareOf, domainOf, NS_DISCO_INFO, NS_DISCO_ITEMS } from './disco.ts';

export { ECHO_RESOURCE, type EchoServiceOptions } from './echo-types.ts';

export class EchoService implements Service {
  readonly features: readonly string[] = [];
  readonly bare: string;
  readonly full: string;
  readonly #ctx: ServiceContext;
  readonly #table: SessionTable;
  readonly #callRate: RateLimiter;
  readonly #calls = new Map<string, Call>();
  /** Calls per caller's bare JID, for the per-user limit without a scan of every call. */
  readonly #perUser = new Map<string, number>();
  readonly #contact: EchoContact;
  readonly #createPeer: CreateEchoPeer;
  readonly #opts: EchoServiceOptions;
  readonly #limits: Limits;
  #timer: NodeJS.Timeout | undefined;
  #ids = 0;
  readonly #idPrefix = `echo-${randomBytes(4).toString('hex')}-`;

  constructor(ctx: ServiceContext, options: EchoServiceOptions = {}) {
    this.#ctx = ctx;
    this.#opts = options;
    this.#limits = translatorLimits(ctx.config);
    this.bare = `echo@${ctx.config.domain}`;
    this.full = `${this.bare}/${ECHO_RESOURCE}`;
    const bind = options.bind ?? ctx.config['echo-bind'];
    const base = options.createPeer ?? (ctx.config['echo-media'] === 'off' ? createSignalingPeer : createEchoPeer);
    const policy = { allowNetworks: ctx.config['echo-allow-networks'] ?? [], maxRemoteCandidates: ctx.config['echo-max-candidates'] ?? 20 };
    this.#createPeer = (o) => base({ ...policy, ...o, ...(bind ? { bind } : {}), ...(options.iceServers ? { iceServers: options.iceServers } : {}) });
    this.#callRate = new RateLimiter(ctx.config['echo-calls-per-minute']);
    this.#table = new SessionTable({
      maxSessions: ctx.config['echo-max-sessions'],
      maxSessionsPerPeer: ctx.config['echo-max-per-user'],
      activeMaxDuration: ctx.config['echo-max-seconds'] * 1000,
      pendingTimeout: 30_000,
    });
    ctx.disco.add(this.bare, {
      identities: [{ category: 'client', type: 'bot', name: 'Echo test call' }],
      features: [
        NS_DISCO_INFO, NS_DISCO_ITEMS, NS.jingle, NS.rtp, NS.rtpAudio, NS.rtpVideo, NS.iceUdp, NS.dtls, NS.jmi, NS.grouping,
      ],
    });
    ctx.metrics.gauge('echo_calls_active', () => this.#calls.size);
    this.#contact = new EchoContact(ctx, this.bare, this.full, {
      served: (jid) => this.served(jid),
      busy: (caller) => this.#busy(caller),
    });
  }

  /** Only users of the domains this component serves may call. */
  served(jid: string): boolean {
    return this.#ctx.config.hosts.includes(domainOf(jid));
  }

  get activeCalls(): number {
    return this.#calls.size;
  }

  register(router: Router): void {
    router.iq('set', NS.jingle, 'jingle', (req) => this.#jingle(req));
    router.message((stanza) => this.#contact.message(stanza));
    router.presence((stanza) => this.#contact.presence(stanza));
    this.#timer = setInterval(guarded(this.#ctx.log, 'echo tick', () => this.tick()), this.#opts.tickMs ?? 5_000);
    this.#timer.unref();
  }

  /** Ends the calls past their time, or idle (public so tests can drive it with their own clock). */
  tick(): void {
    const now = this.#ctx.now();
    for (const { session, reason } of this.#table.expire(now)) {
      const call = this.#calls.get(session.key);
      const text = reason === 'expired' ? `echo test calls last at most ${this.#ctx.config['echo-max-seconds']} s` : 'the call was not set up in time';
      if (call) void this.#end(call, 'timeout', { send: true, text });
    }
    this.#watchdog(now);
    this.#contact.prune();
  }

  /** Ends the calls whose media stopped (echo-watchdog.ts); not without media (echo-media off). */
  #watchdog(now: number): void {
    if (this.#ctx.config['echo-media'] === 'off' && !this.#opts.createPeer) return;
    const idleMs = (this.#ctx.config['echo-idle-seconds'] ?? 20) * 1000;
    for (const call of idleCalls([...this.#calls.values()], now, idleMs)) {
      this.#ctx.log.info({ sid: call.sid, caller: call.caller, idleSeconds: idleMs / 1000, echoed: call.progress }, 'echo: no media to echo; ending the call');
      void this.#end(call, 'media-error', { send: true, text: `no media reached the echo test call for ${idleMs / 1000} s` });
    }
  }

  /**
   * After every (re)connect. Calls still here are from before the link to the server was lost: their
   * signalling path is gone (our requests failed, the caller's may have been bounced), so each ends
   * now, and its caller is told if the server can reach them. Then the echo announces itself again.
   */
  async online(): Promise<void> {
    const stale = [...this.#calls.values()];
    if (stale.length > 0) {
      this.#ctx.log.warn({ calls: stale.length, reason: 'connectivity-error' }, 'echo: ending the calls from before the connection to the server was lost');
    }
    const text = 'the echo test call lost its connection to the XMPP server; call again';
    // The presence need not wait for the callers to acknowledge their session-terminates.
    await Promise.all([Promise.allSettled(stale.map((c) => this.#end(c, 'connectivity-error', { send: true, text }))), this.#contact.announce()]);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    const calls = [...this.#calls.values()];
    await Promise.allSettled(calls.map((c) => this.#end(c, 'gone', { send: true, wait: false })));
  }

  #busy(caller: string): boolean {
    const mine = this.#perUser.get(bareOf(caller)) ?? 0;
    return this.#calls.size >= this.#ctx.config['echo-max-sessions'] || mine >= this.#ctx.config['echo-max-per-user'];
  }

  #count(caller: string, by: 1 | -1): void {
    const bare = bareOf(caller);
    const n = (this.#perUser.get(bare) ?? 0) + by;
    if (n > 0) this.#perUser.set(bare, n);
    else this.#perUser.delete(bare);
  }

  #jingle({ from, to, payload }: IqRequest): IqReply {
    if (bareOf(to) !== this.bare) return undefined;
    const resource = to.includes('/') ? to.slice(to.indexOf('/') + 1) : '';
    if (resource !== '' && resource !== ECHO_RESOURCE) return stanzaError('cancel', 'service-unavailable');
    if (!this.served(from)) {
      this.#ctx.log.info({ from }, 'echo: refused a Jingle request from a user of a domain we do not serve');
      return stanzaError('cancel', 'forbidden', 'the echo test call is for users of this server');
    }
    // A TranslateError (a Jingle or an offer we cannot read) is the router's bad-request.
    const jingle = parseJingle(payload, this.#limits);
    // Each call costs a WebRTC peer: besides the concurrent limits, a user may only start so many a minute.
    if (jingle.action === 'session-initiate' && !this.#callRate.take(bareOf(from), this.#ctx.now())) {
      this.#ctx.log.info({ from }, 'echo: refused a call over echo-calls-per-minute');
      return stanzaError('wait', 'resource-constraint', `at most ${this.#ctx.config['echo-calls-per-minute']} echo calls a minute`);
    }
    // Read once: the offer is translated from the Jingle just parsed, not from the element again.
    const offer = jingle.action === 'session-initiate' ? offerOf(jingle, this.#limits) : undefined;
    // Sessions are kept under our full JID whichever form was called, so a caller that switches
    // between the bare and the full address in one session still finds it.
    const r = this.#table.receive(from, this.full, jingle, this.#ctx.now());
    if (!r.ok) return toStanzaError(r.error);
    const key = r.session.key;
    switch (jingle.action) {
      case 'session-initiate':
        if (offer === undefined || isTranslateError(offer)) {
          return this.#refuse(key, from, to, jingle.sid, 'security-error', 'the echo test call needs a DTLS fingerprint it can use', offer?.message);
        }
        if (!hasUsableMedia(offer.session)) {
          return this.#refuse(key, from, to, jingle.sid, 'unsupported-applications', 'the echo test call found nothing it can answer in this offer');
        }
        return this.#start(key, from, to, jingle, offer);
      case 'transport-info': {
        const call = this.#calls.get(key);
        for (const c of transportInfoToCandidates(payload, this.#limits)) {
          if (call) void call.answered.then(() => call.peer.addCandidate(c)).catch((err: Error) => this.#ctx.log.debug({ sid: call.sid, err: err.message }, 'echo: a remote candidate was refused'));
        }
        return true;
      }
      case 'session-terminate': {
        const call = this.#calls.get(key);
        if (call) void this.#end(call, r.event.reason ?? 'success', { send: false });
        return true;
      }
      case 'session-info':
        if (jingle.info.length > 0 && jingle.info.every((i) => parseRtpInfo(i) === undefined)) {
          return stanzaError('modify', 'feature-not-implemented', undefined, { name: 'unsupported-info', ns: NS.jingleErrors });
        }
        return true;
      case 'description-info': case 'security-info':
        return true;
      default:
        return stanzaError('cancel', 'feature-not-implemented', `the echo test call does not support ${jingle.action}`);
    }
  }

  /**
   * Acks a session-initiate we will not answer, then terminates it (XEP-0166: a responder that cannot
   * use what was offered acknowledges the request and sends session-terminate with the reason).
   */
  #refuse(key: string, caller: string, local: string, sid: string, reason: ReasonCondition, text: string, detail?: string): IqReply {
    this.#table.end(key);
    this.#ctx.log.info({ sid, caller, reason, err: detail }, 'echo: refused an offer');
    this.#ctx.metrics.inc('echo_calls_ended_total', { reason });
    const terminate = terminateElement(sid, reason, text);
    // After the router has sent the session-initiate's result.
    setImmediate(guarded(this.#ctx.log, 'echo refuse', () => {
      this.#request(caller, terminate, local).catch((e: Error) => this.#ctx.log.debug({ sid, err: e.message }, 'echo: session-terminate not acknowledged'));
    }));
    return true;
  }

  /** Acks the session-initiate at once; the answer follows as a session-accept. */
  #start(key: string, caller: string, local: string, jingle: Jingle, offer: Offer): IqReply {
    const proposed = this.#contact.takeProposal(caller, jingle.sid);
    const call: Call = {
      key, sid: jingle.sid, caller, local, contents: jingle.contents.map((c) => c.name),
      peer: undefined as unknown as EchoPeer, answered: Promise.resolve(), queue: [], started: this.#ctx.now(), ended: false,
      progress: 0, progressAt: this.#ctx.now(),
    };
    try {
      call.peer = this.#peer(call);
    } catch (err) {
      this.#table.end(key);
      this.#ctx.log.error({ sid: call.sid, caller, err: (err as Error).message }, 'echo: could not create the WebRTC peer');
      return stanzaError('wait', 'internal-server-error', 'the echo peer is unavailable');
    }
    this.#calls.set(key, call);
    this.#count(caller, 1);
    this.#contact.remember(caller);
    this.#ctx.metrics.inc('echo_calls_total');
    this.#ctx.log.info({ sid: call.sid, caller, proposed, media: jingle.contents.map((c) => c.description?.media ?? c.name) }, 'echo call started');
    call.answered = this.#accept(call, offer).catch(() => undefined);
    return true;
  }

  #peer(call: Call): EchoPeer {
    const { caller } = call;
    return this.#createPeer({
      log: this.#ctx.log,
      onCandidate: (c) => this.#candidate(call, c),
      onForeignDatagram: (from) => this.#ctx.log.info({ sid: call.sid, caller, from }, 'echo: dropped a datagram that did not come from the caller'),
      onRemoteRefused: (v) => {
        if (v.reason !== 'limit') this.#ctx.log.debug({ sid: call.sid, caller, address: v.address, reason: v.reason }, 'echo: refused a remote candidate');
        else if (v.first) this.#ctx.log.info({ sid: call.sid, caller, max: this.#ctx.config['echo-max-candidates'] }, 'echo: the caller sent more candidates than a call uses; the rest are ignored');
      },
      onState: (state) => {
        if (state === 'connected' && call.connectedMs === undefined) {
          call.connectedMs = this.#ctx.now() - call.started;
          // The watchdog's clock starts again: media can only flow from now on.
          call.progressAt = this.#ctx.now();
          this.#ctx.log.debug({ sid: call.sid, caller, ms: call.connectedMs }, 'echo: media connected');
        } else if (state === 'failed') void this.#end(call, 'failed-transport', { send: true });
      },
    });
  }

  async #accept(call: Call, offer: Offer): Promise<void> {
    let accept: Jingle;
    // The router sends the session-initiate's result when this handler returns: let it go out first.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const opts = { role: 'responder', action: 'session-accept', sid: call.sid, initiator: call.caller, responder: call.local } as const;
      // A peer that builds its answer as a Session (no media) hands it over as such: not written, not read again.
      if (call.peer.answerSession) {
        const answer = await call.peer.answerSession(offer.session);
        if (call.ended) return;
        accept = sessionToJingleModel(answer, opts);
      } else {
        const answer = await call.peer.answer(offer.sdp);
        if (call.ended) return;
        accept = sdpToJingleModel(answer, opts);
      }
    } catch (err) {
      this.#ctx.log.warn({ sid: call.sid, caller: call.caller, err: (err as Error).message }, 'echo: could not answer the offer');
      await this.#end(call, 'failed-application', { send: true, text: 'the echo peer could not answer this offer' });
      throw err;
    }
    const r = this.#table.send(this.full, call.caller, accept, this.#ctx.now());
    if (!r.ok) return void this.#end(call, 'general-error', { send: false });
    const acked = this.#request(call.caller, buildJingle(accept), call.local);
    const queued = call.queue ?? [];
    call.queue = undefined;
    if (queued.length > 0) this.#sendCandidates(call, queued);
    try {
      await acked;
    } catch (err) {
      const refused = err instanceof IqError;
      this.#ctx.log.info({ sid: call.sid, caller: call.caller, err: (err as Error).message }, refused ? 'echo: the caller refused our session-accept' : 'echo: no answer to our session-accept');
      await this.#end(call, 'general-error', { send: true });
    }
  }

  #candidate(call: Call, c: CandidateInit): void {
    if (call.ended) return;
    if (call.queue) call.queue.push(c);
    else this.#sendCandidates(call, [c]);
  }

  #sendCandidates(call: Call, candidates: CandidateInit[]): void {
    const fallback = call.contents[0] ?? '0';
    const fixed = candidates.map((c) => (c.sdpMid && call.contents.includes(c.sdpMid) ? c : { ...c, sdpMid: fallback }));
    let info: Element;
    try {
      info = candidatesToTransportInfo(fixed, { sid: call.sid, creator: 'initiator' });
    } catch (err) {
      return void this.#ctx.log.warn({ sid: call.sid, err: (err as Error).message }, 'echo: could not translate our own candidate');
    }
    if (!this.#table.send(this.full, call.caller, { action: 'transport-info', sid: call.sid }, this.#ctx.now()).ok) return;
    this.#request(call.caller, info, call.local).catch((err: Error) => this.#ctx.log.debug({ sid: call.sid, err: err.message }, 'echo: transport-info refused'));
  }

  /** Ends a call once: closes the peer, and if `send`, tells the caller with a session-terminate. */
  async #end(call: Call, reason: ReasonCondition, opts: { send: boolean; wait?: boolean; text?: string }): Promise<void> {
    if (call.ended) return;
    call.ended = true;
    this.#calls.delete(call.key);
    this.#count(call.caller, -1);
    this.#table.end(call.key);
    const seconds = Math.round((this.#ctx.now() - call.started) / 100) / 10;
    this.#ctx.log.info({ sid: call.sid, caller: call.caller, reason, seconds, connectedMs: call.connectedMs, echoed: call.peer.echoed }, 'echo call ended');
    this.#ctx.metrics.inc('echo_calls_ended_total', { reason });
    const closing = call.peer.close().catch((err: Error) => this.#ctx.log.warn({ sid: call.sid, err: err.message }, 'echo: closing the peer failed'));
    if (opts.send) {
      const terminate = terminateElement(call.sid, reason, opts.text);
      const sent = opts.wait === false ? this.#ctx.send(this.#iq(call.caller, terminate, call.local)) : this.#request(call.caller, terminate, call.local);
      await sent.catch((err: Error) => this.#ctx.log.debug({ sid: call.sid, err: err.message }, 'echo: session-terminate not acknowledged'));
    }
    await closing;
  }

  #iq(to: string, payload: Element, from: string): Element {
    // Unique across restarts by the random prefix, without a CSPRNG call per stanza.
    return el('iq', { type: 'set', from, to, id: `${this.#idPrefix}${(++this.#ids).toString(36)}` }, [payload]);
  }

  #request(to: string, payload: Element, from: string): Promise<Element> {
    return this.#ctx.request(this.#iq(to, payload, from), this.#opts.requestTimeoutMs ?? 15_000);
  }
}
