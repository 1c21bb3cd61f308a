/**
 * The echo test call as a contact: presence subscription (RFC 6121) with entity capabilities (XEP-0115),
 * so clients show a call button, and XEP-0353 Jingle Message Initiation: a <propose> is answered at
 * once with <ringing/> and <proceed/> (or <reject/> with <busy/> at the call limits), and its sid is
 * remembered until the session-initiate that follows.
 *
 * It also remembers, while the process lives, who it has shown itself to (users who subscribed, probed
 * or called), so that after a reconnect it can announce itself to them again: presence to a bare JID
 * reaches whichever of the user's resources are online then, even new ones after a server restart.
 * Across a restart of the component nothing is remembered: users see it again when their client probes
 * (at their next login) or asks (disco, a call), which work as soon as it is back.
 */
import type { Element } from 'ltx';
import { NS, buildJmiMessage, findJmi, isTranslateError, type JmiMessage } from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import type { ServiceContext } from '../service.ts';
import { bareOf } from './disco.ts';

/** A propose is remembered this long (ms) for the session-initiate it announces. */
const PROPOSAL_TTL_MS = 120_000;
const MAX_PROPOSALS = 1_000;
/** Users (bare JIDs) remembered for announcing ourselves again; the oldest are forgotten first. */
const MAX_AUDIENCE = 10_000;

export interface ContactPolicy {
  served(jid: string): boolean;
  /** Whether a call from this caller would be over a limit now. */
  busy(caller: string): boolean;
}

export class EchoContact {
  /** `${caller full JID}\0${sid}` -> when proposed. */
  readonly #proposals = new Map<string, number>();
  /** Bare JIDs, oldest first (a Set keeps insertion order). */
  readonly #audience = new Set<string>();
  #ids = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly bare: string,
    private readonly full: string,
    private readonly policy: ContactPolicy,
  ) {}

  /** Whether this caller proposed this sid; forgets it either way. */
  takeProposal(caller: string, sid: string): boolean {
    return this.#proposals.delete(proposalKey(caller, sid));
  }

  /** Someone to announce ourselves to after a reconnect. */
  remember(jid: string): void {
    const bare = bareOf(jid);
    this.#audience.delete(bare);
    this.#audience.add(bare);
    if (this.#audience.size > MAX_AUDIENCE) this.#audience.delete(this.#audience.values().next().value as string);
  }

  /** Our available presence (with caps) again to every user we know of; sends that fail are logged. */
  async announce(): Promise<void> {
    if (this.#audience.size === 0) return;
    const users = [...this.#audience];
    const sent = await Promise.allSettled(users.map((u) => this.ctx.send(this.available(u))));
    const failed = sent.filter((r) => r.status === 'rejected').length;
    this.ctx.log.info({ users: users.length, failed }, 'echo: announced itself again');
  }

  prune(): void {
    const oldest = this.ctx.now() - PROPOSAL_TTL_MS;
    for (const [k, at] of this.#proposals) if (at < oldest) this.#proposals.delete(k);
  }

  async message(stanza: Element): Promise<void> {
    const from = stanza.attrs.from as string;
    if (!this.#forUs(stanza) || stanza.attrs.type === 'error') return;
    let jmi: JmiMessage | undefined;
    try {
      jmi = findJmi(stanza);
    } catch (err) {
      if (!isTranslateError(err)) throw err;
      this.ctx.log.info({ from, err: err.message }, 'echo: ignored a malformed Jingle message');
      return;
    }
    if (!jmi) return;
    if (!this.policy.served(from)) {
      this.ctx.log.info({ from, action: jmi.action }, 'echo: ignored a Jingle message from a user of a domain we do not serve');
      return;
    }
    if (jmi.action === 'retract') {
      this.#proposals.delete(proposalKey(from, jmi.id));
      this.ctx.log.debug({ from, sid: jmi.id }, 'echo: proposal retracted');
      return;
    }
    if (jmi.action !== 'propose') return;
    await this.#receipt(stanza);
    if (this.policy.busy(from)) {
      this.ctx.log.info({ from, sid: jmi.id }, 'echo: busy, rejected a proposal');
      await this.#jmi(from, { action: 'reject', id: jmi.id, media: [], reason: { condition: 'busy', text: 'too many echo test calls' } });
      return;
    }
    if (this.#proposals.size >= MAX_PROPOSALS) this.prune();
    if (this.#proposals.size < MAX_PROPOSALS) this.#proposals.set(proposalKey(from, jmi.id), this.ctx.now());
    await this.#jmi(from, { action: 'ringing', id: jmi.id, media: [] });
    await this.#jmi(from, { action: 'proceed', id: jmi.id, media: [] });
  }

  async presence(stanza: Element): Promise<void> {
    if (!this.#forUs(stanza)) return;
    const from = stanza.attrs.from as string;
    const type = stanza.attrs.type as string | undefined;
    if (type !== 'subscribe' && type !== 'probe' && type !== 'unsubscribe') return;
    if (!this.policy.served(from)) {
      this.ctx.log.info({ from, type }, 'echo: ignored presence from a user of a domain we do not serve');
      return;
    }
    const user = bareOf(from);
    if (type === 'unsubscribe') {
      this.#audience.delete(user);
      return this.ctx.send(el('presence', { from: this.bare, to: user, type: 'unsubscribed' }));
    }
    this.remember(user);
    if (type === 'subscribe') await this.ctx.send(el('presence', { from: this.bare, to: user, type: 'subscribed' }));
    await this.ctx.send(this.available(type === 'probe' ? from : user));
  }

  /** Our available presence, with caps so clients see that we take audio and video calls. */
  available(to: string): Element {
    const status = el('status', {});
    status.children.push('Call me to test your microphone, camera and connection');
    return el('presence', { from: this.full, to }, [this.ctx.disco.caps(this.bare), status]);
  }

  #forUs(stanza: Element): boolean {
    const to = stanza.attrs.to as string | undefined;
    return to !== undefined && bareOf(to) === this.bare;
  }

  /** XEP-0184: the receipt a propose asks for. */
  async #receipt(stanza: Element): Promise<void> {
    const id = stanza.attrs.id as string | undefined;
    if (!id || !stanza.getChild('request', NS.receipts)) return;
    await this.ctx.send(el('message', { from: this.full, to: stanza.attrs.from as string, id: this.#id() }, [el('received', { xmlns: NS.receipts, id })]));
  }

  async #jmi(to: string, jmi: JmiMessage): Promise<void> {
    const msg = buildJmiMessage(jmi, { to, id: this.#id(), store: true });
    msg.attrs.from = this.full;
    await this.ctx.send(msg);
  }

  #id(): string {
    return `echo-jmi-${++this.#ids}-${this.ctx.now().toString(36)}`;
  }
}

function proposalKey(caller: string, sid: string): string {
  return `${caller}\0${sid}`;
}
