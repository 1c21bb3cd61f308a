/** The protocol core, shared by the component and the web client: no I/O, isomorphic. */
export { NS, type Namespace } from './namespaces.ts';
export { TranslateError, TranslateCondition, isTranslateError, type TranslateErrorDetails } from './errors.ts';
export { DEFAULT_LIMITS, type Limits } from './limits.ts';
export { sdpToJingle, sdpToJingleModel, sessionToJingleModel, jingleToSdp, jingleModelToSdp, jingleToSession, type SdpToJingleOptions, type JingleToSdpOptions } from './translate.ts';
export * from './translate/trickle.ts';
export * from './jingle/index.ts';
export { parseSdp } from './sdp/parse.ts';
export { writeSdp } from './sdp/write.ts';
export type * as Sdp from './sdp/model.ts';
export { parseXml, serializeXml, type XmlLimits } from './xml-text.ts';
