// @vitest-environment happy-dom
// <jg-call> rendered in happy-dom, two of them on a FakeNetwork with FakeMedia: the buttons of each
// state, the state text and data-state, the quality figures, and Accept / Decline / Hang up / Mute; what
// it says while the server connection is lost, and why a call ended when it could not survive that.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeMedia } from '../../client/rtc/fake.ts';
import type { FakeLink, FakeNetwork } from '../../client/xmpp/fake-link.ts';
import '../../client/elements/call.ts';
import type { JgCall } from '../../client/elements/call.ts';
import { BOOK, QuietServerNetwork } from './client-call.fixture.ts';

afterEach(() => {
  document.body.replaceChildren();
});

async function mount(net: FakeNetwork, jid: string, peer: string): Promise<JgCall> {
  const el = document.createElement('jg-call');
  el.createMedia = new FakeMedia().create;
  el.link = net.link(jid);
  el.roster = BOOK; // calls ring for contacts only
  el.peer = peer;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const buttons = (el: JgCall): string[] => [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim());
const click = (el: JgCall, name: string): void => {
  const b = [...el.shadowRoot!.querySelectorAll('button')].find((x) => x.textContent!.trim() === name);
  if (!b) throw new Error(`no ${name} button in ${buttons(el).join(', ')}`);
  b.click();
};
const q = (el: JgCall, sel: string): Element | null => el.shadowRoot!.querySelector(sel);
const text = (el: JgCall, sel: string): string => q(el, sel)?.textContent?.trim().replace(/\s+/g, ' ') ?? '';
const status = (el: JgCall): string => el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();

async function until(el: JgCall[], cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) {
    await new Promise((r) => setTimeout(r, 2));
    await Promise.all(el.map((e) => e.updateComplete));
  }
  await Promise.all(el.map((e) => e.updateComplete));
  if (!cond()) throw new Error('condition not met');
}

describe('<jg-call>', () => {
  it('calls, rings, accepts, shows quality, mutes and hangs up', async () => {
    const net = new QuietServerNetwork();
    const alice = await mount(net, 'alice@localhost/web', 'bob@localhost');
    const bob = await mount(net, 'bob@localhost/web', '');
    expect(buttons(alice)).toEqual(['Audio call', 'Video call', 'Test call']);
    expect(alice.dataset.state).toBe('idle');
    expect(buttons(bob).slice(0, 2).every((_, i) => bob.shadowRoot!.querySelectorAll('button')[i]!.disabled)).toBe(true);

    click(alice, 'Video call');
    await until([alice, bob], () => bob.dataset.state === 'ringing');
    expect(status(bob)).toBe('ringing: incoming video call from alice@localhost');
    expect(buttons(bob)).toEqual(['Accept', 'Decline']);
    expect(alice.dataset.state).toBe('proposing');

    click(bob, 'Accept');
    await until([alice, bob], () => alice.dataset.state === 'connected' && bob.dataset.state === 'connected');
    expect(status(alice)).toBe('connected with bob@localhost');
    expect(buttons(alice)).toEqual(['Hang up', 'Mute', 'Camera off', 'Details']);
    expect(alice.shadowRoot!.querySelectorAll('video')).toHaveLength(2);
    // A video call shows the videos, no placeholder; figures only behind "Details"; the path in words.
    expect(alice.shadowRoot!.querySelector('[data-placeholder]')).toBeNull();
    expect(alice.shadowRoot!.querySelector('[data-stat]')).toBeNull();
    await until([alice], () => q(alice, '[data-test="call-path"]') !== null);
    expect(text(alice, '[data-test="call-path"]')).toBe('Direct');
    expect(text(alice, '[data-test="call-timer"]')).toMatch(/^0:0\d$/);
    click(alice, 'Details');
    await alice.updateComplete;
    expect(q(alice, 'button[aria-expanded="true"]')).not.toBeNull();
    await until([alice], () => Number(q(alice, '[data-stat="bytes-received"]')?.getAttribute('data-value') ?? 0) > 0);
    expect(text(alice, '[data-stat="path"]')).toContain('Direct');
    expect(q(alice, '[data-test="self-muted"]')).toBeNull();

    click(alice, 'Mute');
    await until([alice, bob], () => status(bob).includes('muted'));
    expect(buttons(alice)).toContain('Unmute');
    expect(text(alice, '[data-test="self-muted"]')).toBe('You are muted');
    expect(status(bob)).toBe('connected with alice@localhost (they: muted)');
    click(alice, 'Camera off');
    await until([alice, bob], () => buttons(alice).includes('Camera on') && status(bob).includes('camera off'));
    // Camera off on either side: a placeholder instead of a frozen frame.
    expect(text(alice, '[data-placeholder="local"]')).toContain('Your camera is off');
    expect(q(alice, 'video.local')?.classList.contains('covered')).toBe(true);
    expect(text(bob, '[data-placeholder="remote"]')).toContain('Camera off');
    expect(text(bob, '[data-placeholder="remote"] .avatar')).toBe('A');
    expect(q(bob, 'video.remote')?.classList.contains('covered')).toBe(true);

    click(alice, 'Hang up');
    await until([alice, bob], () => bob.dataset.state === 'ended');
    expect(status(bob)).toBe('Call ended: alice@localhost hung up');
    expect(status(alice)).toBe('Call ended: You hung up');
    expect(bob.shadowRoot!.querySelector('[data-reason]')!.getAttribute('data-reason')).toBe('success');
    expect(buttons(bob)).toEqual(['Audio call', 'Video call', 'Test call']);
  });

  it('audio call: initials instead of video boxes, and the names the app gives', async () => {
    const net = new QuietServerNetwork();
    const alice = await mount(net, 'alice@localhost/web', 'bob@localhost');
    const bob = await mount(net, 'bob@localhost/web', 'alice@localhost');
    bob.nameOf = (jid) => (jid === 'alice@localhost' ? 'Alice Liddell' : jid);
    alice.nameOf = (jid) => (jid === 'bob@localhost' ? 'Bob' : jid);
    click(alice, 'Audio call');
    await until([alice, bob], () => bob.dataset.state === 'ringing');
    expect(status(bob)).toBe('ringing: incoming audio call from Alice Liddell');
    click(bob, 'Accept');
    await until([alice, bob], () => alice.dataset.state === 'connected' && bob.dataset.state === 'connected');
    expect(text(alice, '[data-placeholder="remote"] .avatar')).toBe('B');
    expect(text(alice, '[data-placeholder="remote"] .name')).toBe('Bob');
    expect(text(bob, '[data-placeholder="remote"] .avatar')).toBe('AL');
    expect(q(alice, '.local-box')?.hasAttribute('hidden')).toBe(true);
    expect(q(alice, 'video.remote')?.classList.contains('covered')).toBe(true);
    expect(buttons(alice)).toEqual(['Hang up', 'Mute', 'Details']);
    click(alice, 'Hang up');
    await until([alice, bob], () => bob.dataset.state === 'ended');
    expect(q(bob, '.stage')).toBeNull();
  });

  it('call buttons are disabled with a reason while the server connection is down', async () => {
    const net = new QuietServerNetwork();
    const alice = await mount(net, 'alice@localhost/web', 'bob@localhost');
    const link = alice.link as FakeLink;
    link.drop();
    alice.requestUpdate();
    await alice.updateComplete;
    const all = [...alice.shadowRoot!.querySelectorAll('button')];
    expect(all.map((b) => b.disabled)).toEqual([true, true, true]);
    expect(text(alice, '#why')).toContain('connection to the server');
    expect(all[0]!.getAttribute('aria-describedby')).toBe('why');
    link.reconnect('alice@localhost/web');
    alice.requestUpdate();
    await alice.updateComplete;
    expect([...alice.shadowRoot!.querySelectorAll('button')].map((b) => b.disabled)).toEqual([false, false, false]);
    expect(q(alice, '#why')).toBeNull();
  });

  it('declines, and shows why a call cannot start', async () => {
    const net = new QuietServerNetwork();
    const alice = await mount(net, 'alice@localhost/web', 'bob@localhost');
    const bob = await mount(net, 'bob@localhost/web', 'alice@localhost');
    click(alice, 'Audio call');
    await until([alice, bob], () => bob.dataset.state === 'ringing');
    expect(status(bob)).toContain('incoming audio call');
    // Ringing and audio-only: the caller's initials and name, no video box.
    expect(text(bob, '[data-placeholder="remote"] .avatar')).toBe('A');
    expect(text(bob, '[data-placeholder="remote"] .name')).toBe('alice@localhost');
    click(bob, 'Decline');
    await until([alice, bob], () => alice.dataset.state === 'ended');
    expect(status(alice)).toBe('Call ended: bob@localhost declined');
    expect(status(bob)).toBe('Call ended: You declined');
    // No component on this server: the test call says so.
    click(alice, 'Test call');
    await until([alice], () => alice.shadowRoot!.querySelector('[role="alert"]') !== null);
    expect(alice.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('no Jingle Gateway component');
  });

  it('says the server connection is lost while the call goes on, and why the call ended when it could not go on', async () => {
    const net = new QuietServerNetwork();
    const alice = await mount(net, 'alice@localhost/web', 'bob@localhost');
    const bob = await mount(net, 'bob@localhost/web', 'alice@localhost');
    const note = () => alice.shadowRoot!.querySelector('[data-note="server-lost"]')?.textContent ?? '';
    click(alice, 'Audio call');
    await until([alice, bob], () => bob.dataset.state === 'ringing');
    click(bob, 'Accept');
    await until([alice, bob], () => alice.dataset.state === 'connected');
    expect(note()).toBe('');
    const link = alice.link as FakeLink;
    link.drop();
    await until([alice], () => note() !== '');
    expect(note()).toContain('reconnecting');
    expect(alice.dataset.state).toBe('connected');
    link.reconnect('alice@localhost/other');
    await until([alice], () => alice.dataset.state === 'ended');
    expect(note()).toBe('');
    expect(status(alice)).toBe('Call ended: Connection failed: back on the server under another address, which the other side does not know');
  });
});

describe('<jg-call>: whether the contact can ring', () => {
  it('says when the contact is offline, or why it cannot tell, next to the call buttons', async () => {
    const net = new QuietServerNetwork();
    const alice = await mount(net, 'alice@localhost/web', 'bob@localhost');
    alice.nameOf = () => 'Bob';
    alice.reachability = () => ({ state: 'offline', reason: 'offline' });
    await alice.updateComplete;
    expect(text(alice, '[data-test="unreachable"]')).toBe('Bob is offline: a call cannot ring now; they will see it as a missed call.');
    const audio = alice.shadowRoot!.querySelector('button')!;
    expect(audio.disabled).toBe(false);
    expect(audio.getAttribute('aria-describedby')).toBe('why');
    alice.reachability = () => ({ state: 'unknown', reason: 'they do not share their presence with you' });
    await alice.updateComplete;
    expect(text(alice, '[data-test="unreachable"]')).toBe('Bob may not get the call: they do not share their presence with you.');
    alice.reachability = () => ({ state: 'online', reason: undefined });
    await alice.updateComplete;
    expect(q(alice, '[data-test="unreachable"]')).toBeNull();
    expect(alice.shadowRoot!.querySelector('button')!.hasAttribute('aria-describedby')).toBe(false);
  });
});
