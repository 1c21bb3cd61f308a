/**
 * What the chat asks of the user's own server: its features (XEP-0030) and carbons (XEP-0280) after
 * login, and pages of the message archive (XEP-0313).
 */
import type { XmppLink } from '../xmpp/link.ts';
import {
  CHAT_NS, discoFeatures, discoInfoQuery, enableCarbons, mamFin, mamQuery, mamQueryFor, mamResult, type ArchivedMessage,
} from './chat-stanzas.ts';
import { domainOf, newId } from './chat-ids.ts';

export interface ServerFeatures {
  /** Carbons were enabled for this session. */
  carbons: boolean;
  mam: boolean;
}

/**
 * Asks the server domain (carbons) and our own bare JID (MAM, XEP-0313 section 9) for their features,
 * and enables carbons where offered. Failures only leave a feature off.
 */
export async function setUpServerFeatures(link: XmppLink, ownBare: string): Promise<ServerFeatures> {
  const [server, account] = await Promise.allSettled([
    link.request(discoInfoQuery(domainOf(ownBare), newId())),
    link.request(discoInfoQuery(ownBare, newId())),
  ]);
  const serverFeatures = server.status === 'fulfilled' ? discoFeatures(server.value) : new Set<string>();
  const accountFeatures = account.status === 'fulfilled' ? discoFeatures(account.value) : new Set<string>();
  let carbons = false;
  if (serverFeatures.has(CHAT_NS.carbons)) {
    try {
      await link.request(enableCarbons(newId()));
      carbons = true;
    } catch { /* refused: no carbons this session */ }
  }
  return { carbons, mam: accountFeatures.has(CHAT_NS.mam) || serverFeatures.has(CHAT_NS.mam) };
}

/**
 * One page of history with one contact: pages go back in time (RSM `<before/>`), the messages within
 * a page are in chronological order. Results count only if they answer our query id and come from our
 * own archive (see `mamResult`); anything else that claims to be a result is dropped.
 */
export interface HistoryPage {
  /** In the order the archive sent them (chronological), at most the page size. */
  readonly messages: readonly ArchivedMessage[];
  /** The RSM id to page back from, if the page had any. */
  readonly first: string | undefined;
  readonly complete: boolean;
}

export async function fetchHistoryPage(
  link: XmppLink, ownBare: string, withJid: string, before: string, max: number, timeoutMs = 20_000,
): Promise<HistoryPage> {
  const queryId = newId();
  const messages: ArchivedMessage[] = [];
  const off = link.onStanza((stanza) => {
    const result = mamResult(stanza, queryId, ownBare);
    if (result && messages.length < max) messages.push(result);
  });
  try {
    const fin = mamFin(await link.request(mamQuery(ownBare, newId(), queryId, withJid, before, max), timeoutMs));
    return { messages, first: fin.first, complete: fin.complete || messages.length === 0 };
  } finally {
    off();
  }
}

export interface SincePages {
  /** Chronological, at most `maxPages` x `pageSize`. */
  readonly messages: readonly ArchivedMessage[];
  /** The archive had more than the pages we asked for. */
  readonly truncated: boolean;
}

/**
 * Everything our archive holds since `start` (every conversation: no `with`), oldest first, page after
 * page (RSM `<after/>`), at most `maxPages` pages: what happened while we were away.
 */
export async function fetchSince(
  link: XmppLink, ownBare: string, start: number, pageSize: number, maxPages: number, timeoutMs = 20_000,
): Promise<SincePages> {
  const messages: ArchivedMessage[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const queryId = newId();
    const got: ArchivedMessage[] = [];
    const off = link.onStanza((stanza) => {
      const result = mamResult(stanza, queryId, ownBare);
      if (result && got.length < pageSize) got.push(result);
    });
    try {
      const query = mamQueryFor(ownBare, newId(), queryId, { start, max: pageSize, ...(after === undefined ? {} : { after }) });
      const fin = mamFin(await link.request(query, timeoutMs));
      messages.push(...got);
      if (fin.complete || got.length === 0 || !fin.last) return { messages, truncated: false };
      after = fin.last;
    } finally {
      off();
    }
  }
  return { messages, truncated: true };
}
