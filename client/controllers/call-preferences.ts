/**
 * The user's call settings that outlive a page: today only whether people outside the contact list may
 * ring (issue 12 item 4: off unless the user turns it on). Kept in localStorage on this browser; storage
 * that is missing or refused gives the safe default.
 */
import { pageStorage } from './page-storage.ts';
import type { AllowCallsFrom } from './call-policy.ts';

const KEY = 'jingle-gateway:allow-calls-from';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

export class CallPreferences {
  constructor(private readonly storage: Store | undefined = pageStorage()) {}

  get allowCallsFrom(): AllowCallsFrom {
    try { return this.storage?.getItem(KEY) === 'anyone' ? 'anyone' : 'contacts'; } catch { return 'contacts'; }
  }

  set allowCallsFrom(value: AllowCallsFrom) {
    try { this.storage?.setItem(KEY, value); } catch { /* not kept: this page still uses it */ }
  }
}
