// SDP direction <-> Jingle senders (schemas/translate/directions.ts). The direction is the SDP writer's
// point of view, `senders` names a session role: a=sendonly from the responder is senders='responder'.
import { describe, expect, it } from 'vitest';
import type { Role, Senders } from '../../schemas/jingle/xep0166-types.ts';
import type { Direction } from '../../schemas/sdp/model.ts';
import { directionFromSenders, otherRole, sendersFromDirection } from '../../schemas/translate/directions.ts';
import { jingleToSdp, sdpToJingleModel } from '../../schemas/translate.ts';
import { buildJingle } from '../../schemas/jingle/xep0166.ts';
import { parseSdp } from '../../schemas/sdp/parse.ts';

const ROLES: Role[] = ['initiator', 'responder'];
const DIRECTIONS: Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];
const SENDERS: Senders[] = ['both', 'initiator', 'responder', 'none'];

/** [direction, role of the SDP writer, senders]: the whole mapping, both roles. */
const TABLE: [Direction, Role, Senders][] = [
  ['sendrecv', 'initiator', 'both'],
  ['sendonly', 'initiator', 'initiator'],
  ['recvonly', 'initiator', 'responder'],
  ['inactive', 'initiator', 'none'],
  ['sendrecv', 'responder', 'both'],
  ['sendonly', 'responder', 'responder'],
  ['recvonly', 'responder', 'initiator'],
  ['inactive', 'responder', 'none'],
];

describe('directions', () => {
  it('otherRole swaps the roles', () => {
    expect(otherRole('initiator')).toBe('responder');
    expect(otherRole('responder')).toBe('initiator');
  });

  it.each(TABLE)('a=%s written by the %s is senders=%s', (direction, writer, senders) => {
    expect(sendersFromDirection(direction, writer)).toBe(senders);
  });

  it.each(TABLE)('senders=%s read by the %s is a=%s', (direction, writer, senders) => {
    expect(directionFromSenders(senders, writer)).toBe(direction);
  });

  it.each(ROLES)('the two are inverse for the %s, in both orders', (writer) => {
    for (const d of DIRECTIONS) expect(directionFromSenders(sendersFromDirection(d, writer), writer)).toBe(d);
    for (const s of SENDERS) expect(sendersFromDirection(directionFromSenders(s, writer), writer)).toBe(s);
  });

  it('the same senders means opposite directions for the two roles (one-way media, the silent failure)', () => {
    expect(directionFromSenders('initiator', 'initiator')).toBe('sendonly');
    expect(directionFromSenders('initiator', 'responder')).toBe('recvonly');
  });
});

describe('directions through the translator', () => {
  const sdp = (direction: Direction): string => ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', `a=${direction}`, 'a=rtpmap:111 opus/48000/2',
    // Without a fingerprint jingleToSdp refuses the way back (security-error).
    `a=fingerprint:sha-256 ${Array(32).fill('AB').join(':')}`, ''].join('\r\n');

  it.each(TABLE)('a=%s from the %s: <content senders=%s>, and back', (direction, writer, senders) => {
    const j = sdpToJingleModel(sdp(direction), { role: writer, sid: 'd' });
    expect(j.contents[0]!.senders).toBe(senders);
    expect(parseSdp(jingleToSdp(buildJingle(j), { role: writer })).media[0]!.direction).toBe(direction);
  });

  it.each(TABLE)('extmap direction %s from the %s: rtp-hdrext senders=%s, and back', (direction, writer, senders) => {
    const text = sdp('sendrecv').replace('a=sendrecv', `a=sendrecv\r\na=extmap:1/${direction} urn:ietf:params:rtp-hdrext:sdes:mid`);
    const j = sdpToJingleModel(text, { role: writer, sid: 'd' });
    // sendrecv is the default and is left out of the Jingle.
    expect(j.contents[0]!.description!.headerExtensions[0]!.senders ?? 'both').toBe(senders);
    const back = parseSdp(jingleToSdp(buildJingle(j), { role: writer })).media[0]!.extmaps[0]!;
    expect(back.direction ?? 'sendrecv').toBe(direction);
  });
});
