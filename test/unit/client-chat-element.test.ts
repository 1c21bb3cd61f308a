// @vitest-environment happy-dom
// <jg-chat> rendered in happy-dom over ChatControllers on a FakeNetwork: bodies are text, never
// markup; the form sends; receipts and the contact's chat state show up.
import { afterEach, describe, expect, it } from 'vitest';
import type { Element as XmlElement } from 'ltx';
import { parseXml } from '../../schemas/xml-text.ts';
import { FakeNetwork, type FakeLink } from '../../client/xmpp/fake-link.ts';
import { ChatController } from '../../client/controllers/chat.ts';
import { CHAT_NS } from '../../client/controllers/chat-stanzas.ts';
import '../../client/elements/chat.ts';
import type { JgChat } from '../../client/elements/chat.ts';

const ALICE = 'alice@localhost/web';
const BOB = 'bob@localhost/web';

/** Iq get/set to a server or an account get an empty result, as from a server that offers nothing. */
class QuietServerNetwork extends FakeNetwork {
  override route(stanza: XmlElement): void {
    const { type, to = '', from, id } = stanza.attrs as Record<string, string | undefined>;
    if (stanza.name === 'iq' && (type === 'get' || type === 'set') && !to.includes('/')) {
      this.links.get(String(from))?.deliver(parseXml(`<iq type='result' id='${id}' to='${from}'/>`));
      return;
    }
    super.route(stanza);
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  document.body.replaceChildren();
});

function twoUsers(): { a: FakeLink; b: FakeLink; alice: ChatController; bob: ChatController } {
  const net = new QuietServerNetwork();
  const [a, b] = [net.link(ALICE), net.link(BOB)];
  const [alice, bob] = [new ChatController(a), new ChatController(b)];
  cleanups.push(() => { alice.stop(); bob.stop(); });
  return { a, b, alice, bob };
}

function twoLinks(): { a: FakeLink; b: FakeLink } {
  const net = new QuietServerNetwork();
  return { a: net.link(ALICE), b: net.link(BOB) };
}

async function mount(setUp: (el: JgChat) => void): Promise<JgChat> {
  const el = document.createElement('jg-chat');
  setUp(el);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const items = (el: JgChat): HTMLElement[] => [...el.shadowRoot!.querySelectorAll<HTMLElement>('li[part="message"]')];

describe('<jg-chat>', () => {
  it('renders a body as literal text: markup in it creates no element', async () => {
    const { b, alice } = twoUsers();
    const el = await mount((e) => { e.controller = alice; e.contact = 'bob@localhost'; });
    const evil = '<img src=x onerror=alert(1)>';
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='e1'><body>&lt;img src=x onerror=alert(1)&gt;</body></message>`));
    await el.updateComplete;
    const [li] = items(el);
    expect(li?.dataset.direction).toBe('in');
    const body = li!.querySelector('.body')!;
    expect(body.textContent).toBe(evil);
    expect(body.children).toHaveLength(0);
    expect(el.shadowRoot!.querySelector('img')).toBeNull();
    expect(el.shadowRoot!.innerHTML).not.toContain('<img');
  });

  it('sends from the form; the receipt shows as delivered', async () => {
    const { alice, bob } = twoUsers();
    const el = await mount((e) => { e.controller = alice; e.contact = 'bob@localhost'; });
    const textarea = el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea[name="message"]')!;
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    expect(button.textContent?.trim()).toBe('Send');
    expect(button.disabled).toBe(true);
    textarea.value = 'Hello <b>Bob</b>';
    textarea.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(button.disabled).toBe(false);
    button.click();
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    expect(bob.view('alice@localhost').messages.map((m) => m.body)).toEqual(['Hello <b>Bob</b>']);
    const [li] = items(el);
    expect(li?.dataset).toMatchObject({ direction: 'out', state: 'delivered' });
    const receipt = li!.querySelector<HTMLElement>('.receipt')!;
    expect(receipt.dataset.state).toBe('delivered');
    expect(receipt.textContent).toContain('✓ delivered');
    expect(textarea.value).toBe('');
  });

  it("shows the contact's chat state", async () => {
    const { b, alice } = twoUsers();
    const el = await mount((e) => { e.controller = alice; e.contact = 'bob@localhost'; });
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><composing xmlns='${CHAT_NS.chatStates}'/></message>`));
    await el.updateComplete;
    const state = el.shadowRoot!.querySelector<HTMLElement>('[part="state"]')!;
    expect(state.dataset.state).toBe('composing');
    expect(state.textContent).toBe('typing…');
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='m2'><body>done</body><active xmlns='${CHAT_NS.chatStates}'/></message>`));
    await el.updateComplete;
    expect(state.dataset.state).toBe('');
  });

  it("works with the app shell's placeholder: .link, .roster, .peer", async () => {
    const { a, b } = twoLinks();
    const roster = { contact: (jid: string) => (jid === 'bob@localhost' ? { jid, name: 'Bob', subscription: 'both' } : undefined) };
    const el = await mount((e) => {
      e.link = a;
      e.roster = roster as unknown as JgChat['roster'];
      e.peer = 'bob@localhost';
    });
    expect(el.chat).toBeInstanceOf(ChatController);
    expect(el.shadowRoot!.querySelector('h2')?.textContent).toBe('Bob');
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='p1'><body>hi</body><request xmlns='urn:xmpp:receipts'/></message>`));
    await el.updateComplete;
    expect(items(el).map((li) => li.querySelector('.body')?.textContent)).toEqual(['hi']);
    expect(el.chat!.view('bob@localhost').unread).toBe(0);  // the open chat
    // Bob may see alice's presence (subscription both): he gets his receipt.
    expect(a.sent.filter((s) => s.getChild('received', CHAT_NS.receipts)).map((s) => s.attrs.to)).toEqual([BOB]);
    el.remove();  // the element's own controller stops with it
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='p2'><body>gone?</body></message>`));
    expect(el.chat!.view('bob@localhost').messages).toHaveLength(1);
  });

  it('keeps a draft per contact and renders nothing without a contact', async () => {
    const { alice } = twoUsers();
    const el = await mount((e) => { e.controller = alice; e.contact = 'bob@localhost'; });
    const textarea = (): HTMLTextAreaElement => el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
    textarea().value = 'half a thought';
    textarea().dispatchEvent(new Event('input'));
    el.contact = 'carol@localhost';
    await el.updateComplete;
    expect(textarea().value).toBe('');
    el.contact = 'bob@localhost';
    await el.updateComplete;
    expect(textarea().value).toBe('half a thought');
    el.contact = '';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('section')).toBeNull();
    expect(alice.openChat).toBeUndefined();
  });
});

describe('<jg-chat>: limits, connection, links', () => {
  const type = async (el: JgChat, text: string): Promise<void> => {
    const textarea = el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
    textarea.value = text;
    textarea.dispatchEvent(new Event('input'));
    await el.updateComplete;
  };
  const sendButton = (el: JgChat): HTMLButtonElement => el.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!;

  it('shows the limit as you type and refuses longer text with a message, never cutting it', async () => {
    const { alice, bob } = twoUsers();
    const el = await mount((e) => { e.controller = alice; e.contact = 'bob@localhost'; });
    const textarea = el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
    expect(textarea.hasAttribute('maxlength')).toBe(false); // the browser would cut a paste silently
    await type(el, 'x'.repeat(9_950));
    expect(el.shadowRoot!.querySelector('[data-test="limit"]')?.textContent?.trim()).toBe('9,950 / 10,000');
    expect(sendButton(el).disabled).toBe(false);
    await type(el, 'x'.repeat(10_050));
    expect(el.shadowRoot!.querySelector('[data-test="limit"]')?.textContent?.trim()).toBe('10,050 / 10,000');
    expect(el.shadowRoot!.querySelector('[data-test="too-long"]')?.textContent).toBe('Too long by 50 characters: a message can have up to 10,000.');
    expect(sendButton(el).disabled).toBe(true);
    expect(textarea.value).toHaveLength(10_050);
    el.shadowRoot!.querySelector('form')!.requestSubmit(); // Enter: refused too
    await el.updateComplete;
    expect(bob.view('alice@localhost').messages).toHaveLength(0);
    expect(textarea.value).toHaveLength(10_050);
  });

  it('disables Send with the reason while offline; the "not connected" error goes when the connection is back', async () => {
    const { a } = twoLinks();
    const el = await mount((e) => { e.link = a; e.peer = 'bob@localhost'; });
    await type(el, 'hello');
    a.drop();
    await el.updateComplete;
    expect(sendButton(el).disabled).toBe(true);
    expect(el.shadowRoot!.querySelector('#why')?.textContent).toContain('Not connected');
    // A send that failed for want of a connection (e.g. the link dropped while sending).
    (el as unknown as { error: string }).error = 'not connected';
    (el as unknown as { errorCondition: string }).errorCondition = 'offline';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe('not connected');
    a.reconnect();
    await el.updateComplete;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')).toBeNull();
    expect(el.shadowRoot!.querySelector('#why')).toBeNull();
    expect(sendButton(el).disabled).toBe(false);
  });

  it('makes http(s) links clickable, from text only', async () => {
    const { b, alice } = twoUsers();
    const el = await mount((e) => { e.controller = alice; e.contact = 'bob@localhost'; });
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='l1'><body>See https://example.com/a?b=1&amp;c=2. Or (http://x.org/y) not javascript:alert(1) nor &lt;a href="https://evil"&gt;x&lt;/a&gt;</body></message>`));
    await el.updateComplete;
    const links = [...el.shadowRoot!.querySelectorAll('li .body a')] as HTMLAnchorElement[];
    expect(links.map((l) => [l.getAttribute('href'), l.textContent])).toEqual([
      ['https://example.com/a?b=1&c=2', 'https://example.com/a?b=1&c=2'], ['http://x.org/y', 'http://x.org/y'], ['https://evil/', 'https://evil']]);
    expect(links.every((l) => l.rel === 'noopener noreferrer' && l.target === '_blank')).toBe(true);
    expect(el.shadowRoot!.querySelector('li .body')!.textContent).toBe('See https://example.com/a?b=1&c=2. Or (http://x.org/y) not javascript:alert(1) nor <a href="https://evil">x</a>');
  });
});

describe('<jg-chat>: calls in the conversation', () => {
  it('shows each call as an entry in words, a missed one marked', async () => {
    const { alice } = twoUsers();
    const el = await mount((e) => { e.controller = alice; e.contact = 'bob@localhost'; });
    const t = Date.now();
    alice.recordCall({ sid: 's1', peer: 'bob@localhost', direction: 'outgoing', media: { audio: true, video: false }, test: false,
      startedAt: t - 130_000, connectedAt: t - 125_000, endedAt: t, reason: { condition: 'success', by: 'us' }, missed: false });
    alice.recordCall({ sid: 's2', peer: 'bob@localhost', direction: 'incoming', media: { audio: true, video: true }, test: false,
      startedAt: t, endedAt: t + 1000, reason: { condition: 'cancel', by: 'peer' }, missed: true });
    await el.updateComplete;
    const calls = [...el.shadowRoot!.querySelectorAll<HTMLElement>('li.call')];
    expect(calls.map((li) => [li.dataset.call, li.querySelector('.body')!.textContent])).toEqual([
      ['answered', '↗ Outgoing call, 2:05'], ['missed', '✆ Missed video call']]);
  });
});
