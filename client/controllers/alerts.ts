/**
 * Tells the user what waits for them, whatever they look at: the ring tone and a notification for an
 * incoming call, a notification for a new message while the tab is hidden, the page title, and the
 * words an aria-live region announces. A ReactiveController of the app shell, re-checked before every
 * render of it (the call and chat controllers re-render the shell on each change).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Notifier, pageTitle } from './notifier.ts';
import { Ringer } from './ringer.ts';

/** What the alerts read of the call controller. */
export interface CallFacts {
  readonly state: string;
  readonly peer: string | undefined;
  readonly media: { readonly video: boolean } | undefined;
}

/** What the alerts read of the chat controller. */
export interface ChatFacts {
  readonly contacts: readonly string[];
  /** Unread of contacts only (strangers' messages are not counted in the title). */
  readonly unreadTotal: number;
  readonly missedCalls: readonly { readonly contact: string; readonly sid: string; readonly media: 'audio' | 'video' }[];
  view(contact: string): { readonly unread: number; readonly messages: readonly { readonly direction: string; readonly body: string }[] };
}

export interface AlertSources {
  call: () => CallFacts | undefined;
  chat: () => ChatFacts | undefined;
  /** A contact's display name from their bare JID. */
  nameOf: (jid: string) => string;
}

const PREVIEW_LENGTH = 120;

export class Alerts implements ReactiveController {
  /** The latest news for a polite aria-live region: new messages, missed calls. */
  announcement = '';
  /** An incoming call, for an assertive region: it interrupts what a screen reader is saying. */
  urgent = '';
  private ringingFrom: string | undefined;
  private readonly unread = new Map<string, number>();
  private readonly missed = new Set<string>();

  constructor(
    host: ReactiveControllerHost,
    private readonly sources: AlertSources,
    readonly ringer = new Ringer(),
    readonly notifier = new Notifier(),
  ) {
    host.addController(this);
  }

  /** Asks for notification permission: call it from a user's action (login, a call button). */
  askPermission(): void { this.notifier.askPermission(); }

  hostUpdate(): void {
    const total = this.checkMessages();
    this.checkMissed();
    this.checkCall();
    this.notifier.setTitle(pageTitle(total, this.ringingFrom));
  }

  hostDisconnected(): void {
    this.ringer.stop();
    this.notifier.close('call');
  }

  private checkCall(): void {
    const call = this.sources.call();
    const from = call?.state === 'ringing' && call.peer ? this.sources.nameOf(call.peer) : undefined;
    if (from === this.ringingFrom) return;
    this.ringingFrom = from;
    if (from === undefined) {
      this.urgent = '';
      this.ringer.stop();
      this.notifier.close('call');
      return;
    }
    const kind = call?.media?.video ? 'video' : 'audio';
    this.ringer.start();
    this.urgent = `Incoming ${kind} call from ${from}`;
    this.notifier.notify('call', `Incoming ${kind} call`, `${from} is calling you`);
  }

  /** A missed call seen for the first time (live, or from the archive at login): announced and notified. */
  private checkMissed(): void {
    for (const m of this.sources.chat()?.missedCalls ?? []) {
      const key = `${m.contact} ${m.sid}`;
      if (this.missed.has(key)) continue;
      this.missed.add(key);
      const name = this.sources.nameOf(m.contact);
      this.announcement = `Missed ${m.media === 'video' ? 'video call' : 'call'} from ${name}`;
      this.notifier.notify(`missed:${key}`, this.announcement, 'Open the chat to call back');
    }
  }

  /** Announces and notifies each conversation whose unread count grew; returns the total for the title. */
  private checkMessages(): number {
    const chat = this.sources.chat();
    for (const contact of chat?.contacts ?? []) {
      const view = chat!.view(contact);
      const before = this.unread.get(contact) ?? 0;
      this.unread.set(contact, view.unread);
      if (view.unread <= before) continue;
      const name = this.sources.nameOf(contact);
      const last = [...view.messages].reverse().find((m) => m.direction === 'in');
      this.announcement = `New message from ${name}`;
      this.notifier.notify(`message:${contact}`, name, last?.body ? preview(last.body) : 'New message');
    }
    return chat?.unreadTotal ?? 0;
  }
}

function preview(body: string): string {
  return body.length > PREVIEW_LENGTH ? `${body.slice(0, PREVIEW_LENGTH)}…` : body;
}
