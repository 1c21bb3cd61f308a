// One call flow of the load benchmark, signalling only, as a browser on our web client runs it against
// the echo peer: XEP-0353 propose -> ringing + proceed, XEP-0166 session-initiate with a real browser
// offer -> result + session-accept (which the user acks), a transport-info with the offer's candidates,
// then, once every flow of the round holds its session, session-terminate. A translate IQ (SDP ->
// Jingle) runs beside it, as a debugging client's would. Every answer is timed and counted.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import {
  NS, buildJmiMessage, buildReason, candidatesToTransportInfo, sdpToJingle, type CandidateInit,
} from '../schemas/index.ts';
import { el } from '../schemas/xml.ts';
import type { LoadUser } from './load-user.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../shared/fixtures/sdp/${name}`, import.meta.url), 'utf8');
/** The offer a Chromium sends for an audio+video call, and the candidates it trickles after it. */
export const OFFER = fixture('chromium-audio-video-offer.sdp');
const CANDIDATES: CandidateInit[] = fixture('chromium-audio-video-offer.candidates').split('\n').filter((l) => l.includes(' udp '))
  .slice(0, 2).map((candidate) => ({ candidate, sdpMid: '0' }));
/** A smaller offer for the translate IQs (what bench/component.ts translates). */
const TRANSLATE_SDP = fixture('chromium-audio-offer.sdp');

export interface FlowTargets {
  domain: string;
  echo: string;
  echoFull: string;
}

/** Per user: the session-initiate's contents built once from the offer; each flow gets its own <jingle> around them. */
export function initiateTemplate(initiator: string): Element {
  return sdpToJingle(OFFER, { role: 'initiator', sid: 'template', initiator });
}

const jingleIq = (to: string, jingle: Element): Element => el('iq', { type: 'set', to }, [jingle]);

function translateIq(domain: string): Element {
  const sdp = el('sdp', {});
  sdp.children.push(TRANSLATE_SDP);
  return el('iq', { type: 'get', to: domain }, [el('translate', { xmlns: NS.translate, role: 'initiator' }, [sdp])]);
}

/**
 * Runs one flow; `held()` is called once its session is up (or the flow failed before), and the
 * session-terminate waits for `release`. Failures are already counted by the tally: swallowed here.
 */
export async function runFlow(user: LoadUser, template: Element, t: FlowTargets, held: () => void, release: Promise<void>): Promise<void> {
  const tally = user.tally;
  const sid = `${randomBytes(8).toString('hex')}`;
  let signalled = false;
  const hold = (): void => {
    if (!signalled) held();
    signalled = true;
  };
  const translate = tally.answer('translate -> result', user.request(translateIq(t.domain)), performance.now()).catch(() => undefined);
  try {
    const ringing = user.expect(sid, 'ringing');
    const proceed = user.expect(sid, 'proceed');
    const t0 = performance.now();
    await user.send(buildJmiMessage({ action: 'propose', id: sid, media: ['audio', 'video'] }, { to: t.echo, id: `p-${sid}`, store: true }));
    await Promise.all([tally.answer('propose -> ringing', ringing, t0), tally.answer('propose -> proceed', proceed, t0)]);

    const accept = user.expect(sid, 'session-accept');
    const jingle = el('jingle', { ...template.attrs, sid }, template.children as Element[]);
    const t1 = performance.now();
    await Promise.all([
      tally.answer('session-initiate -> result', user.request(jingleIq(t.echoFull, jingle)), t1),
      tally.answer('session-initiate -> session-accept', accept, t1),
    ]);

    const t2 = performance.now();
    await tally.answer('transport-info -> result', user.request(jingleIq(t.echoFull, candidatesToTransportInfo(CANDIDATES, { sid, creator: 'initiator' }))), t2);
    hold();
    await release;

    const terminate = el('jingle', { xmlns: NS.jingle, action: 'session-terminate', sid }, [buildReason({ condition: 'success' })]);
    const t3 = performance.now();
    await tally.answer('session-terminate -> result', user.request(jingleIq(t.echoFull, terminate)), t3);
    tally.flowsDone++;
  } catch {
    // Counted as lost or as an error by the tally.
  } finally {
    hold();
    await translate;
  }
}
