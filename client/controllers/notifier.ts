/**
 * What the page says outside itself: its title ("Incoming call: Bob", "(3) Jingle Gateway") and
 * browser notifications while the tab is hidden. Permission is asked only from a user's action
 * (askPermission() in a click or submit handler), never on load.
 */

export const APP_NAME = 'Jingle Gateway';

/** The page title for what waits for the user. */
export function pageTitle(unread: number, incomingFrom?: string): string {
  if (incomingFrom) return `Incoming call: ${incomingFrom}`;
  return unread > 0 ? `(${unread}) ${APP_NAME}` : APP_NAME;
}

/** The part of the Notification API used (a fake one in tests). */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Notification;
}

export interface NotifierEnv {
  document: Pick<Document, 'hidden' | 'title'> | undefined;
  Notification: NotificationApi | undefined;
  /** Brings the tab forward when a notification is clicked. */
  focus?: () => void;
  /**
   * Whether the page is in a user's action now (`navigator.userActivation.isActive`): Firefox refuses,
   * with an error, a permission request outside one (e.g. a click made by a script).
   */
  userActive?: () => boolean;
}

const browserEnv = (): NotifierEnv => ({
  document: typeof document === 'undefined' ? undefined : document,
  Notification: (globalThis as { Notification?: NotificationApi }).Notification,
  focus: () => globalThis.focus?.(),
  userActive: () => (globalThis as { navigator?: { userActivation?: { isActive: boolean } } }).navigator?.userActivation?.isActive ?? true,
});

export class Notifier {
  private readonly shown = new Map<string, Notification>();

  constructor(private readonly env: NotifierEnv = browserEnv()) {}

  /** Asks once, from a user's action (else not at all); a decision already made is kept. */
  askPermission(): void {
    const api = this.env.Notification;
    if (api?.permission !== 'default' || this.env.userActive?.() === false) return;
    try {
      api.requestPermission().catch(() => undefined);
    } catch {
      // An old browser's callback-only API, or a refusal thrown at once: no notifications, the rest works.
    }
  }

  setTitle(title: string): void {
    if (this.env.document && this.env.document.title !== title) this.env.document.title = title;
  }

  /** Shows a notification under `tag` (replacing one with the same tag) if the tab is hidden and allowed. */
  notify(tag: string, title: string, body: string): boolean {
    const api = this.env.Notification;
    if (!api || api.permission !== 'granted' || this.env.document?.hidden !== true) return false;
    this.close(tag);
    try {
      const n = new api(title, { body, tag });
      n.onclick = () => { this.env.focus?.(); n.close(); };
      this.shown.set(tag, n);
      return true;
    } catch {
      return false; // e.g. Chrome on Android allows them only from a service worker
    }
  }

  close(tag: string): void {
    this.shown.get(tag)?.close();
    this.shown.delete(tag);
  }
}
