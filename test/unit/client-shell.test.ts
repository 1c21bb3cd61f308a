// @vitest-environment happy-dom
// The app shell's Lit elements rendered in happy-dom: <jg-login>, <jg-contacts> over a RosterController
// on a FakeLink, and <jg-app> (login form when offline; contacts, chat and call views when online).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LitElement } from 'lit';
import { RosterController } from '../../client/controllers/roster.ts';
import { FakeLink } from '../../client/xmpp/fake-link.ts';
import { CLIENT_NS } from '../../client/xmpp/ns.ts';
import { x } from '../../client/xmpp/xml.ts';
import { ChatController } from '../../client/controllers/chat.ts';
import { LoginMemory } from '../../client/controllers/login-memory.ts';
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
    login.errorDetail = 'not-authorized: SASL failure';
    await login.updateComplete;
    expect(root.querySelector('[role="alert"]')?.textContent).toBe('<b>Wrong address or password.</b>');
    expect(root.querySelector('[role="alert"]')?.getAttribute('title')).toBe('not-authorized: SASL failure');
    expect(root.querySelector('[data-test="error-detail"]')?.textContent).toBe('not-authorized: SASL failure');
    expect(root.querySelector('b')).toBeNull();
    const submit = root.querySelector('button[type="submit"]') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect(submit.textContent).toBe('Logging in…');
    login.busy = false;
    await login.updateComplete;
    expect(submit.textContent).toBe('Log in');
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

    // Removing asks first, in the row; Cancel (focused) and Escape keep the contact.
    link.sent.length = 0;
    const removeButton = (): HTMLButtonElement => root.querySelector('li[data-jid="carol@localhost"] button[aria-label="Remove carol@localhost"]') as HTMLButtonElement;
    removeButton().click();
    await contacts.updateComplete;
    const dialog = root.querySelector('li[data-jid="carol@localhost"] [role="alertdialog"]') as HTMLElement;
    expect(dialog.textContent).toContain('Remove carol@localhost from your contacts?');
    expect(link.sent).toHaveLength(0);
    await vi.waitFor(() => expect(root.activeElement?.textContent).toBe('Cancel'));
    button(dialog, 'Cancel').click();
    await contacts.updateComplete;
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    removeButton().click();
    await contacts.updateComplete;
    root.querySelector('[role="alertdialog"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await contacts.updateComplete;
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    expect(link.sent).toHaveLength(0);
    removeButton().click();
    await contacts.updateComplete;
    button(root.querySelector('[role="alertdialog"]')!, 'Remove carol@localhost').click();
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

  it('online: contacts beside the call and chat views, which share the app\'s controllers and get the selected contact', async () => {
    const app = await mount('jg-app');
    goOnline(app);
    await app.updateComplete;
    expect(app.getAttribute('status')).toBe('online');
    const root = shadow(app);
    expect(root.querySelector('jg-login')).toBeNull();
    const contacts = root.querySelector('jg-contacts');
    expect(contacts?.roster).toBe(app.roster);
    const call = root.querySelector('jg-call')!;
    const chat = root.querySelector('jg-chat')!;
    expect(call.controller).toBe(app.call);
    expect(chat.controller).toBe(app.chat);
    expect(chat.peer).toBe('');
    // The call view comes first in the main area: a call is never below the chat history.
    expect([...root.querySelector('main')!.children].map((e) => e.localName).filter((n) => n.startsWith('jg-'))).toEqual(['jg-call', 'jg-notices', 'jg-chat']);
    contacts?.dispatchEvent(new CustomEvent('contact-select', { detail: { jid: 'bob@localhost' }, bubbles: true, composed: true }));
    await app.updateComplete;
    expect(app.selected).toBe('bob@localhost');
    expect(chat.peer).toBe('bob@localhost');
    expect(call.peer).toBe('bob@localhost');
    expect(chat.link).toBe(app.connection);
    expect(root.querySelector('header')?.textContent).toContain('alice@localhost');
  });

  it('counts unread messages per contact and in the title, whichever contact is selected', async () => {
    const app = await mount('jg-app');
    goOnline(app);
    await app.updateComplete;
    const root = shadow(app);
    for (const jid of ['bob@localhost', 'carol@localhost']) {
      await app.connection.iq.dispatch(x('iq', { type: 'set', id: `push-${jid}` }, x('query', { xmlns: CLIENT_NS.roster }, x('item', { jid, subscription: 'both' }))));
    }
    app.selected = 'carol@localhost';
    await app.updateComplete;
    expect(document.title).toBe('Jingle Gateway');
    for (const id of ['m1', 'm2', 'm3']) {
      deliver(app, x('message', { type: 'chat', from: 'bob@localhost/phone', to: 'alice@localhost/web', id }, x('body', {}, `hello ${id}`)));
    }
    await app.updateComplete;
    const contacts = root.querySelector('jg-contacts')!;
    await contacts.updateComplete;
    const bobRow = contacts.shadowRoot!.querySelector<HTMLElement>('li[data-jid="bob@localhost"]')!;
    expect(bobRow.dataset.unread).toBe('3');
    expect(bobRow.querySelector('[data-test="unread"]')?.textContent).toBe('3 unread');
    expect(document.title).toBe('(3) Jingle Gateway');
    expect(root.querySelector('[data-test="announcer"]')?.textContent).toBe('New message from bob@localhost');
    contacts.dispatchEvent(new CustomEvent('contact-select', { detail: { jid: 'bob@localhost' }, bubbles: true, composed: true }));
    await app.updateComplete;
    await app.updateComplete;
    expect(document.title).toBe('Jingle Gateway');
  });

  it('a header setting lets strangers ring; off by default, kept across reloads', async () => {
    localStorage.clear();
    const app = await mount('jg-app');
    goOnline(app);
    await app.updateComplete;
    const box = shadow(app).querySelector<HTMLInputElement>('input[data-test="allow-anyone"]')!;
    expect(box.checked).toBe(false);
    expect(app.call.allowCallsFrom).toBe('contacts');
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    expect(app.call.allowCallsFrom).toBe('anyone');
    app.remove();
    const again = await mount('jg-app');
    expect(again.call.allowCallsFrom).toBe('anyone');
    goOnline(again);
    await again.updateComplete;
    expect(shadow(again).querySelector<HTMLInputElement>('input[data-test="allow-anyone"]')!.checked).toBe(true);
    localStorage.clear();
  });

  it('remembers the address of a login (never the password) and offers to log back in after a reload', async () => {
    localStorage.clear();
    const app = await mount('jg-app');
    shadow(app).querySelector('jg-login')!.dispatchEvent(new CustomEvent('login-submit',
      { detail: { jid: 'alice@localhost', password: 'secret-pw', service: 'ws://x/ws' }, bubbles: true, composed: true }));
    goOnline(app);
    await app.updateComplete;
    expect(JSON.stringify({ ...localStorage })).not.toContain('secret-pw');
    app.remove();
    await app.connection.logout();

    const again = await mount('jg-app');
    const login = shadow(again).querySelector('jg-login')!;
    await login.updateComplete;
    expect(shadow(login).querySelector('[data-test="welcome-back"]')?.textContent).toBe('Log back in as alice@localhost');
    expect((shadow(login).querySelector('input[name="jid"]') as HTMLInputElement).value).toBe('alice@localhost');
    expect(shadow(login).activeElement?.getAttribute('name')).toBe('password');
    // Someone else: the address is forgotten.
    [...shadow(login).querySelectorAll('button')].find((b) => b.textContent === 'Use another address')!.click();
    await again.updateComplete;
    await login.updateComplete;
    expect(shadow(login).querySelector('[data-test="welcome-back"]')).toBeNull();
    expect(new LoginMemory().recall()).toBe('');
  });
});

describe('<jg-notices>', () => {
  it('lists missed calls and messages from strangers apart; opens their chat; dismisses', async () => {
    const link = new FakeLink(undefined, 'alice@localhost/web');
    const chat = new ChatController(link, { isContact: (jid) => jid === 'bob@localhost', isVisible: () => false, storage: undefined });
    const t = Date.now() + 1000;
    chat.recordCall({ sid: 'm1', peer: 'bob@localhost', direction: 'incoming', media: { audio: true, video: true }, test: false,
      startedAt: t, endedAt: t + 5000, reason: { condition: 'cancel', by: 'peer' }, missed: true });
    link.deliver(x('message', { type: 'chat', from: 'mallory@evil.example/x', to: 'alice@localhost/web', id: 's1' }, x('body', {}, 'hi')));
    const notices = await mount('jg-notices', { chat, nameOf: (jid: string) => (jid === 'bob@localhost' ? 'Bob' : jid) });
    const root = shadow(notices);
    expect(root.querySelector('[data-test="missed-calls"] li')?.textContent?.replace(/\s+/g, ' ').trim())
      .toMatch(/^Missed video call from Bob at .+ Open chat$/);
    expect(root.querySelector('[data-test="requests"] li[data-jid="mallory@evil.example"]')).not.toBeNull();
    const opened: string[] = [];
    notices.addEventListener('contact-select', (e) => opened.push(e.detail.jid));
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Open chat')!.click();
    root.querySelector<HTMLButtonElement>('button[aria-label="Read messages from mallory@evil.example"]')!.click();
    expect(opened).toEqual(['bob@localhost', 'mallory@evil.example']);
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Dismiss')!.click();
    await notices.updateComplete;
    expect(root.querySelector('[data-test="missed-calls"]')).toBeNull();
    chat.stop();
  });

  it("shows a contact's missed call once the roster has them (a missed call read before the roster came)", async () => {
    const link = new FakeLink(undefined, 'alice@localhost/web');
    let contacts: string[] = [];
    const listeners = new Set<() => void>();
    const roster = { onChange: (l: () => void) => { listeners.add(l); return () => listeners.delete(l); } };
    const chat = new ChatController(link, { isContact: (jid) => contacts.includes(jid), isVisible: () => false, storage: undefined });
    const t = Date.now() + 1000;
    chat.recordCall({ sid: 'm2', peer: 'bob@localhost', direction: 'incoming', media: { audio: true, video: false }, test: false,
      startedAt: t, endedAt: t + 5000, reason: { condition: 'cancel', by: 'peer' }, missed: true });
    const notices = await mount('jg-notices', { chat, roster });
    expect(shadow(notices).querySelector('[data-test="missed-calls"]')).toBeNull();
    contacts = ['bob@localhost'];
    for (const l of listeners) l();
    await notices.updateComplete;
    expect(shadow(notices).querySelector('[data-test="missed-calls"]')).not.toBeNull();
    chat.stop();
  });
});

/** Puts the app's connection online as alice@localhost/web without a server (stanzas delivered by hand). */
function goOnline(app: HTMLElementTagNameMap['jg-app']): void {
  (app.connection as unknown as { jid: string }).jid = 'alice@localhost/web';
  (app.connection as unknown as { setStatus(s: string): void }).setStatus('online');
}

function deliver(app: HTMLElementTagNameMap['jg-app'], stanza: ReturnType<typeof x>): void {
  (app.connection as unknown as { incoming(s: unknown): void }).incoming(stanza);
}
