/** One `a=` line into the model: the WebRTC attributes we know, every other one kept verbatim. */
import { TranslateError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { parseCandidate } from './candidate.ts';
import { DIRECTIONS, type Direction, type Feedback, type Media, type PayloadType, type Session, type Shared } from './model.ts';
import { parseInteger } from './numbers.ts';
import type { LineRef } from './parse.ts';

const SETUP_ROLES = new Set(['active', 'passive', 'actpass', 'holdconn']);

export function parseAttribute(
  value: string,
  target: Shared,
  media: Media | undefined,
  session: Session,
  line: LineRef,
  limits: Limits,
): void {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  const arg = colon < 0 ? '' : value.slice(colon + 1);
  const bad = (message: string) => new TranslateError('malformed', message, { line });
  const int = (s: string, min: number, max: number, field: string) => parseInteger(s, min, max, field, line);
  const add = <T>(list: T[], item: T): void => {
    if (list.length >= limits.maxListLength) {
      throw new TranslateError('too-large', `more than ${limits.maxListLength} ${name} entries`, { line });
    }
    list.push(item);
  };

  // Attributes valid at both levels.
  switch (name) {
    case 'sendrecv': case 'sendonly': case 'recvonly': case 'inactive':
      target.direction = name;
      return;
    case 'ice-ufrag':
      if (!/^[A-Za-z0-9+/]{1,256}$/.test(arg)) throw bad('bad ice-ufrag');
      target.iceUfrag = arg;
      return;
    case 'ice-pwd':
      if (!/^[A-Za-z0-9+/]{1,256}$/.test(arg)) throw bad('bad ice-pwd');
      target.icePwd = arg;
      return;
    case 'ice-options':
      target.iceOptions = arg.trim().split(/\s+/);
      return;
    case 'ice-lite':
      target.iceLite = true;
      return;
    case 'fingerprint': {
      const sp = arg.indexOf(' ');
      const hash = arg.slice(0, sp);
      const fp = arg.slice(sp + 1).trim();
      if (sp <= 0 || !/^[A-Za-z0-9-]{1,32}$/.test(hash) || !/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/.test(fp)) {
        throw bad('expected a=fingerprint:<hash> <hex pairs separated by colons>');
      }
      add(target.fingerprints, { hash, value: fp });
      return;
    }
    case 'setup':
      if (!SETUP_ROLES.has(arg)) throw bad('setup must be active, passive, actpass or holdconn');
      target.setup = arg;
      return;
    case 'extmap-allow-mixed':
      target.extmapAllowMixed = true;
      return;
    case 'extmap': {
      const m = /^(\d+)(?:\/([a-z]+))? (\S+)(?: (.+))?$/.exec(arg);
      if (!m) throw bad('expected a=extmap:<id>[/<direction>] <uri> [<attributes>]');
      const direction = m[2] as Direction | undefined;
      if (direction !== undefined && !DIRECTIONS.includes(direction)) throw bad('bad extmap direction');
      const ext = { id: int(m[1] as string, 1, 4351, 'extmap id'), uri: m[3] as string } as Shared['extmaps'][number];
      if (direction) ext.direction = direction;
      if (m[4] !== undefined) ext.attributes = m[4];
      add(target.extmaps, ext);
      return;
    }
  }

  if (!media) {
    switch (name) {
      case 'group': {
        const f = arg.trim().split(/\s+/);
        if (!f[0]) throw bad('expected a=group:<semantics> <mid> ...');
        add(session.groups, { semantics: f[0], mids: f.slice(1) });
        return;
      }
      case 'msid-semantic': {
        const f = arg.trim().split(/\s+/);
        if (!f[0]) throw bad('expected a=msid-semantic:<semantic> [<id> ...]');
        session.msidSemantic = { semantic: f[0], ids: f.slice(1) };
        return;
      }
    }
    session.other.push(`a=${value}`);
    return;
  }

  switch (name) {
    case 'mid':
      if (!/^[A-Za-z0-9+/=_.:-]{1,64}$/.test(arg)) throw bad('bad mid');
      media.mid = arg;
      return;
    case 'candidate':
      add(media.candidates, parseCandidate(value, line));
      return;
    case 'end-of-candidates':
      media.endOfCandidates = true;
      return;
    case 'rtcp': {
      const m = /^(\d+)(?: (.+))?$/.exec(arg);
      if (!m) throw bad('expected a=rtcp:<port> [<nettype> <addrtype> <address>]');
      media.rtcp = { port: int(m[1] as string, 0, 65535, 'rtcp port') };
      if (m[2] !== undefined) media.rtcp.address = m[2];
      return;
    }
    case 'rtcp-mux': media.rtcpMux = true; return;
    case 'rtcp-mux-only': media.rtcpMuxOnly = true; return;
    case 'rtcp-rsize': media.rtcpRsize = true; return;
    case 'bundle-only': media.bundleOnly = true; return;
    case 'rtpmap': {
      const m = /^(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(arg.trim());
      if (!m) throw bad('expected a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]');
      const pt = payload(m[1] as string);
      if (!pt) break;
      pt.name = m[2] as string;
      pt.clockRate = int(m[3] as string, 1, 0xffffffff, 'clock rate');
      if (m[4] !== undefined) pt.channels = int(m[4], 1, 255, 'channels');
      return;
    }
    case 'fmtp': {
      const sp = arg.indexOf(' ');
      if (sp <= 0) throw bad('expected a=fmtp:<pt> <parameters>');
      const pt = payload(arg.slice(0, sp));
      if (!pt) break;
      for (const part of arg.slice(sp + 1).split(';')) {
        const p = part.trim();
        if (p.length === 0) continue;
        const eq = p.indexOf('=');
        add(pt.parameters, eq < 0 ? { value: p } : { name: p.slice(0, eq).trim(), value: p.slice(eq + 1).trim() });
      }
      return;
    }
    case 'rtcp-fb': {
      const m = /^(\d+|\*) (\S+)(?: (.+))?$/.exec(arg.trim());
      if (!m) throw bad('expected a=rtcp-fb:<pt|*> <type> [<subtype>]');
      const pt = m[1] === '*' ? undefined : payload(m[1] as string);
      if (m[1] !== '*' && !pt) break;
      if (m[2] === 'trr-int') {
        const v = int((m[3] ?? '').trim(), 0, 0xffffffff, 'trr-int');
        if (pt) pt.trrInt = v;
        else media.trrIntAll = v;
        return;
      }
      const fb: Feedback = { type: m[2] as string };
      if (m[3] !== undefined) fb.subtype = m[3];
      add(pt ? pt.feedback : media.feedbackAll, fb);
      return;
    }
    case 'ptime': media.ptime = int(arg, 0, 0xffffffff, 'ptime'); return;
    case 'maxptime': media.maxptime = int(arg, 0, 0xffffffff, 'maxptime'); return;
    case 'msid': {
      const f = arg.split(' ');
      if (f.length > 2 || !f[0]) throw bad('expected a=msid:<stream id> [<track id>]');
      add(media.msids, f[1] !== undefined && f[1] !== '' ? { stream: f[0], track: f[1] } : { stream: f[0] });
      return;
    }
    case 'ssrc': {
      const m = /^(\d+) ([^:\s]+)(?::(.*))?$/.exec(arg);
      if (!m) throw bad('expected a=ssrc:<ssrc> <attribute>[:<value>]');
      const ssrc = int(m[1] as string, 0, 0xffffffff, 'ssrc');
      let source = media.sources.find((s) => s.ssrc === ssrc);
      if (!source) {
        source = { ssrc, attributes: [] };
        add(media.sources, source);
      }
      add(source.attributes, m[3] === undefined ? { name: m[2] as string } : { name: m[2] as string, value: m[3] });
      return;
    }
    case 'ssrc-group': {
      const f = arg.trim().split(/\s+/);
      if (!f[0] || f.length < 2) throw bad('expected a=ssrc-group:<semantics> <ssrc> ...');
      add(media.ssrcGroups, { semantics: f[0], ssrcs: f.slice(1).map((s) => int(s, 0, 0xffffffff, 'ssrc')) });
      return;
    }
    case 'rid': {
      const m = /^([A-Za-z0-9_-]{1,255}) (send|recv)(?: (.+))?$/.exec(arg);
      if (!m) throw bad('expected a=rid:<id> send|recv [<restrictions>]');
      const rid = { id: m[1] as string, direction: m[2] as 'send' | 'recv' } as Media['rids'][number];
      if (m[3] !== undefined) rid.params = m[3];
      add(media.rids, rid);
      return;
    }
    case 'simulcast': media.simulcast = arg; return;
    case 'sctp-port': media.sctpPort = int(arg, 0, 65535, 'sctp-port'); return;
    case 'max-message-size': media.maxMessageSize = int(arg, 0, Number.MAX_SAFE_INTEGER, 'max-message-size'); return;
    case 'sctpmap': {
      const f = arg.split(' ');
      if (f.length < 2 || !f[1]) throw bad('expected a=sctpmap:<port> <protocol> [<streams>]');
      media.sctpmap = { port: int(f[0] as string, 0, 65535, 'sctpmap port'), protocol: f[1] };
      if (f[2] !== undefined) media.sctpmap.streams = int(f[2], 0, 65535, 'sctpmap streams');
      return;
    }
  }
  // Unknown attribute, or one about a payload type the m= line does not list: keep it verbatim.
  media.other.push(`a=${value}`);

  function payload(id: string): PayloadType | undefined {
    const n = int(id, 0, 127, 'payload type');
    return media!.payloads.find((p) => p.id === n);
  }
}
