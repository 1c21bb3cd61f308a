/**
 * Audio and video calls: XEP-0353 to ring every device of the callee, then one XEP-0166 session
 * (call-session.ts, started with its media by call-media.ts) with the device that answered; a callee
 * without XEP-0353 gets the session-initiate straight away (call-route.ts chooses). One call at a time;
 * a second caller hears busy. A JMI call that reached a session ends with a <finish/> from both sides.
 * A Lit reactive controller when given a host; views that are not its host follow it with subscribe().
 *
 * Interop (DESIGN.md): propose to the callee's bare JID (type chat, store hint, receipt request);
 * ringing, proceed and reject to the caller's full JID; accept and reject to our own bare JID too, so our
 * other devices stop ringing (and their accept, or a carbon of their proceed or reject, stops ours).
 * Stanzas about a call are taken only from its peer: anyone else's are ignored (messages) or answered
 * with unknown-session (Jingle). Calls ring only for contacts by default (call-policy.ts); a call ends
 * by itself when it does not connect in time, when we log out, and when the page goes away (call-core.ts,
 * call-ending.ts).
 */
import type { Element } from 'ltx';
import type { ReactiveController } from 'lit';
import { NS, parseJingle, type JmiMessage, type Jingle } from '../../schemas/index.ts';
import type { MediaChoice } from '../rtc/media-session.ts';
import { iqRouter, StanzaError, type IqContext } from '../xmpp/iq-router.ts';
import type { LinkStatus, XmppLink } from '../xmpp/link.ts';
import { nextId, x } from '../xmpp/xml.ts';
import { CallCore } from './call-core.ts';
import { refuse, sendHangUp, watchExits } from './call-ending.ts';
import { IceServerSource } from './call-ice.ts';
import { insecureOffer, jingleIq, jmiMessage, ringingInfo, terminate } from './call-jingle.ts';
import { bare, newSid, readJmi, routeJingle, type CallFacts, type JmiEvent } from './call-messages.ts';
import { CallMedia } from './call-media.ts';
import { mayRing, type AllowCallsFrom } from './call-policy.ts';
import { CallError, type Call, type CallOptions } from './call-record.ts';
import { routeCall } from './call-route.ts';

export { CallState, describeEnd, type EndContext, type EndReason } from './call-states.ts';
export { CallError, type CallOptions, type CallSummary } from './call-record.ts';
export type { AllowCallsFrom } from './call-policy.ts';
export type { CallPath, CallStats } from '../rtc/media-session.ts';

export class CallController extends CallCore implements ReactiveController {
  readonly ice: IceServerSource;
  /** 'relay' sends the next calls through TURN only. */
  iceTransportPolicy: 'all' | 'relay';
  /** Whose calls ring from now on (call-policy.ts); a user setting. */
  allowCallsFrom: AllowCallsFrom;
  #offs: (() => void)[] = [];
  /** Our component's domain once known: its echo peer may call us although it is in no roster. */
  #component: string | undefined;
  readonly #media: CallMedia;

  constructor(link: XmppLink, options: CallOptions) {
    super(link, options, options.host);
    this.ice = new IceServerSource(link, options.componentDomain === undefined ? {} : { componentDomain: options.componentDomain });
    this.iceTransportPolicy = options.iceTransportPolicy ?? 'all';
    this.allowCallsFrom = options.allowCallsFrom ?? 'contacts';
    this.#media = new CallMedia(link, options, this.ice, () => this.iceTransportPolicy, {
      changed: () => this.changed(),
      transport: (c, t) => {
        if (this.current !== c) return;
        if (t === 'connected') this.connected(c);
        if (t === 'connected' && this.state === 'connecting') this.move('connected');
        else if (t === 'failed' && this.state === 'connected') this.move('connecting');
      },
      ended: (c, reason) => this.end(c, reason),
      accepted: (c) => {
        if (this.current === c && this.state === 'proposing') this.move('connecting');
      },
      noMedia: (c, err) => this.#noMedia(c, err),
    });
    this.#component = options.componentDomain;
    if (options.host) options.host.addController(this);
    else this.start();
  }

  hostConnected(): void { this.start(); }
  hostDisconnected(): void { this.stop(); }

  /** Listens to the link and answers Jingle iqs (idempotent); prefetches ICE servers once online. */
  start(): void {
    if (this.#offs.length > 0) return;
    this.#offs = [
      this.link.onStanza((s) => { if (s.name === 'message') this.#message(s); }),
      this.link.onStatus((status) => this.#linkStatus(status)),
      iqRouter(this.link).set(NS.jingle, 'jingle', (ctx) => this.#jingle(ctx)),
      watchExits(this.link, (why) => this.endNow(why)),
    ];
    if (this.link.status === 'online') this.#linkStatus('online');
  }

  stop(): void {
    for (const off of this.#offs) off();
    this.#offs = [];
    if (this.current && this.live) this.hangUp();
  }

  /**
   * Calls `to` (a bare JID): a JMI proposal rings all its devices, or a session-initiate goes straight to
   * its device without JMI (call-route.ts). Throws CallError when busy or offline, or 'unsupported' (the
   * call then ends too) when the callee is online but none of its devices takes this call.
   */
  async call(to: string, media: MediaChoice = { audio: true, video: false }, test = false): Promise<void> {
    if (this.live) throw new CallError('busy', 'a call is in progress');
    if (this.link.status !== 'online' || this.link.jid === undefined) throw new CallError('offline', 'not connected');
    const c = this.newCall(newSid(), 'outgoing', bare(to), undefined, media, test);
    c.marks.mark('call');
    this.move('proposing');
    this.#timeout(c, 'timeout');
    // The devices open first: they take longest, and are done before the callee's proceed comes.
    c.ready = this.#media.prepare(c, async (rtc) => {
      this.#media.openDevices(c, rtc);
      c.offer = await rtc.createOffer();
      c.marks.mark('offer-made');
    });
    c.ready.catch(() => undefined);
    const route = await routeCall(this.options.peers?.(), c.peer, media, this.options.capsTimeoutMs ?? 3_000);
    if (c.ended) return;
    if (route.kind === 'none') {
      this.end(c, { condition: 'unsupported-applications', by: 'us', text: route.why });
      throw new CallError('unsupported', `${c.peer}: ${route.why}`);
    }
    if (route.kind === 'direct') {
      c.peerFull = route.to;
      return void this.#media.initiate(c);
    }
    c.jmi = true;
    c.marks.mark('propose-sent');
    await this.link.send(jmiMessage('propose', c.sid, c.peer, media.video ? ['audio', 'video'] : ['audio']));
  }

  /** The echo test call: calls echo@<component>, which sends our own audio and video back. */
  async testCall(media: MediaChoice = { audio: true, video: true }): Promise<void> {
    const component = await this.ice.componentDomain();
    if (component === undefined) throw new CallError('no-echo', 'no Jingle Gateway component found on this server');
    await this.call(`echo@${component}`, media, true);
  }

  /**
   * Answers the ringing call: proceed, then the peer connection is made and the microphone (and
   * camera) opened while the caller's session-initiate is on its way. Nothing is made
   * while the call only rings: a device that is not answered opens no camera and allocates nothing.
   */
  accept(): void {
    const c = this.current;
    if (!c || this.state !== 'ringing' || c.peerFull === undefined) throw new CallError('no-call', 'no call is ringing');
    c.marks.mark('accept-pressed');
    clearTimeout(c.timer);
    this.move('connecting'); // first: our connect timeout starts before the caller's
    if (!c.initiate) {
      c.marks.mark('proceed-sent');
      void this.link.send(jmiMessage('proceed', c.sid, c.peerFull)).catch(() => undefined);
      void this.link.send(jmiMessage('accept', c.sid, this.ownBare())).catch(() => undefined);
    }
    c.ready = this.#media.prepare(c, async (rtc) => this.#media.openDevices(c, rtc));
    c.ready.catch(() => undefined);
    if (c.initiate) this.#media.answer(c, c.initiate.jingle, c.initiate.element);
  }

  /** Refuses the ringing call, on every device of ours. */
  decline(): void {
    const c = this.current;
    if (!c || this.state !== 'ringing') throw new CallError('no-call', 'no call is ringing');
    refuse(this.link, c, this.ownBare());
    this.end(c, { condition: 'decline', by: 'us' });
  }

  /** Ends the call in whatever state: retract, reject or session-terminate, as the state needs. */
  hangUp(): void {
    if (this.state === 'ringing') return this.decline();
    this.endNow();
  }

  /**
   * Ends the call at once: the stanzas that end it (session-terminate or retract, and JMI's <finish/>)
   * are written before this returns, with no await before them, so it can run in `pagehide` or just
   * before logging out. `why` is kept as our end reason's text. Called by itself on logout
   * (ConnectionController.onBeforeClose) and when the page is hidden for good or unloaded. A call that
   * rings here is not declined (that would stop our other devices ringing too): a JMI proposal is left
   * to them, a direct session-initiate (it rings only here) is ended with `gone`.
   */
  endNow(why?: string): void {
    const c = this.current;
    if (!c || !this.live) return;
    const text = why === undefined ? {} : { text: why };
    if (this.state === 'ringing') {
      if (c.initiate) refuse(this.link, c, this.ownBare(), { condition: 'gone' });
      return this.end(c, { condition: 'gone', by: 'us', ...text });
    }
    c.closing = { condition: c.session?.accepted ? 'success' : 'cancel', by: 'us', ...text };
    sendHangUp(this.link, c, this.ownBare());
    this.end(c, c.closing);
  }

  /**
   * A dropped server connection does not end the call: media flows peer to peer meanwhile. It ends when
   * we log out, or when we come back under another full JID, which the peer's stanzas no longer reach.
   */
  #linkStatus(status: LinkStatus): void {
    if (status === 'online') {
      this.ice.reset();
      void this.ice.get().catch(() => undefined);
      void this.ice.componentDomain().then((d) => { this.#component = d ?? this.#component; });
    }
    const c = this.current;
    if (c && this.live && status === 'offline') this.end(c, { condition: 'connectivity-error', by: 'us', text: 'disconnected from the server' });
    else if (c && this.live && status === 'online' && c.local !== this.link.jid) {
      this.end(c, { condition: 'connectivity-error', by: 'us', text: 'back on the server under another address, which the other side does not know' });
    } else this.changed();
  }

  #noMedia(c: Call, err: unknown): void {
    if (c.ended) return;
    this.options.log?.('could not open the camera or microphone', err);
    // Answered here (our devices open on accept), the caller learns why: session-terminate, or a JMI reject before the session.
    const reason = c.session || c.answered ? { condition: 'failed-application', text: 'no media' } as const : { condition: 'failed-application' } as const;
    sendHangUp(this.link, c, this.ownBare(), c.session || c.answered || c.direction === 'outgoing' ? reason : undefined);
    this.end(c, { condition: 'error', by: 'us', text: (err as Error).message });
  }

  /** The call as the pure routing functions see it; undefined when none is in progress. */
  #facts(): CallFacts | undefined {
    const c = this.current;
    if (!c || c.ended) return undefined;
    return {
      sid: c.sid, direction: c.direction, peer: c.peer, peerFull: c.peerFull, state: this.state,
      sessionPeer: c.session?.peer, heldInitiate: c.initiate !== undefined, early: c.early.length,
    };
  }

  #message(stanza: Element): void {
    const own = this.link.jid;
    const c = this.current;
    const ev: JmiEvent | undefined = own === undefined ? undefined : readJmi(stanza, own, this.#facts());
    if (ev?.kind === 'propose') this.#propose(ev.from, ev.jmi, ev.receiptId);
    else if (!c || !ev) return;
    else if (ev.kind === 'elsewhere') this.end(c, { condition: ev.condition, by: 'other-device' });
    else if (ev.kind === 'callee') this.#calleeSays(c, ev.jmi, ev.from);
    else this.end(c, { condition: 'retracted', by: 'peer', ...(ev.text !== undefined ? { text: ev.text } : {}) });
  }

  #propose(from: string, jmi: JmiMessage, receiptId: string | undefined): void {
    // A stranger learns nothing: no receipt, no ringing, no busy; and our line stays free for contacts.
    if (!this.#mayRing(from)) return this.options.log?.(`a call proposal from ${bare(from)}, not a contact, was ignored`);
    if (receiptId !== undefined) {
      void this.link.send(x('message', { to: from, id: nextId() }, x('received', { xmlns: NS.receipts, id: receiptId }))).catch(() => undefined);
    }
    if (this.current?.sid === jmi.id) return; // a repeat
    if (this.live) {
      void this.link.send(jmiMessage('reject', jmi.id, from, [], { condition: 'busy' })).catch(() => undefined);
      return;
    }
    const c = this.newCall(jmi.id, 'incoming', bare(from), from, { audio: true, video: jmi.media.includes('video') });
    c.jmi = true;
    c.marks.mark('propose-received');
    this.move('ringing');
    this.#timeout(c, 'timeout');
    void this.link.send(jmiMessage('ringing', jmi.id, from)).catch(() => undefined);
  }

  /** What the callee's devices answer to our proposal. */
  #calleeSays(c: Call, jmi: JmiMessage, from: string): void {
    if (!c.jmi) return; // a direct session-initiate: its session says it all
    switch (jmi.action) {
      case 'ringing':
        if (this.state === 'proposing') c.peerRinging = true;
        return this.changed();
      case 'proceed':
        if (this.state !== 'proposing') return; // a second device answered too late
        c.marks.mark('proceed-received');
        clearTimeout(c.timer);
        c.peerFull = from;
        void this.#media.initiate(c); // written before the view hears of it
        return this.move('connecting');
      case 'reject':
        if (c.session && from !== c.peerFull) return; // another device of theirs, after one answered
        c.session?.hangUp({ condition: 'decline' });
        return this.end(c, { condition: jmi.reason?.condition ?? 'decline', by: 'peer', ...(jmi.reason?.text !== undefined ? { text: jmi.reason.text } : {}) });
      default:
        return;
    }
  }

  #jingle({ element, from }: IqContext): true {
    let j: Jingle;
    try {
      j = parseJingle(element);
    } catch (err) {
      throw new StanzaError('bad-request', 'modify', (err as Error).message); // a TranslateError, typed
    }
    const own = this.link.jid ?? '';
    const c = this.current;
    // A stranger's Jingle gets what a resource without Jingle would answer: nothing about us or our call.
    const ours = c !== undefined && c.ended === undefined && bare(from ?? '') === c.peer;
    if (!ours && !this.#mayRing(from ?? own)) throw new StanzaError('service-unavailable', 'cancel');
    const route = routeJingle(j, from ?? own, own, this.#facts(), this.live);
    switch (route.kind) {
      case 'session':
        return c!.session!.handle(j, element);
      case 'answer':
        c!.marks.mark('initiate-received');
        c!.initiate = { jingle: j, element }; // its transport-infos wait with it until our media is ready
        this.#media.answer(c!, j, element);
        return true;
      case 'hold':
        c!.marks.mark('initiate-received');
        c!.initiate = { jingle: j, element };
        return true;
      case 'early':
        c!.early.push({ jingle: j, element });
        return true;
      case 'cancelled':
        this.end(c!, { condition: j.reason?.condition ?? 'cancel', by: 'peer' });
        return true;
      case 'busy':
        setTimeout(() => void this.link.request(jingleIq(from ?? '', terminate(j.sid, { condition: 'busy' }))).catch(() => undefined), 0);
        return true;
      case 'ring': {
        // A session-initiate without a JMI proposal (older clients) rings like a proposal.
        const video = j.contents.some((ct) => ct.description?.media === 'video');
        const nc = this.newCall(j.sid, 'incoming', bare(from ?? ''), from, { audio: true, video });
        nc.initiate = { jingle: j, element };
        nc.marks.mark('initiate-received');
        this.move('ringing');
        this.#timeout(nc, 'timeout');
        const refusal = insecureOffer(element);
        // After the result: ended with the reason when it cannot be answered securely (XEP-0166), or <ringing/> (XEP-0167).
        setTimeout(() => {
          if (!refusal) return void this.link.request(jingleIq(from ?? '', ringingInfo(j.sid))).catch(() => undefined);
          refuse(this.link, nc, this.ownBare(), { condition: 'security-error', text: refusal.message });
          this.end(nc, { condition: 'security-error', by: 'us', text: refusal.message });
        }, 0);
        return true;
      }
    }
  }

  #timeout(c: Call, condition: 'timeout'): void {
    clearTimeout(c.timer);
    c.timer = setTimeout(() => {
      if (this.current !== c || (this.state !== 'proposing' && this.state !== 'ringing')) return;
      if (this.state === 'proposing' && c.session) c.session.hangUp({ condition });
      else if (this.state === 'proposing' && c.jmi) void this.link.send(jmiMessage('retract', c.sid, c.peer, [], { condition })).catch(() => undefined);
      this.end(c, { condition, by: 'us' });
    }, this.options.ringTimeoutMs ?? 60_000);
  }

  /** Whether a call from `from` may ring here (call-policy.ts). */
  #mayRing(from: string): boolean {
    return mayRing(bare(from), {
      allow: this.allowCallsFrom, contacts: this.options.peers?.(), ownBare: this.ownBare(), componentDomain: this.#component,
    });
  }
}
