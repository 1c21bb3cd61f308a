/**
 * SDP directions are the writer's point of view; Jingle `senders` names a session role. Which one
 * `sendonly` means depends on who wrote the description: from the responder it is senders='responder'.
 * Getting this wrong gives one-way media with no error anywhere, so it lives in one place.
 */
import type { Direction } from '../sdp/model.ts';
import type { Role, Senders } from '../jingle/xep0166-types.ts';

export function otherRole(role: Role): Role {
  return role === 'initiator' ? 'responder' : 'initiator';
}

export function sendersFromDirection(direction: Direction, writer: Role): Senders {
  switch (direction) {
    case 'sendrecv': return 'both';
    case 'inactive': return 'none';
    case 'sendonly': return writer;
    case 'recvonly': return otherRole(writer);
  }
}

export function directionFromSenders(senders: Senders, writer: Role): Direction {
  switch (senders) {
    case 'both': return 'sendrecv';
    case 'none': return 'inactive';
    default: return senders === writer ? 'sendonly' : 'recvonly';
  }
}
