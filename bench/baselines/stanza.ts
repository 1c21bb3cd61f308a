// Baseline (b): StanzaJS 12 — SDP -> intermediate -> Jingle JSON -> XML text -> Jingle JSON -> SDP.
// Stanza has no package.json "exports" map and ships CommonJS, so under Node ESM the subpaths need
// their ".js" extension, and the default export of a CJS module arrives as `module.exports`
// (the protocol definitions are on its `.default`).
import { createRequire } from 'node:module';
import { exportToSDP, importFromSDP } from 'stanza/jingle/sdp/Intermediate.js';
import { convertIntermediateToRequest, convertRequestToIntermediate } from 'stanza/jingle/sdp/Protocol.js';
import { Registry, parse } from 'stanza/jxt/index.js';
import ProtocolModule from 'stanza/protocol/index.js';
import type { Jingle } from 'stanza/protocol/index.js';

const NS_JINGLE_ICE_UDP_1 = 'urn:xmpp:jingle:transports:ice-udp:1';

const registry = new Registry();
registry.define(ProtocolModule.default);

const pkg = createRequire(import.meta.url)('stanza/package.json') as { version: string };
export const label = `StanzaJS ${pkg.version.split('.').slice(0, 2).join('.')} (XML)`;

/** Initiator side: what MediaSession.start() does before sending session-initiate. */
function toXmlText(sdp: string): string {
  const request = convertIntermediateToRequest(importFromSDP(sdp), 'initiator', NS_JINGLE_ICE_UDP_1);
  request.sid = 's1';
  request.action = 'session-initiate';
  for (const content of request.contents ?? []) content.creator = 'initiator';
  const xml = registry.export('iq.jingle', request);
  if (!xml) throw new Error('stanza: registry could not export iq.jingle');
  return xml.toString();
}

/** Receiving side: parse the text, import the <jingle/>, and rebuild the initiator's SDP. */
function fromXmlText(text: string): string {
  const jingle = registry.import(parse(text)) as Jingle | undefined;
  if (!jingle) throw new Error('stanza: registry did not recognise the <jingle/> element');
  return exportToSDP(convertRequestToIntermediate(jingle, 'initiator'));
}

export function roundTrip(sdp: string): string {
  return fromXmlText(toXmlText(sdp));
}

