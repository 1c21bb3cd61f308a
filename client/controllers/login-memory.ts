/**
 * The address of the last login, kept in localStorage so a reload can offer "Log back in as …".
 * Only the bare JID: never the password. Storage that is missing or refused (private mode) is a
 * memory that remembers nothing.
 */
import { pageStorage } from './page-storage.ts';

const KEY = 'jingle-gateway:last-jid';

export class LoginMemory {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined = pageStorage()) {}

  recall(): string {
    try { return this.storage?.getItem(KEY) ?? ''; } catch { return ''; }
  }

  remember(bareJid: string): void {
    try { this.storage?.setItem(KEY, bareJid); } catch { /* not kept: the form is simply empty next time */ }
  }

  forget(): void {
    try { this.storage?.removeItem(KEY); } catch { /* nothing kept */ }
  }
}
