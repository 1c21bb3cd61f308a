// Candidate (a): jingle-gateway — SDP -> ltx Element -> XML text -> ltx Element -> SDP, with the
// project's own XML serialiser and strict parser (what the CLI and the translate service use).
import { jingleToSdp, parseXml, sdpToJingle, serializeXml } from '../../schemas/index.ts';

export const label = 'jingle-gateway';

export function roundTrip(sdp: string): string {
  const xml = serializeXml(sdpToJingle(sdp, { role: 'initiator', action: 'session-initiate', sid: 's1' }));
  return jingleToSdp(parseXml(xml), { role: 'initiator' });
}
