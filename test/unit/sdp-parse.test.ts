// parseSdp / writeSdp (schemas/sdp/): every captured browser SDP, unknown lines kept verbatim, a table
// of bad lines with the condition and line number each must give, and the candidate line grammar.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TranslateError, type TranslateCondition } from '../../schemas/errors.ts';
import { DEFAULT_LIMITS } from '../../schemas/limits.ts';
import { parseCandidate, writeCandidate } from '../../schemas/sdp/candidate.ts';
import { parseSdp } from '../../schemas/sdp/parse.ts';
import { writeSdp } from '../../schemas/sdp/write.ts';

const FIXTURES = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const fixtures = readdirSync(fileURLToPath(FIXTURES)).sort();
const read = (file: string): string => readFileSync(new URL(file, FIXTURES), 'utf8');

function refusal(sdp: string): TranslateError {
  try {
    parseSdp(sdp);
  } catch (e) {
    expect(e).toBeInstanceOf(TranslateError);
    return e as TranslateError;
  }
  throw new Error(`accepted: ${JSON.stringify(sdp.slice(0, 120))}`);
}

describe('browser fixtures', () => {
  it('there are fixtures to test', () => {
    expect(fixtures.filter((f) => f.endsWith('.sdp')).length).toBeGreaterThan(10);
  });

  it.each(fixtures.filter((f) => f.endsWith('.sdp')))('%s parses, and writeSdp(parseSdp(x)) parses to the same model', (file) => {
    const model = parseSdp(read(file));
    expect(model.media.length).toBeGreaterThan(0);
    const written = writeSdp(model);
    expect(parseSdp(written)).toEqual(model);
    expect(writeSdp(parseSdp(written))).toBe(written);
  });

  it.each(fixtures.filter((f) => f.endsWith('.candidates')))('%s: every trickled candidate parses and writes back', (file) => {
    const lines = read(file).split('\n').map((l) => l.trim()).filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const c = parseCandidate(line);
      expect(parseCandidate(writeCandidate(c))).toEqual(c);
    }
  });
});

const HEAD = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0'];
const sdp = (...lines: string[]): string => `${[...HEAD, ...lines].join('\r\n')}\r\n`;

describe('lines we have no field for are kept in `other`, in order, and written back', () => {
  it('media level (a=rtcp-xr, a=x-foo, i=) and session level (a=x-session, u=)', () => {
    const text = `${['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 'u=https://example.com', 't=0 0', 'a=x-session:1',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'i=microphone', 'a=mid:0', 'a=rtcp-xr:rcvr-rtt=all', 'a=x-foo'].join('\r\n')}\r\n`;
    const s = parseSdp(text);
    expect(s.other).toEqual(['u=https://example.com', 'a=x-session:1']);
    expect(s.media[0]!.other).toEqual(['i=microphone', 'a=rtcp-xr:rcvr-rtt=all', 'a=x-foo']);
    expect(parseSdp(writeSdp(s))).toEqual(s);
  });

  it('an attribute about a payload type the m= line does not list is refused, naming its line, not dropped', () => {
    expect(() => parseSdp(sdp('a=rtpmap:96 VP8/90000'))).toThrow(expect.objectContaining({ condition: 'invalid-value', line: expect.objectContaining({ number: 7 }) }));
  });
});

type Bad = [string, string, TranslateCondition, number | undefined];
const BAD: Bad[] = [
  ['rtpmap without a clock rate', sdp('a=rtpmap:111 opus'), 'malformed', 7],
  ['rtpmap with channels 0', sdp('a=rtpmap:111 opus/48000/0'), 'invalid-value', 7],
  ['fmtp without a payload type', sdp('a=fmtp:minptime=10'), 'malformed', 7],
  ['candidate with 7 fields', sdp('a=candidate:1 1 udp 2122260223 192.0.2.1 9 typ'), 'malformed', 7],
  ['candidate port 70000', sdp('a=candidate:1 1 udp 2122260223 192.0.2.1 70000 typ host'), 'invalid-value', 7],
  ['fingerprint with non-hex', sdp('a=fingerprint:sha-256 ZZ:01:02'), 'malformed', 7],
  ['setup:foo', sdp('a=setup:foo'), 'malformed', 7],
  ['extmap id 0', sdp('a=extmap:0 urn:ietf:params:rtp-hdrext:sdes:mid'), 'invalid-value', 7],
  ['extmap/bogusdir', sdp('a=extmap:1/bogusdir urn:ietf:params:rtp-hdrext:sdes:mid'), 'malformed', 7],
  ['msid with three fields', sdp('a=msid:stream track extra'), 'malformed', 7],
  ['ssrc without an attribute', sdp('a=ssrc:1234'), 'malformed', 7],
  ['ssrc 2^32', sdp('a=ssrc:4294967296 cname:x'), 'invalid-value', 7],
  ['first line not v=0', sdp().replace('v=0', 'v=1'), 'malformed', 1],
  ['first line not v= at all', `o=- 1 2 IN IP4 127.0.0.1\r\n${sdp()}`, 'malformed', 1],
  ['missing o=', sdp().replace('o=- 1 2 IN IP4 127.0.0.1\r\n', ''), 'missing', undefined],
  ['m= with port abc', sdp('m=video abc UDP/TLS/RTP/SAVPF 96'), 'invalid-value', 7],
  ['a CR inside a line', sdp('a=x-foo:a\rb'), 'malformed', 7],
  ['a NUL character', sdp('a=x-foo:a\u0000b'), 'malformed', 7],
  ['a line of 5000 characters', sdp(`a=x-foo:${'x'.repeat(4992)}`), 'too-large', 7],
  ['65 m-lines', sdp(...Array.from({ length: 64 }, () => 'm=audio 9 UDP/TLS/RTP/SAVPF 0')), 'too-large', 70],
  // One more than the limit: the first candidate over it is named (HEAD is 6 lines).
  [`${DEFAULT_LIMITS.maxListLength + 1} candidates in one m-line`, sdp(...Array.from({ length: DEFAULT_LIMITS.maxListLength + 1 }, (_, i) => `a=candidate:${i} 1 udp 1 192.0.2.1 ${(i % 65535) + 1} typ host`)), 'too-large', 6 + DEFAULT_LIMITS.maxListLength + 1],
];

describe('bad lines: a TranslateError with the condition and the 1-based line number', () => {
  it.each(BAD)('%s', (_, text, condition, line) => {
    const e = refusal(text);
    expect(e.condition, e.message).toBe(condition);
    expect(e.line?.number, e.message).toBe(line);
    // The error quotes the line; one with control characters in it is quoted sanitised, so only check clean ones.
    const quoted = line === undefined ? undefined : text.split('\r\n')[line - 1]!;
    if (quoted !== undefined && /^[\x20-\x7e]*$/.test(quoted)) expect(e.line!.text).toBe(quoted);
  });
});

describe('candidate lines (RFC 8839, RFC 6544)', () => {
  it.each([
    'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 192.0.2.2 rport 46154 generation 0 ufrag EsAw network-id 1 network-cost 10',
    'candidate:3 1 tcp 1518280447 192.0.2.2 9 typ host tcptype active generation 0 network-id 1',
    'candidate:1 1 udp 41819902 198.51.100.1 3478 typ relay raddr 203.0.113.7 rport 54321 generation 2 x-custom foo x-other 1',
    'candidate:1 2 udp 2113937151 4b5a1c3e-1c0b-4d2a-9d9b-2f6f4b1e7c11.local 54400 typ host generation 0 ufrag a+/b network-cost 999',
    'candidate:0 1 UDP 2122252543 192.0.2.2 51162 typ host',
    'candidate:2 1 TCP 2105458943 fd00::2 9 typ host tcptype active',
    'candidate:4 1 tcp 1518280447 192.0.2.2 50000 typ prflx tcptype passive',
  ])('%s parses and writes back unchanged', (line) => {
    const c = parseCandidate(line);
    expect(writeCandidate(c)).toBe(line);
    expect(parseCandidate(`a=${line}`)).toEqual(c);
  });

  it('every field is read', () => {
    expect(parseCandidate('a=candidate:842163049 2 udp 1677729535 203.0.113.7 46154 typ srflx raddr 192.0.2.2 rport 46155 '
      + 'tcptype so generation 3 ufrag EsAw network-id 4 network-cost 10 x-foo bar')).toEqual({
      foundation: '842163049', component: 2, protocol: 'udp', priority: 1677729535, ip: '203.0.113.7', port: 46154,
      type: 'srflx', relAddr: '192.0.2.2', relPort: 46155, tcpType: 'so', generation: 3, ufrag: 'EsAw', networkId: 4,
      networkCost: 10, extensions: [['x-foo', 'bar']],
    });
  });

  it("Firefox's upper-case transport is kept as written", () => {
    expect(parseCandidate('candidate:0 1 UDP 2122252543 192.0.2.2 51162 typ host').protocol).toBe('UDP');
    expect(parseCandidate('candidate:2 1 TCP 2105458943 192.0.2.2 9 typ host tcptype active')).toMatchObject({ protocol: 'TCP', tcpType: 'active' });
  });

  it.each([
    ['no typ', 'candidate:1 1 udp 1 192.0.2.1 9 host x'],
    ['an extension name without a value', 'candidate:1 1 udp 1 192.0.2.1 9 typ host generation'],
    ['component 0', 'candidate:1 0 udp 1 192.0.2.1 9 typ host'],
    ['priority 2^32', 'candidate:1 1 udp 4294967296 192.0.2.1 9 typ host'],
    ['rport -1', 'candidate:1 1 udp 1 192.0.2.1 9 typ srflx raddr 0.0.0.0 rport -1'],
    ['not a candidate', 'a=foo:1 1 udp 1 192.0.2.1 9 typ host'],
  ])('refuses %s with a TranslateError', (_, line) => {
    expect(() => parseCandidate(line)).toThrow(TranslateError);
  });
});
