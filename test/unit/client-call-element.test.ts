// @vitest-environment happy-dom
// <jg-call> rendered in happy-dom, two of them on a FakeNetwork with FakeMedia: the buttons of each
// state, the state text and data-state, the quality figures, and Accept / Decline / Hang up / Mute; what
// it says while the server connection is lost, and why a call ended when it could not survive that.
import { afterEach, describe, expect, it } from 'vitest';
import type { Element as XmlElement } from 'ltx';
import { parseXml } from '../../schemas/xml-text.ts';
import { FakeMedia } from '../../client/rtc/fake.ts';
import { FakeNetwork, type FakeLink } from '../../client/xmpp/fake-link.ts';
import '../../client/elements/call.ts';
import type { JgCall } from '../../client/elements/call.ts';

/** Iq get/set to a server get an empty result (no extdisco, no items), as from a bare server. */
class QuietServerNetwork extends FakeNetwork {
  override route(stanza: XmlElement): void {
    const { type, to = '', from, id } = stanza.attrs as Record<string, string | undefined>;
    if (stanza.name === 'iq' && (type === 'get' || type === 'set') && !to.includes('@')) {
      this.links.get(String(from))?.deliver(parseXml(`<iq type='result' id='${id}' to='${from}'/>`));
      return;
    }
    super.route(stanza);
  }
}

afterEach(() => {
  document.body.replaceChildren();
});

async function mount(net: FakeNetwork, jid: string, peer: string): Promise<JgCall> {
  const el = document.createElement('jg-call');
  el.createMedia = new FakeMedia().create;
  el.link = net.link(jid);
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
    expect(buttons(alice)).toEqual(['Hang up', 'Mute', 'Camera off']);
    expect(alice.shadowRoot!.querySelectorAll('video')).toHaveLength(2);
    await until([alice], () => Number(alice.shadowRoot!.querySelector('[data-stat="bytes-received"]')?.textContent ?? 0) > 0);

    click(alice, 'Mute');
    await until([alice, bob], () => status(bob).includes('muted'));
    expect(buttons(alice)).toContain('Unmute');
    expect(status(bob)).toBe('connected with alice@localhost (they: muted)');
    click(alice, 'Camera off');
    await until([alice, bob], () => buttons(alice).includes('Camera on') && status(bob).includes('camera off'));

    click(alice, 'Hang up');
    await until([alice, bob], () => bob.dataset.state === 'ended');
    expect(status(bob)).toBe('ended: hung up');
    expect(bob.shadowRoot!.querySelector('[data-reason]')!.getAttribute('data-reason')).toBe('success');
    expect(buttons(bob)).toEqual(['Audio call', 'Video call', 'Test call']);
  });

  it('declines, and shows why a call cannot start', async () => {
    const net = new QuietServerNetwork();
    const alice = await mount(net, 'alice@localhost/web', 'bob@localhost');
    const bob = await mount(net, 'bob@localhost/web', 'alice@localhost');
    click(alice, 'Audio call');
    await until([alice, bob], () => bob.dataset.state === 'ringing');
    expect(status(bob)).toContain('incoming audio call');
    click(bob, 'Decline');
    await until([alice, bob], () => alice.dataset.state === 'ended');
    expect(status(alice)).toBe('ended: declined');
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
    expect(status(alice)).toBe('ended: connection failed (back on the server under another address, which the other side does not know)');
  });
});
