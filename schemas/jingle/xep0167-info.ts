/**
 * XEP-0167 session-info payloads (urn:xmpp:jingle:apps:rtp:info:1): ringing, hold/unhold, active,
 * mute/unmute of one content. They ride in a <jingle action='session-info'>.
 */
import type { Element } from 'ltx';
import { NS } from '../namespaces.ts';
import { el, elementNs, enumAttr, localName, optAttr } from '../xml.ts';
import { ROLES, type Creator } from './xep0166-types.ts';

export type RtpInfo =
  | { kind: 'ringing' | 'hold' | 'unhold' | 'active' }
  | { kind: 'mute' | 'unmute'; creator?: Creator; name?: string };

/** Parses the session-info payloads we know; unknown ones are returned as undefined (unsupported-info). */
export function parseRtpInfo(e: Element): RtpInfo | undefined {
  if (elementNs(e) !== NS.rtpInfo) return undefined;
  const kind = localName(e);
  switch (kind) {
    case 'ringing': case 'hold': case 'unhold': case 'active':
      return { kind };
    case 'mute': case 'unmute': {
      const info: RtpInfo = { kind };
      const creator = enumAttr(e, 'creator', ROLES, `session-info/${kind}`);
      if (creator !== undefined) info.creator = creator;
      const name = optAttr(e, 'name');
      if (name !== undefined) info.name = name;
      return info;
    }
    default:
      return undefined;
  }
}

export function buildRtpInfo(info: RtpInfo): Element {
  if (info.kind === 'mute' || info.kind === 'unmute') {
    return el(info.kind, { xmlns: NS.rtpInfo, creator: info.creator, name: info.name });
  }
  return el(info.kind, { xmlns: NS.rtpInfo });
}
