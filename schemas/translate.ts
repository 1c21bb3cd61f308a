/**
 * The SDP <-> Jingle translator. `role` is always the role of the party that wrote the description
 * (session-initiate: initiator, session-accept: responder): it decides what a=sendonly means.
 */
import type { Element } from 'ltx';
import { buildJingle } from './jingle/xep0166.ts';
import { sdpToJingleModel, type SdpToJingleOptions } from './translate/to-jingle.ts';

export { jingleToSdp, jingleModelToSdp, jingleToSession, type JingleToSdpOptions } from './translate/to-sdp.ts';
export { sdpToJingleModel, sessionToJingleModel, type SdpToJingleOptions } from './translate/to-jingle.ts';

export function sdpToJingle(sdp: string, opts: SdpToJingleOptions): Element {
  return buildJingle(sdpToJingleModel(sdp, opts));
}
