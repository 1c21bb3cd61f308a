/**
 * Our translate service, urn:xmpp:jingle-gateway:translate:0, for tools, tests and debugging clients:
 *   <translate role='initiator' [action] [sid]><sdp>v=0...</sdp></translate>  ->  <translate><jingle/></translate>
 *   <translate role='initiator'><jingle xmlns='urn:xmpp:jingle:1'>...</jingle></translate>  ->  <translate><sdp/></translate>
 * A bad input is bad-request whose text names the SDP line or the Jingle element (and the option to
 * raise, when it is over a limit), plus our
 * <invalid condition line element/> for programs.
 */
import type { Element } from 'ltx';
import { JINGLE_ACTIONS, NS, ROLES, isTranslateError, jingleToSdp, sdpToJingle, type JingleAction, type Role } from '../../schemas/index.ts';
import { DEFAULT_LIMITS, type Limits } from '../../schemas/limits.ts';
import { el, isElement, localName, nsOf, textOf } from '../../schemas/xml.ts';
import { translateErrorText } from '../translate-limits.ts';
import type { IqRequest, Router } from '../router.ts';
import { stanzaError } from '../stanza-error.ts';
import { domainOf } from './disco.ts';

export class TranslateService {
  readonly features = [NS.translate];

  /**
   * `limits`: the component's (translatorLimits(config)); the translator's defaults without.
   * `hosts`: the user domains served (config 'hosts'); anyone else gets forbidden, as for XEP-0215.
   * Without it (tools, tests) every sender is served.
   */
  constructor(private readonly limits: Limits = DEFAULT_LIMITS, private readonly hosts?: readonly string[]) {}

  register(router: Router): void {
    router.iq('get', NS.translate, 'translate', (req) => this.translate(req));
  }

  translate({ payload, from }: IqRequest): Element | ReturnType<typeof stanzaError> {
    if (this.hosts !== undefined && !this.hosts.includes(domainOf(from))) {
      return stanzaError('auth', 'forbidden', 'the translate service is for users of the hosts this service serves');
    }
    const role = payload.attrs.role as string | undefined;
    if (!(ROLES as readonly string[]).includes(role ?? '')) return stanzaError('modify', 'bad-request', "role must be 'initiator' or 'responder'");
    const action = payload.attrs.action as string | undefined;
    if (action !== undefined && !(JINGLE_ACTIONS as readonly string[]).includes(action)) return stanzaError('modify', 'bad-request', 'unknown action');
    const children = payload.children.filter(isElement);
    const input = children[0];
    if (children.length !== 1 || !input) return stanzaError('modify', 'bad-request', 'translate holds one <sdp/> or one <jingle/>');
    try {
      // By namespace, never by prefix (an unbound prefix throws a TranslateError: bad-request below).
      const name = localName(input);
      const ns = nsOf(input, NS.translate);
      if (name === 'sdp' && ns === NS.translate) {
        const sid = payload.attrs.sid as string | undefined;
        const jingle = sdpToJingle(textOf(input), {
          role: role as Role,
          limits: this.limits,
          ...(action !== undefined ? { action: action as JingleAction } : {}),
          ...(sid !== undefined ? { sid } : {}),
        });
        return el('translate', { xmlns: NS.translate }, [jingle]);
      }
      if (name === 'jingle' && ns === NS.jingle) {
        const sdp = el('sdp', {});
        sdp.children.push(jingleToSdp(input, { role: role as Role, limits: this.limits }));
        return el('translate', { xmlns: NS.translate }, [sdp]);
      }
      return stanzaError('modify', 'bad-request', 'translate holds one <sdp/> or one <jingle/>');
    } catch (e) {
      if (!isTranslateError(e)) throw e;
      const attrs: Record<string, string> = { condition: e.condition };
      if (e.line) attrs.line = String(e.line.number);
      if (e.element) attrs.element = e.element;
      return stanzaError('modify', 'bad-request', translateErrorText(e), { name: 'invalid', ns: NS.translate, attrs });
    }
  }
}
