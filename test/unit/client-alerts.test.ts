// @vitest-environment happy-dom
// What tells the user that something waits: the Web Audio ring tone (over a fake AudioContext), the page
// title and notifications (a fake Notification API), and the Alerts controller over a real CallController
// and ChatController on a FakeNetwork: an incoming call rings, notifies while hidden, titles the page, and
// stops on answer, decline or end; a new message is announced.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { parseXml } from '../../schemas/xml-text.ts';
import { Alerts } from '../../client/controllers/alerts.ts';
import { CallController } from '../../client/controllers/call.ts';
import { ChatController } from '../../client/controllers/chat.ts';
import { Notifier, pageTitle, type NotificationApi, type NotifierEnv } from '../../client/controllers/notifier.ts';
import { RING_EVERY_MS, RING_PATTERN, Ringer, type ToneContext } from '../../client/controllers/ringer.ts';
import { FakeMedia } from '../../client/rtc/fake.ts';
import { QuietServerNetwork } from './client-call.fixture.ts';

/** An AudioContext that records the oscillators it made and whether it was closed. */
class FakeTone {
  currentTime = 0;
  closed = false;
  readonly destination = {} as AudioNode;
  readonly oscillators: { frequency: number; start: number; stop: number }[] = [];
  createOscillator(): OscillatorNode {
    const rec = { frequency: 0, start: -1, stop: -1 };
    this.oscillators.push(rec);
    return {
      frequency: { set value(v: number) { rec.frequency = v; } },
      connect: () => undefined, start: (t: number) => { rec.start = t; }, stop: (t: number) => { rec.stop = t; },
    } as unknown as OscillatorNode;
  }
  createGain(): GainNode {
    const param = { setValueAtTime: () => param, linearRampToValueAtTime: () => param };
    return { gain: param, connect: () => undefined } as unknown as GainNode;
  }
  async resume(): Promise<void> { /* running */ }
  async close(): Promise<void> { this.closed = true; }
}

function fakeNotifications(permission: NotificationPermission): { api: NotificationApi; shown: { title: string; body?: string; closed: boolean }[]; asked: () => number } {
  const shown: { title: string; body?: string; closed: boolean }[] = [];
  let asked = 0;
  class FakeNotification {
    static permission = permission;
    static async requestPermission(): Promise<NotificationPermission> { asked++; return 'granted'; }
    onclick: (() => void) | null = null;
    private readonly rec: { title: string; body?: string; closed: boolean };
    constructor(title: string, options?: NotificationOptions) {
      this.rec = { title, closed: false, ...(options?.body === undefined ? {} : { body: options.body }) };
      shown.push(this.rec);
    }
    close(): void { this.rec.closed = true; }
  }
  return { api: FakeNotification as unknown as NotificationApi, shown, asked: () => asked };
}

/** A host that runs its controllers' hostUpdate on every requestUpdate, as a Lit element would. */
class Host implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  addController(c: ReactiveController): void { this.controllers.push(c); c.hostConnected?.(); }
  removeController(): void { /* not needed */ }
  requestUpdate(): void { for (const c of this.controllers) c.hostUpdate?.(); }
  readonly updateComplete = Promise.resolve(true);
}

afterEach(() => { vi.useRealTimers(); });

describe('ring tone', () => {
  it('rings bursts of a two-tone chord until stopped, then closes the audio context', () => {
    vi.useFakeTimers();
    const contexts: FakeTone[] = [];
    const ringer = new Ringer(() => { const c = new FakeTone(); contexts.push(c); return c as unknown as ToneContext; });
    ringer.start();
    ringer.start(); // again: still one tone
    expect(ringer.ringing).toBe(true);
    expect(contexts).toHaveLength(1);
    const burst = RING_PATTERN.length * 2;
    expect(contexts[0]!.oscillators).toHaveLength(burst);
    expect(new Set(contexts[0]!.oscillators.map((o) => o.frequency))).toEqual(new Set([440, 480]));
    expect(contexts[0]!.oscillators.every((o) => o.stop > o.start)).toBe(true);
    vi.advanceTimersByTime(RING_EVERY_MS * 2);
    expect(contexts[0]!.oscillators).toHaveLength(burst * 3);
    ringer.stop();
    expect(ringer.ringing).toBe(false);
    expect(contexts[0]!.closed).toBe(true);
    vi.advanceTimersByTime(RING_EVERY_MS * 3);
    expect(contexts[0]!.oscillators).toHaveLength(burst * 3);
  });

  it('is silent, not broken, without Web Audio', () => {
    const ringer = new Ringer(() => undefined);
    ringer.start();
    expect(ringer.ringing).toBe(true);
    ringer.stop();
  });
});

describe('title and notifications', () => {
  it('titles the page with an incoming call first, else the unread count', () => {
    expect(pageTitle(0)).toBe('Jingle Gateway');
    expect(pageTitle(3)).toBe('(3) Jingle Gateway');
    expect(pageTitle(3, 'Bob')).toBe('Incoming call: Bob');
  });

  it('notifies only while the tab is hidden and allowed; asks permission only when asked to, once', () => {
    const doc = { hidden: false, title: '' };
    const n = fakeNotifications('default');
    const env: NotifierEnv = { document: doc, Notification: n.api };
    const notifier = new Notifier(env);
    expect(n.asked()).toBe(0); // never on its own (page load)
    expect(notifier.notify('call', 'Incoming call', 'Bob is calling you')).toBe(false);
    notifier.askPermission();
    expect(n.asked()).toBe(1);
    // Not from a script's click (no user activation): Firefox would refuse with an error.
    let active = false;
    const outside = fakeNotifications('default');
    const scripted = new Notifier({ document: doc, Notification: outside.api, userActive: () => active });
    scripted.askPermission();
    expect(outside.asked()).toBe(0);
    active = true;
    scripted.askPermission();
    expect(outside.asked()).toBe(1);
    const granted = fakeNotifications('granted');
    const shown = new Notifier({ document: doc, Notification: granted.api });
    shown.askPermission();
    expect(granted.asked()).toBe(0); // decided already
    expect(shown.notify('call', 'Incoming call', 'Bob is calling you')).toBe(false); // visible tab
    doc.hidden = true;
    expect(shown.notify('call', 'Incoming call', 'Bob is calling you')).toBe(true);
    expect(granted.shown).toEqual([{ title: 'Incoming call', body: 'Bob is calling you', closed: false }]);
    shown.close('call');
    expect(granted.shown[0]!.closed).toBe(true);
    shown.setTitle('(1) Jingle Gateway');
    expect(doc.title).toBe('(1) Jingle Gateway');
  });
});

describe('Alerts over the call and chat controllers', () => {
  async function setup() {
    const net = new QuietServerNetwork();
    const media = new FakeMedia();
    const [a, b] = [net.link('alice@localhost/web'), net.link('bob@localhost/web')];
    const bobCall = new CallController(b, { createMedia: media.create });
    const aliceCall = new CallController(a, { createMedia: media.create, allowCallsFrom: 'anyone' });
    const host = new Host();
    const chat = new ChatController(a, { host, storage: undefined }); // missed calls kept per test, not in localStorage
    aliceCall.subscribe(() => host.requestUpdate());
    const doc = { hidden: true, title: '' };
    const notes = fakeNotifications('granted');
    const tones: FakeTone[] = [];
    const ringer = new Ringer(() => { const t = new FakeTone(); tones.push(t); return t as unknown as ToneContext; });
    const alerts = new Alerts(host, { call: () => aliceCall, chat: () => chat, nameOf: (jid) => (jid === 'bob@localhost' ? 'Bob' : jid) },
      ringer, new Notifier({ document: doc, Notification: notes.api }));
    const until = async (cond: () => boolean): Promise<void> => {
      for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
      if (!cond()) throw new Error('condition not met');
    };
    return { a, b, aliceCall, bobCall, chat, host, doc, notes, ringer, tones, alerts, until };
  }

  it('an incoming call rings, notifies (tab hidden), titles the page and is announced; answering stops it all', async () => {
    const s = await setup();
    await s.bobCall.call('alice@localhost', { audio: true, video: true });
    await s.until(() => s.aliceCall.state === 'ringing');
    expect(s.ringer.ringing).toBe(true);
    expect(s.doc.title).toBe('Incoming call: Bob');
    expect(s.alerts.urgent).toBe('Incoming video call from Bob');
    expect(s.notes.shown).toEqual([{ title: 'Incoming video call', body: 'Bob is calling you', closed: false }]);
    s.aliceCall.accept();
    await s.until(() => s.aliceCall.state !== 'ringing');
    expect(s.ringer.ringing).toBe(false);
    expect(s.alerts.urgent).toBe('');
    expect(s.tones[0]!.closed).toBe(true);
    expect(s.notes.shown[0]!.closed).toBe(true);
    expect(s.doc.title).toBe('Jingle Gateway');
    s.aliceCall.hangUp();
  });

  it('stops ringing on decline, and when the caller gives up', async () => {
    const s = await setup();
    await s.bobCall.call('alice@localhost', { audio: true, video: false });
    await s.until(() => s.aliceCall.state === 'ringing');
    expect(s.alerts.urgent).toBe('Incoming audio call from Bob');
    s.aliceCall.decline();
    await s.until(() => !s.ringer.ringing);
    expect(s.doc.title).toBe('Jingle Gateway');
    await s.until(() => s.bobCall.state === 'ended');
    await s.bobCall.call('alice@localhost', { audio: true, video: false });
    await s.until(() => s.aliceCall.state === 'ringing' && s.ringer.ringing);
    s.bobCall.hangUp();
    await s.until(() => !s.ringer.ringing);
    expect(s.aliceCall.state).toBe('ended');
  });

  it('announces and notifies a new message, with the unread count in the title', async () => {
    const s = await setup();
    await s.b.send(parseXml(`<message type='chat' to='alice@localhost' id='n1'><body>Are you there?</body></message>`));
    expect(s.alerts.announcement).toBe('New message from Bob');
    expect(s.doc.title).toBe('(1) Jingle Gateway');
    expect(s.notes.shown.at(-1)).toMatchObject({ title: 'Bob', body: 'Are you there?' });
    s.chat.open('bob@localhost');
    expect(s.doc.title).toBe('Jingle Gateway');
  });

  it('announces and notifies a missed call once', async () => {
    const s = await setup();
    const t = Date.now() + 1000;
    s.bobCall.stop();
    s.chat.recordCall({ sid: 'mc1', peer: 'bob@localhost', direction: 'incoming', media: { audio: true, video: false }, test: false,
      startedAt: t, endedAt: t + 1, reason: { condition: 'cancel', by: 'peer' }, missed: true });
    expect(s.alerts.announcement).toBe('Missed call from Bob');
    expect(s.notes.shown.filter((n) => n.title === 'Missed call from Bob')).toHaveLength(1);
    s.host.requestUpdate();
    expect(s.notes.shown.filter((n) => n.title === 'Missed call from Bob')).toHaveLength(1);
  });
});
