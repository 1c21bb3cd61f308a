/** One `a=` line into the model: the WebRTC attributes we know, every other one kept verbatim. */
import { TranslateError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { parseCandidate } from './candidate.ts';
import { DIRECTIONS, type Direction, type Feedback, type Media, type PayloadType, type Session, type Shared } from './model.ts';
import { parseInteger } from './numbers.ts';
import { ENCODING, FEEDBACK_SUBTYPE, FEEDBACK_TYPE, FMTP_NAME, MAPPED_ATTRIBUTES, MID, SEMANTICS, SSRC_ATTRIBUTE, TOKEN, URI } from './tokens.ts';
import type { LineRef } from './parse.ts';

const SETUP_ROLES = new Set(['active', 'passive', 'actpass', 'holdconn']);

/**
 * Media-level lines are tried against the media attributes first (rtcp-fb, rtpmap and fmtp, most of
 * any SDP, come first there), then the ones valid at both levels; what neither knows is kept verbatim.
 */
export function parseAttribute(
  /** The whole line, `a=name:value`. */
  raw: string,
  target: Shared,
  media: Media | undefined,
  session: Session,
  line: LineRef,
  limits: Limits,
): void {
  const colon = raw.indexOf(':', 2);
  const name = colon < 0 ? raw.slice(2) : raw.slice(2, colon);
  const arg = colon < 0 ? '' : raw.slice(colon + 1);
  if (media) {
    if (parseMediaAttribute(name, arg, raw, media, session, line, limits)) return;
    if (parseSharedAttribute(name, arg, target, line, limits)) return;
    if (MAPPED_ATTRIBUTES.has(name)) throw bad(line, `a=${name} does not belong in a media section`);
    add(limits, line, media.other, raw); // an attribute we do not know: kept verbatim
    return;
  }
  if (parseSharedAttribute(name, arg, target, line, limits)) return;
  if (parseSessionAttribute(name, arg, session, line, limits)) return;
  if (MAPPED_ATTRIBUTES.has(name)) throw bad(line, `a=${name} belongs in a media section`);
  add(limits, line, session.other, raw);
}

function parseSharedAttribute(name: string, arg: string, target: Shared, line: LineRef, limits: Limits): boolean {
  switch (name) {
    case 'sendrecv': case 'sendonly': case 'recvonly': case 'inactive':
      target.direction = name;
      return true;
    case 'ice-ufrag':
      if (!/^[A-Za-z0-9+/]{1,256}$/.test(arg)) throw bad(line, 'bad ice-ufrag');
      target.iceUfrag = arg;
      return true;
    case 'ice-pwd':
      if (!/^[A-Za-z0-9+/]{1,256}$/.test(arg)) throw bad(line, 'bad ice-pwd');
      target.icePwd = arg;
      return true;
    case 'ice-options':
      target.iceOptions = arg.trim().split(/\s+/);
      return true;
    case 'ice-lite':
      target.iceLite = true;
      return true;
    case 'fingerprint': {
      const sp = arg.indexOf(' ');
      const hash = arg.slice(0, sp);
      const fp = arg.slice(sp + 1).trim();
      if (sp <= 0 || !/^[A-Za-z0-9-]{1,32}$/.test(hash) || !/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/.test(fp)) {
        throw bad(line, 'expected a=fingerprint:<hash> <hex pairs separated by colons>');
      }
      add(limits, line, target.fingerprints, { hash, value: fp });
      return true;
    }
    case 'setup':
      if (!SETUP_ROLES.has(arg)) throw bad(line, 'setup must be active, passive, actpass or holdconn');
      target.setup = arg;
      return true;
    case 'extmap-allow-mixed':
      target.extmapAllowMixed = true;
      return true;
    case 'extmap': {
      const m = /^(\d+)(?:\/([a-z]+))? (\S+)(?: (.+))?$/s.exec(arg);
      if (!m) throw bad(line, 'expected a=extmap:<id>[/<direction>] <uri> [<attributes>]');
      const direction = m[2] as Direction | undefined;
      if (direction !== undefined && !DIRECTIONS.includes(direction)) throw bad(line, 'bad extmap direction');
      if (!URI.test(m[3] as string) || (m[4] !== undefined && m[4].trim().split(/\s+/).some((t) => !URI.test(t)))) {
        throw bad(line, 'extmap URI and attributes are printable ASCII');
      }
      const ext = { id: int(line, m[1] as string, 1, 4351, 'extmap id'), uri: m[3] as string } as Shared['extmaps'][number];
      if (direction) ext.direction = direction;
      if (m[4] !== undefined) ext.attributes = m[4];
      add(limits, line, target.extmaps, ext);
      return true;
    }
  }
  return false;
}

function parseSessionAttribute(name: string, arg: string, session: Session, line: LineRef, limits: Limits): boolean {
  switch (name) {
    case 'group': {
      const f = arg.trim().split(/\s+/);
      if (!f[0] || !SEMANTICS.test(f[0]) || f.slice(1).some((m) => !MID.test(m))) throw bad(line, 'expected a=group:<semantics> <mid> ...');
      add(limits, line, session.groups, { semantics: f[0], mids: f.slice(1) });
      return true;
    }
    case 'msid-semantic': {
      const f = arg.trim().split(/\s+/);
      if (!f[0]) throw bad(line, 'expected a=msid-semantic:<semantic> [<id> ...]');
      session.msidSemantic = { semantic: f[0], ids: f.slice(1) };
      return true;
    }
  }
  return false;
}

function parseMediaAttribute(name: string, arg: string, raw: string, media: Media, session: Session, line: LineRef, limits: Limits): boolean {
  switch (name) {
    case 'rtcp-fb': {
      const sp = arg.indexOf(' ');
      const id = sp > 0 ? arg.slice(0, sp) : '';
      const rest = sp > 0 ? arg.slice(sp + 1).trim() : '';
      if (id === '' || rest === '') throw bad(line, 'expected a=rtcp-fb:<pt|*> <type> [<subtype>]');
      const pt = id === '*' ? undefined : listed(media, id, line);
      const sp2 = rest.indexOf(' ');
      const type = sp2 < 0 ? rest : rest.slice(0, sp2);
      const subtype = sp2 < 0 ? undefined : rest.slice(sp2 + 1).trim();
      if (!FEEDBACK_TYPE.test(type) || (subtype !== undefined && subtype !== '' && !FEEDBACK_SUBTYPE.test(subtype))) throw bad(line, 'bad rtcp-fb type');
      if (type === 'trr-int') {
        const v = int(line, subtype ?? '', 0, 0xffffffff, 'trr-int');
        if (pt) pt.trrInt = v;
        else media.trrIntAll = v;
        return true;
      }
      const fb: Feedback = subtype === undefined || subtype === '' ? { type } : { type, subtype };
      add(limits, line, pt ? pt.feedback : media.feedbackAll, fb);
      return true;
    }
    case 'rtpmap': {
      // `<pt> <encoding>/<clock rate>[/<channels>]`, cut with indexOf: one of the most common lines,
      // and String.split is several times slower here.
      const sp = arg.indexOf(' ');
      const s1 = arg.indexOf('/', sp + 1);
      const s2 = s1 < 0 ? -1 : arg.indexOf('/', s1 + 1);
      const encoding = sp > 0 && s1 > sp + 1 ? arg.slice(sp + 1, s1) : '';
      if (!ENCODING.test(encoding) || (s2 >= 0 && arg.indexOf('/', s2 + 1) >= 0)) {
        throw bad(line, 'expected a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]');
      }
      const pt = listed(media, arg.slice(0, sp), line);
      if (pt.name !== undefined) throw new TranslateError('invalid-value', `a second a=rtpmap for payload type ${pt.id}`, { line });
      pt.name = encoding;
      pt.clockRate = int(line, (s2 < 0 ? arg.slice(s1 + 1) : arg.slice(s1 + 1, s2)).trimEnd(), 1, 0xffffffff, 'clock rate');
      if (s2 >= 0) pt.channels = int(line, arg.slice(s2 + 1).trimEnd(), 1, 255, 'channels');
      return true;
    }
    case 'fmtp': {
      const sp = arg.indexOf(' ');
      if (sp <= 0) throw bad(line, 'expected a=fmtp:<pt> <parameters>');
      const pt = listed(media, arg.slice(0, sp), line);
      // One fmtp line a payload type: two would be written back as one, which could be too long to read.
      if (pt.parameters.length > 0) throw new TranslateError('invalid-value', `a second a=fmtp for payload type ${pt.id}`, { line });
      let start = sp + 1;
      while (start < arg.length) {
        let end = arg.indexOf(';', start);
        if (end < 0) end = arg.length;
        const p = arg.slice(start, end).trim();
        start = end + 1;
        if (p.length === 0) continue;
        const eq = p.indexOf('=');
        const pname = eq < 0 ? undefined : p.slice(0, eq).trim();
        if (pname !== undefined && !FMTP_NAME.test(pname)) throw bad(line, 'bad fmtp parameter name');
        add(limits, line, pt.parameters, pname === undefined ? { value: p } : { name: pname, value: p.slice(eq + 1).trim() });
      }
      return true;
    }
    case 'mid':
      if (!MID.test(arg)) throw bad(line, 'bad mid');
      if (media.mid !== undefined || session.media.some((m) => m.mid === arg)) throw new TranslateError('invalid-value', `mid '${arg}' is used twice`, { line });
      media.mid = arg;
      return true;
    case 'candidate':
      add(limits, line, media.candidates, parseCandidate(raw, line));
      return true;
    case 'end-of-candidates':
      media.endOfCandidates = true;
      return true;
    case 'rtcp': {
      const m = /^(\d+)(?: (.+))?$/s.exec(arg);
      if (!m) throw bad(line, 'expected a=rtcp:<port> [<nettype> <addrtype> <address>]');
      media.rtcp = { port: int(line, m[1] as string, 0, 65535, 'rtcp port') };
      if (m[2] !== undefined) media.rtcp.address = m[2];
      return true;
    }
    case 'rtcp-mux': media.rtcpMux = true; return true;
    case 'rtcp-mux-only': media.rtcpMuxOnly = true; return true;
    case 'rtcp-rsize': media.rtcpRsize = true; return true;
    case 'bundle-only': media.bundleOnly = true; return true;
    case 'ptime': media.ptime = int(line, arg, 0, 0xffffffff, 'ptime'); return true;
    case 'maxptime': media.maxptime = int(line, arg, 0, 0xffffffff, 'maxptime'); return true;
    case 'msid': {
      const f = arg.split(' ');
      if (f.length > 2 || !f[0]) throw bad(line, 'expected a=msid:<stream id> [<track id>]');
      add(limits, line, media.msids, f[1] !== undefined && f[1] !== '' ? { stream: f[0], track: f[1] } : { stream: f[0] });
      return true;
    }
    case 'ssrc': {
      // The `s` flag on the regexes of free-form values: SDP allows U+2028/U+2029 there; `.` alone stops at them.
      const m = /^(\d+) ([^:\s]+)(?::(.*))?$/s.exec(arg);
      if (!m) throw bad(line, 'expected a=ssrc:<ssrc> <attribute>[:<value>]');
      const ssrc = int(line, m[1] as string, 0, 0xffffffff, 'ssrc');
      if (!SSRC_ATTRIBUTE.test(m[2] as string)) throw bad(line, 'bad ssrc attribute name');
      let source = media.sources.length > 0 ? media.sources[media.sources.length - 1] : undefined;
      if (source?.ssrc !== ssrc) source = findSource(media, ssrc);
      if (!source) {
        source = { ssrc, attributes: [] };
        add(limits, line, media.sources, source);
      }
      add(limits, line, source.attributes, m[3] === undefined ? { name: m[2] as string } : { name: m[2] as string, value: m[3] });
      return true;
    }
    case 'ssrc-group': {
      const f = arg.trim().split(/\s+/);
      if (!f[0] || f.length < 2 || !SEMANTICS.test(f[0])) throw bad(line, 'expected a=ssrc-group:<semantics> <ssrc> ...');
      add(limits, line, media.ssrcGroups, { semantics: f[0], ssrcs: f.slice(1).map((s) => int(line, s, 0, 0xffffffff, 'ssrc')) });
      return true;
    }
    case 'rid': {
      const m = /^([A-Za-z0-9_-]{1,255}) (send|recv)(?: (.+))?$/s.exec(arg);
      if (!m) throw bad(line, 'expected a=rid:<id> send|recv [<restrictions>]');
      const rid = { id: m[1] as string, direction: m[2] as 'send' | 'recv' } as Media['rids'][number];
      if (m[3] !== undefined) rid.params = m[3];
      add(limits, line, media.rids, rid);
      return true;
    }
    case 'simulcast': media.simulcast = arg; return true;
    case 'sctp-port': media.sctpPort = int(line, arg, 0, 65535, 'sctp-port'); return true;
    case 'max-message-size': media.maxMessageSize = int(line, arg, 0, Number.MAX_SAFE_INTEGER, 'max-message-size'); return true;
    case 'sctpmap': {
      const f = arg.split(' ');
      if (f.length < 2 || !f[1] || !TOKEN.test(f[1])) throw bad(line, 'expected a=sctpmap:<port> <protocol> [<streams>]');
      media.sctpmap = { port: int(line, f[0] as string, 0, 65535, 'sctpmap port'), protocol: f[1] };
      if (f[2] !== undefined) media.sctpmap.streams = int(line, f[2], 0, 65535, 'sctpmap streams');
      return true;
    }
  }
  return false;
}

/** The payload type a line is about; a line about one the m= line does not list is refused. */
function listed(media: Media, id: string, line: LineRef): PayloadType {
  const pt = payload(media, id, line);
  if (!pt) throw new TranslateError('invalid-value', `payload type ${id} is not in the m= line`, { line });
  return pt;
}

function payload(media: Media, id: string, line: LineRef): PayloadType | undefined {
  const n = int(line, id, 0, 127, 'payload type');
  // rtpmap, rtcp-fb and fmtp lines of one payload type come together: try the last one found first.
  if (lastPayload !== undefined && lastPayload.id === n && lastMedia === media) return lastPayload;
  for (const p of media.payloads) {
    if (p.id === n) {
      lastMedia = media;
      lastPayload = p;
      return p;
    }
  }
  return undefined;
}

// The last payload type found, and in which m-line; a cache that never outlives its use for long.
let lastMedia: Media | undefined;
let lastPayload: PayloadType | undefined;

function findSource(media: Media, ssrc: number): Media['sources'][number] | undefined {
  for (const s of media.sources) if (s.ssrc === ssrc) return s;
  return undefined;
}

function bad(line: LineRef, message: string): TranslateError {
  return new TranslateError('malformed', message, { line });
}

function int(line: LineRef, s: string, min: number, max: number, field: string): number {
  return parseInteger(s, min, max, field, line);
}

function add<T>(limits: Limits, line: LineRef, list: T[], item: T): void {
  if (list.length >= limits.maxListLength) {
    throw new TranslateError('too-large', `more than ${limits.maxListLength} entries of one kind`, { line, limit: 'maxListLength' });
  }
  list.push(item);
}
