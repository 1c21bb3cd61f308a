// Baseline (c): sdp-jingle-json 3 — SDP -> Jingle-shaped JSON -> JSON text -> JSON -> SDP. No XML at all.
import { createRequire } from 'node:module';
import { toSessionJSON, toSessionSDP } from 'sdp-jingle-json';
import type { SessionJSON } from 'sdp-jingle-json';

const pkg = createRequire(import.meta.url)('sdp-jingle-json/package.json') as { version: string };
export const label = `sdp-jingle-json ${pkg.version.split('.').slice(0, 2).join('.')} (JSON)`;

export function roundTrip(sdp: string): string {
  // The initiator describes its offer...
  const json = toSessionJSON(sdp, { role: 'initiator', direction: 'outgoing', creators: ['initiator', 'initiator'] });
  const text = JSON.stringify(json);
  // ...and the responder rebuilds it as the incoming offer (the library's toIncomingSDPOffer).
  const received = JSON.parse(text) as SessionJSON;
  return toSessionSDP(received, { role: 'responder', direction: 'incoming', sid: 's1', time: 1 });
}
