// @vitest-environment happy-dom
// The app shell's Lit elements rendered in happy-dom: <jg-login>, <jg-contacts> over a RosterController
// on a FakeLink, and <jg-app> (login form when offline; contacts, chat and call views when online).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LitElement, html } from 'lit';
import { RosterController } from '../../client/controllers/roster.ts';
import { FakeLink } from '../../client/xmpp/fake-link.ts';
import { CLIENT_NS } from '../../client/xmpp/ns.ts';
import { x } from '../../client/xmpp/xml.ts';
import type { LoginDetail } from '../../client/elements/login.ts';
import '../../client/elements/app.ts';

async function mount<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}): Promise<HTMLElementTagNameMap[K]> {
  const el = document.createElement(tag);
  Object.assign(el, props);
  document.body.append(el);
  await (el as unknown as LitElement).updateComplete;
  return el;
}

const shadow = (el: Element): ShadowRoot => {
  if (el.shadowRoot === null) throw new Error(`${el.tagName} has no shadow root`);
  return el.shadowRoot;
};

function rosterOn(link: FakeLink): RosterController {
  const roster = new RosterController(undefined, link);
  const id = String(link.sent.at(-1)?.attrs.id);
  link.deliver(x('iq', { type: 'result', id }, x('query', { xmlns: CLIENT_NS.roster },
    x('item', { jid: 'bob@localhost', subscription: 'both', name: '<img src=x onerror=alert(1)>' }),
    x('item', { jid: 'carol@localhost', subscription: 'none', ask: 'subscribe' }))));
  return roster;
}

afterEach(() => { document.body.replaceChildren(); });

describe('<jg-login>', () => {
  it('dispatches what was typed, shows errors as text, disables the button while busy', async () => {
    const login = await mount('jg-login');
    const root = shadow(login);
    const set = (name: string, value: string): void => { (root.querySelector(`input[name="${name}"]`) as HTMLInputElement).value = value; };
    set('jid', ' alice@localhost ');
    set('password', 'pw');
    set('service', 'ws://127.0.0.1:5280/xmpp-websocket');
    const got: LoginDetail[] = [];
    login.addEventListener('login-submit', (e) => got.push(e.detail));
    (root.querySelector('form') as HTMLFormElement).requestSubmit();
    expect(got).toEqual([{ jid: 'alice@localhost', password: 'pw', service: 'ws://127.0.0.1:5280/xmpp-websocket' }]);
    expect(root.querySelector('summary')?.textContent).toBe('Advanced');

    login.error = '<b>Wrong address or password.</b>';
    login.busy = true;
    await login.updateComplete;
    expect(root.querySelector('[role="alert"]')?.textContent).toBe('<b>Wrong address or password.</b>');
    expect(root.querySelector('b')).toBeNull();
    expect((root.querySelector('button') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('<jg-contacts>', () => {
  it('lists contacts with presence, as text, and follows roster changes', async () => {
    const link = new FakeLink(undefined, 'alice@localhost/web');
    const roster = rosterOn(link);
    await roster.ready;
    const contacts = await mount('jg-contacts', { roster });
    const root = shadow(contacts);
    const rows = (): HTMLElement[] => [...root.querySelectorAll<HTMLElement>('li[data-jid]')];
    expect(rows().map((r) => [r.dataset.jid, r.dataset.show])).toEqual([['bob@localhost', 'offline'], ['carol@localhost', 'offline']]);
    expect(root.querySelector('img')).toBeNull();
    expect(rows()[0]?.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(rows()[1]?.textContent).toContain('awaiting approval');

    link.deliver(x('presence', { from: 'bob@localhost/phone' }, x('show', {}, 'dnd')));
    await contacts.updateComplete;
    expect(rows()[0]?.dataset.show).toBe('dnd');
    expect(rows()[0]?.dataset.online).toBe('true');
    expect(rows()[0]?.querySelector('.dot')?.getAttribute('aria-label')).toBe('busy');
  });

  it('accepts and refuses requests, adds, removes and selects', async () => {
    const link = new FakeLink(undefined, 'alice@localhost/web');
    const roster = rosterOn(link);
    await roster.ready;
    link.deliver(x('presence', { from: 'dave@localhost', type: 'subscribe' }));
    link.deliver(x('presence', { from: 'eve@localhost', type: 'subscribe' }));
    const contacts = await mount('jg-contacts', { roster });
    const root = shadow(contacts);
    const button = (scope: ParentNode, text: string): HTMLButtonElement => {
      const b = [...scope.querySelectorAll('button')].find((e) => e.textContent?.trim() === text);
      if (b === undefined) throw new Error(`no button ${text}`);
      return b;
    };
    link.sent.length = 0;
    button(root.querySelector('li[data-request="dave@localhost"]') as Element, 'Accept').click();
    button(root.querySelector('li[data-request="eve@localhost"]') as Element, 'Refuse').click();
    await vi.waitFor(() => expect(link.sent.map((s) => `${s.attrs.type} ${s.attrs.to}`).sort()).toEqual([
      'subscribe dave@localhost', 'subscribed dave@localhost', 'unsubscribed eve@localhost']));
    await contacts.updateComplete;
    expect(root.querySelector('li[data-request]')).toBeNull();

    link.sent.length = 0;
    (root.querySelector('input[name="contact"]') as HTMLInputElement).value = 'frank@localhost';
    (root.querySelector('form') as HTMLFormElement).requestSubmit();
    expect(link.sent.at(-1)?.getChild('query')?.getChild('item')?.attrs.jid).toBe('frank@localhost');

    link.sent.length = 0;
    (root.querySelector('li[data-jid="carol@localhost"] button[aria-label="Remove carol@localhost"]') as HTMLButtonElement).click();
    expect(link.sent.at(-1)?.getChild('query')?.getChild('item')?.attrs.subscription).toBe('remove');

    const selected: string[] = [];
    contacts.addEventListener('contact-select', (e) => selected.push(e.detail.jid));
    (root.querySelector('li[data-jid="bob@localhost"] button.pick') as HTMLButtonElement).click();
    expect(selected).toEqual(['bob@localhost']);

    (root.querySelector('input[name="contact"]') as HTMLInputElement).value = 'bob@localhost/phone';
    (root.querySelector('form') as HTMLFormElement).requestSubmit();
    await vi.waitFor(() => expect(root.querySelector('[role="alert"]')?.textContent).toContain('without "/phone"'));
  });
});

describe('<jg-app>', () => {
  it('shows the login form offline and logs in with what the form gives', async () => {
    const app = await mount('jg-app', { service: 'ws://configured/ws' });
    expect(app.getAttribute('status')).toBe('offline');
    const login = shadow(app).querySelector('jg-login');
    expect(login).not.toBeNull();
    const spy = vi.spyOn(app.connection, 'login').mockResolvedValue(undefined);
    login?.dispatchEvent(new CustomEvent('login-submit', { detail: { jid: 'alice@localhost', password: 'pw', service: '' }, bubbles: true, composed: true }));
    expect(spy).toHaveBeenCalledWith({ jid: 'alice@localhost', password: 'pw', service: 'ws://configured/ws' });
  });

  it('online: contacts beside the chat and call views, which get the selected contact', async () => {
    class FakeChat extends LitElement {
      static override properties = { peer: { type: String }, link: { attribute: false }, roster: { attribute: false } };
      declare peer: string;
      override render() { return html`chat with ${this.peer}`; }
    }
    if (!customElements.get('jg-chat')) customElements.define('jg-chat', FakeChat);
    const app = await mount('jg-app');
    (app.connection as unknown as { jid: string }).jid = 'alice@localhost/web';
    (app.connection as unknown as { setStatus(s: string): void }).setStatus('online');
    await app.updateComplete;
    expect(app.getAttribute('status')).toBe('online');
    const root = shadow(app);
    expect(root.querySelector('jg-login')).toBeNull();
    const contacts = root.querySelector('jg-contacts');
    expect(contacts?.roster).toBe(app.roster);
    expect(root.querySelector('jg-call')).toBeNull(); // not defined in this test
    const chat = root.querySelector('jg-chat') as FakeChat;
    expect(chat.peer).toBe('');
    contacts?.dispatchEvent(new CustomEvent('contact-select', { detail: { jid: 'bob@localhost' }, bubbles: true, composed: true }));
    await app.updateComplete;
    expect(app.selected).toBe('bob@localhost');
    expect(chat.peer).toBe('bob@localhost');
    expect((chat as unknown as { link: unknown }).link).toBe(app.connection);
    expect(root.querySelector('header')?.textContent).toContain('alice@localhost');
  });
});
