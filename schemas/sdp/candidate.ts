/**
 * ICE candidate attribute grammar, RFC 8839 section 5.1 (and RFC 6544's tcptype), shared by the SDP
 * parser and by trickle ICE, where a browser hands out one `candidate:` line at a time.
 */
import { TranslateError } from '../errors.ts';
import type { Candidate } from './model.ts';
import { parseInteger } from './numbers.ts';
import { ADDRESS, CANDIDATE_TYPES, EXTENSION_NAME, EXTENSION_VALUE, TCP_TYPES } from './tokens.ts';

/** Parses `candidate:...` or `a=candidate:...`. `where` names the line for errors. */
export function parseCandidate(text: string, where: { number: number; text: string } = { number: 1, text }): Candidate {
  let body = text;
  // Compared by hand and by slice: startsWith is a slow generic builtin call in V8, and this runs per candidate.
  if (body.charCodeAt(0) === 97 /* a */ && body.charCodeAt(1) === 61 /* = */) body = body.slice(2);
  if (body.slice(0, 10) !== 'candidate:') throw bad('not a candidate attribute');
  const f = tokens(body, 10);
  if (f.length < 8 || f[6] !== 'typ') throw bad('expected "candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>"');
  const [foundation, component, protocol, priority, ip, port, , type] = f as [string, string, string, string, string, string, string, string];
  if (!/^[A-Za-z0-9+/]{1,32}$/.test(foundation)) throw bad('bad foundation');
  if (!/^[A-Za-z0-9-]{1,32}$/.test(protocol)) throw bad('bad transport');
  if (!ADDRESS.test(ip)) throw bad('bad connection address');
  if (!CANDIDATE_TYPES.includes(type)) throw bad('candidate type must be host, srflx, prflx or relay');
  const c: Candidate = {
    foundation,
    component: num(component, 1, 256, 'component'),
    protocol,
    priority: num(priority, 0, 0xffffffff, 'priority'),
    ip,
    port: num(port, 0, 65535, 'port'),
    type,
    extensions: [],
  };
  if (f.length % 2 !== 0) throw bad('extension attribute without a value');
  for (let i = 8; i < f.length; i += 2) {
    const name = f[i] as string;
    const value = f[i + 1] as string;
    switch (name) {
      case 'raddr':
        if (!ADDRESS.test(value)) throw bad('bad raddr');
        c.relAddr = value;
        break;
      case 'rport': c.relPort = num(value, 0, 65535, 'rport'); break;
      case 'tcptype':
        if (!TCP_TYPES.includes(value)) throw bad('tcptype must be active, passive or so');
        c.tcpType = value;
        break;
      case 'generation': c.generation = num(value, 0, 0xffffffff, 'generation'); break;
      case 'ufrag':
        if (!/^[A-Za-z0-9+/]{1,256}$/.test(value)) throw bad('bad ufrag');
        c.ufrag = value;
        break;
      case 'network-id': c.networkId = num(value, 0, 0xffffffff, 'network-id'); break;
      case 'network-cost': c.networkCost = num(value, 0, 0xffffffff, 'network-cost'); break;
      default:
        if (!EXTENSION_NAME.test(name) || !EXTENSION_VALUE.test(value)) throw bad('bad extension attribute');
        c.extensions.push([name, value]);
    }
  }
  return c;

  function num(s: string, min: number, max: number, field: string): number {
    return parseInteger(s, min, max, field, where);
  }
  function bad(message: string): TranslateError {
    return new TranslateError('malformed', message, { line: where });
  }
}

/** Space-separated fields from `start`, tolerating runs of spaces and tabs; indexOf beats split here. */
function tokens(s: string, start: number): string[] {
  // The common case, single spaces and no tabs: cut at each space. (split(' ') would give the same
  // fields, but goes through a runtime call that costs more than all of these together.)
  if (s.indexOf('\t', start) < 0 && s.indexOf('  ', start) < 0 && s.charCodeAt(start) !== 32 && s.charCodeAt(s.length - 1) !== 32) {
    const fields: string[] = [];
    for (let i = start; ;) {
      const space = s.indexOf(' ', i);
      if (space < 0) {
        fields.push(s.slice(i));
        return fields;
      }
      fields.push(s.slice(i, space));
      i = space + 1;
    }
  }
  const out: string[] = [];
  const len = s.length;
  let i = start;
  while (i < len) {
    let c = s.charCodeAt(i);
    while (i < len && (c === 32 || c === 9)) c = s.charCodeAt(++i);
    if (i >= len) break;
    let j = s.indexOf(' ', i);
    if (j < 0) j = len;
    const tab = s.indexOf('\t', i);
    if (tab >= 0 && tab < j) j = tab;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** Writes the attribute value, `candidate:...` without `a=`. */
export function writeCandidate(c: Candidate): string {
  let s = `candidate:${c.foundation} ${c.component} ${c.protocol} ${c.priority} ${c.ip} ${c.port} typ ${c.type}`;
  if (c.relAddr !== undefined) s += ` raddr ${c.relAddr}`;
  if (c.relPort !== undefined) s += ` rport ${c.relPort}`;
  if (c.tcpType !== undefined) s += ` tcptype ${c.tcpType}`;
  if (c.generation !== undefined) s += ` generation ${c.generation}`;
  if (c.ufrag !== undefined) s += ` ufrag ${c.ufrag}`;
  if (c.networkId !== undefined) s += ` network-id ${c.networkId}`;
  if (c.networkCost !== undefined) s += ` network-cost ${c.networkCost}`;
  for (const [name, value] of c.extensions) s += ` ${name} ${value}`;
  return s;
}
