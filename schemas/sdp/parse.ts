/**
 * SDP text -> Session model (RFC 8866 grammar, WebRTC attributes). Strict about the syntax of the lines
 * it knows, keeps every other line verbatim in `other`, never drops one.
 */
import { TranslateError } from '../errors.ts';
import { DEFAULT_LIMITS, type Limits } from '../limits.ts';
import { parseCandidate } from './candidate.ts';
import { parseAttribute } from './parse-attribute.ts';
import { emptyMedia, emptySession, type Media, type Session } from './model.ts';
import { parseInteger } from './numbers.ts';
import { BANDWIDTH_TYPE } from './tokens.ts';
import { findNonXmlCharacter, overByteLimit } from '../xml-chars.ts';

export interface LineRef {
  number: number;
  text: string;
}

export function parseSdp(text: string, limits: Limits = DEFAULT_LIMITS): Session {
  if (overByteLimit(text, limits.maxBytes)) {
    throw new TranslateError('too-large', `SDP is larger than ${limits.maxBytes} bytes`, { limit: 'maxBytes' });
  }
  rejectNonXmlCharacters(text);
  const session = emptySession({ username: '-', sessionId: '0', sessionVersion: '0', netType: 'IN', addrType: 'IP4', address: '0.0.0.0' });
  let media: Media | undefined;
  // One line reference, updated per line: errors copy it when thrown, and parsing stops there.
  const line: LineRef = { number: 0, text: '' };
  let sawVersion = false;
  let sawOrigin = false;

  // Lines are cut out one by one (CRLF or LF), one string each: split() and then trimming the CR
  // would make two.
  let number = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const raw = text.slice(start, stop);
    start = end + 1;
    number++;
    if (raw.length === 0) continue; // stray blank lines are harmless
    line.number = number;
    line.text = raw;
    if (raw.length > limits.maxLineLength) {
      throw new TranslateError('too-large', `line is longer than ${limits.maxLineLength} characters`, { line, limit: 'maxLineLength' });
    }
    if (raw.includes('\r')) throw new TranslateError('malformed', 'carriage return inside a line', { line });
    const first = raw.charCodeAt(0);
    if (raw.length < 2 || raw.charCodeAt(1) !== 61 /* = */ || first < 97 || first > 122) {
      throw new TranslateError('malformed', 'expected "<type>=<value>"', { line });
    }
    if (first === 97 /* a */ && sawVersion) {
      // Most lines are attributes: they take the whole line, no slice of it.
      parseAttribute(raw, media ?? session, media, session, line, limits);
      continue;
    }
    const type = raw[0] as string;
    const value = raw.slice(2);
    if (!sawVersion) {
      if (type !== 'v' || value !== '0') throw new TranslateError('malformed', 'SDP must start with v=0', { line });
      sawVersion = true;
      continue;
    }
    switch (type) {
      case 'm': {
        if (session.media.length >= limits.maxMedia) {
          throw new TranslateError('too-large', `more than ${limits.maxMedia} m= lines`, { line, limit: 'maxMedia' });
        }
        media = parseMediaLine(value, line);
        mLines.set(media, number);
        session.media.push(media);
        break;
      }
      case 'c':
        (media ?? session).connection = value;
        break;
      case 'b': {
        const colon = value.indexOf(':');
        if (colon <= 0 || !BANDWIDTH_TYPE.test(value.slice(0, colon))) throw new TranslateError('malformed', 'expected b=<type>:<bandwidth>', { line });
        const bw = parseInteger(value.slice(colon + 1), 0, 0xffffffff, 'bandwidth', line);
        const list = (media ?? session).bandwidths;
        if (list.length >= limits.maxListLength) throw new TranslateError('too-large', `more than ${limits.maxListLength} b= lines`, { line, limit: 'maxListLength' });
        list.push({ type: value.slice(0, colon), value: bw });
        break;
      }
      case 'o':
        if (media) throw new TranslateError('malformed', 'o= inside a media section', { line });
        session.origin = parseOrigin(value, line);
        sawOrigin = true;
        break;
      case 's': case 't':
        if (media) throw new TranslateError('malformed', `${type}= belongs before the first m= line`, { line });
        if (type === 's') session.name = value;
        else session.timing = value;
        break;
      case 'v':
        throw new TranslateError('malformed', 'v= may appear only once', { line });
      default:
        // What a <line> may carry back (jingle/sdp-lines.ts): i= and k= in a media section, anything else
        // but the structure before the first m= line.
        if (media && type !== 'i' && type !== 'k') throw new TranslateError('malformed', `${type}= does not belong in a media section`, { line });
        if ((media ?? session).other.length >= limits.maxListLength) throw new TranslateError('too-large', `more than ${limits.maxListLength} lines we do not know`, { line, limit: 'maxListLength' });
        (media ?? session).other.push(raw);
    }
  }
  if (!sawVersion) throw new TranslateError('missing', 'empty SDP: no v=0 line');
  if (!sawOrigin) throw new TranslateError('missing', 'SDP has no o= line');
  return session;
}

/**
 * Everything we read ends up in XML. A control character or a lone surrogate there makes the whole
 * stream ill-formed, and the server would close it: refuse such input here, naming the line.
 */
function rejectNonXmlCharacters(text: string): void {
  const at = findNonXmlCharacter(text);
  if (at < 0) return;
  const number = text.slice(0, at).split('\n').length;
  const start = text.lastIndexOf('\n', at) + 1;
  const end = text.indexOf('\n', at);
  const lineText = text.slice(start, end < 0 ? undefined : end).replace(/[^\x20-\x7e]/g, '?');
  throw new TranslateError('malformed', `character U+${text.charCodeAt(at).toString(16).padStart(4, '0')} is not allowed`, { line: { number, text: lineText } });
}

function parseMediaLine(value: string, line: LineRef): Media {
  const f = value.split(' ');
  if (f.length < 4) throw new TranslateError('malformed', 'expected m=<media> <port> <proto> <fmt> ...', { line });
  const [kind, portSpec, protocol] = f as [string, string, string];
  if (!/^[a-z0-9-]{1,32}$/i.test(kind)) throw new TranslateError('malformed', 'bad media type', { line });
  if (!/^[A-Za-z0-9/._-]{1,64}$/.test(protocol)) throw new TranslateError('malformed', 'bad transport protocol', { line });
  const slash = portSpec.indexOf('/');
  const port = parseInteger(slash < 0 ? portSpec : portSpec.slice(0, slash), 0, 65535, 'port', line);
  const formats = f.slice(3);
  for (const fmt of formats) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(fmt)) throw new TranslateError('malformed', 'bad format in m= line', { line });
  }
  const m = emptyMedia(kind, port, protocol, formats);
  if (slash >= 0) m.portCount = parseInteger(portSpec.slice(slash + 1), 1, 65535, 'port count', line);
  if (isRtp(protocol)) {
    if (new Set(formats).size !== formats.length) throw new TranslateError('invalid-value', 'a payload type is listed twice in the m= line', { line });
    for (const fmt of formats) {
      m.payloads.push({ id: parseInteger(fmt, 0, 127, 'payload type', line), parameters: [], feedback: [] });
    }
  }
  return m;
}

function parseOrigin(value: string, line: LineRef): Session['origin'] {
  const f = value.split(' ');
  if (f.length !== 6) throw new TranslateError('malformed', 'expected o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>', { line });
  const [username, sessionId, sessionVersion, netType, addrType, address] = f as [string, string, string, string, string, string];
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

/**
 * Where each parsed m-line stood, for errors found after parsing (by the translator). Kept beside the
 * model, not in it, so a model is the same data however it was made.
 */
const mLines = new WeakMap<Media, number>();

export function mLineNumber(media: Media): number | undefined {
  return mLines.get(media);
}

export function isRtp(protocol: string): boolean {
  return protocol.includes('RTP/');
}

export { parseCandidate };
