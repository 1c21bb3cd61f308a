// Candidate (a): jingle-gateway — SDP -> ltx Element -> XML text -> ltx Element -> SDP.
import { parse } from 'ltx';
import { jingleToSdp, sdpToJingle } from '../../schemas/index.ts';

export const label = 'jingle-gateway';

export function roundTrip(sdp: string): string {
  const xml = sdpToJingle(sdp, { role: 'initiator', action: 'session-initiate', sid: 's1' }).toString();
  return jingleToSdp(parse(xml), { role: 'initiator' });
}
