/**
 * XEP-0215 external services: the STUN and TURN servers for this deployment, with ephemeral TURN
 * credentials (coturn REST form), only for users of the hosts we serve, and rate limited per user.
 */
import type { Element } from 'ltx';
import { NS, buildServices, type ExternalService } from '../../schemas/index.ts';
import type { Config } from '../config.ts';
import { RateLimiter } from '../rate-limit.ts';
import type { Router } from '../router.ts';
import { stanzaError } from '../stanza-error.ts';
import { bareOf, domainOf } from './disco.ts';
import { turnCredentials, xmppDateTime } from './turn-credentials.ts';

export class ExternalServices {
  readonly features = [NS.extdisco];
  private readonly limiter: RateLimiter;

  constructor(
    private readonly config: Config,
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new RateLimiter(config['credentials-per-minute']);
  }

  /** Every service, TURN ones with fresh credentials for `user`. */
  services(user: string): ExternalService[] {
    const c = this.config;
    const out: ExternalService[] = [];
    if (c['stun-port'] > 0) out.push({ type: 'stun', host: c['stun-host'], port: c['stun-port'], transport: 'udp' });
    const secret = c['turn-secret'];
    if (secret) {
      const cred = turnCredentials(secret, user, c['turn-ttl'], this.now());
      for (const transport of c['turn-transports']) {
        out.push({
          type: 'turn', host: c['turn-host'], port: c['turn-port'], transport,
          username: cred.username, password: cred.password, expires: xmppDateTime(cred.expiry), restricted: true,
        });
      }
    }
    return out;
  }

  register(router: Router): void {
    const handle = (query: 'services' | 'credentials') => ({ from, payload }: { from: string; payload: Element }) => {
      const user = bareOf(from);
      if (!this.config.hosts.includes(domainOf(from)) || !user.includes('@')) {
        return stanzaError('auth', 'forbidden', 'external services are for users of the hosts this service serves');
      }
      if (!this.limiter.take(user, this.now())) {
        return stanzaError('wait', 'resource-constraint', `at most ${this.config['credentials-per-minute']} requests a minute`);
      }
      let list = this.services(user);
      const type = payload.attrs.type as string | undefined;
      if (type !== undefined) list = list.filter((s) => s.type === type);
      if (query === 'credentials') {
        const wanted = payload.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === 'service');
        if (!wanted) return stanzaError('modify', 'bad-request', 'credentials needs a <service host type/>');
        const { host, type: wantedType, port } = wanted.attrs as Record<string, string | undefined>;
        list = list.filter((s) => s.host === host && s.type === wantedType && (port === undefined || String(s.port) === port) && s.username !== undefined);
        if (list.length === 0) return stanzaError('cancel', 'item-not-found', 'no such service with credentials');
        list = list.slice(0, 1);
      }
      return buildServices(query, list);
    };
    router.iq('get', NS.extdisco, 'services', handle('services'));
    router.iq('get', NS.extdisco, 'credentials', handle('credentials'));
  }
}
