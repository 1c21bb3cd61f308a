// What each fixture of test/fixtures/jingle/ says, read off its XML (not off our translation): per
// <content>, in order, the m-line it must become. Counts are of elements in the XML: rtcpFb counts
// <rtcp-fb> and <rtcp-fb-trr-int> (each one a=rtcp-fb line), candidates the <candidate>s of the
// content's transport. `lines` are exact lines the SDP must hold, for the forms that broke before.

export interface MediaFacts {
  mid: string;
  kind: 'audio' | 'video' | 'application';
  /** Payload-type ids, in order (the m-line's formats). */
  pts: number[];
  rtcpFb: number;
  /** rtp-hdrext ids. */
  extmap: number[];
  candidates: number;
  ssrcs?: number[];
  /** 'SEMANTICS ssrc ssrc...' */
  groups?: string[];
  /** A content we cannot use: a port-0 m-line, left out of BUNDLE. */
  rejected?: true;
}

export interface SessionFacts {
  action: 'session-initiate' | 'session-accept';
  /** 'hash VALUE' of the content's DTLS fingerprint. */
  fingerprint: string;
  lines?: string[];
  media: MediaFacts[];
}

export interface TransportInfoFacts {
  action: 'transport-info';
  /** Each candidate: its content, the transport's ufrag, and how its a=candidate line starts. */
  candidates: { mid: string; ufrag: string; starts: string }[];
}

export type Facts = SessionFacts | TransportInfoFacts;

export const CORPUS: Record<string, Facts> = {
  'conversations-audio-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 E1:F2:00:9D:72:39:61:3B:6B:E4:0E:39:C8:25:75:03:6C:97:9D:01:EB:E9:02:CE:25:0D:A3:F5:70:E7:18:69',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 0, ssrcs: [2732978383] },
    ],
  },
  'conversations-audio-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 46:F2:09:A2:68:D9:AF:57:6C:28:15:14:B3:3A:88:0C:2E:20:7A:A9:2A:FB:7C:BF:A4:31:31:50:83:CF:23:4B',
    // Stream ids in the source's XEP-0339 <parameter name='msid'>.
    lines: ['a=msid:e04644a9-5744-4d19-a9e0-8fed1bc47ff3 c06aa93b-9410-43e7-8c49-2f20c059e4cd'],
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 0, ssrcs: [2452875660] },
    ],
  },
  'conversations-audio-transport-info': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'T2U2', starts: 'candidate:2353081087 1 udp 2122194687 192.0.2.2 60949 typ host' }] },
  'conversations-audio-video-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 03:38:02:26:66:22:F9:B0:BB:81:D0:F6:24:8D:01:3B:33:A3:61:A3:C7:79:56:52:37:07:5E:6B:C1:1B:F5:98',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 0, ssrcs: [791181463] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 0, ssrcs: [1224924951, 1477402185], groups: ['FID 1224924951 1477402185'] },
    ],
  },
  'conversations-audio-video-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 88:BE:A5:3D:0D:0D:63:8D:AE:0D:9F:FC:18:4C:4B:E0:B7:8D:3B:B3:EF:1A:32:EF:2A:0F:FF:D6:5C:DC:53:07',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 0, ssrcs: [1143424683] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 0, ssrcs: [4006188874, 3067961198], groups: ['FID 3067961198 4006188874'] },
    ],
  },
  'conversations-audio-video-transport-info': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'T9A+', starts: 'candidate:1870356424 1 udp 2122194687 192.0.2.2 35182 typ host' }] },
  'dino-transport-info': { action: 'transport-info', candidates: [{ mid: 'video', ufrag: 'iDP1', starts: 'candidate:7 2 udp 1679819518 195.52.176.74 39404 typ srflx' }] },
  'jitsi-lib-jitsi-meet-spec-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 09:B1:51:0F:85:4C:80:19:A1:AF:81:73:47:EE:ED:3D:00:3A:84:C7:76:C1:4E:34:BE:56:F6:42:AD:15:D5:D7',
    // <parameter name="" value="0-15"/>: lib-jitsi-meet's form of a bare fmtp value.
    lines: ['a=fmtp:126 0-15', 'a=rtcp-fb:96 nack pli', 'a=extmap:5 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01'],
    media: [
      { mid: 'audio', kind: 'audio', pts: [111, 103, 104, 126], rtcpFb: 1, extmap: [1, 5], candidates: 2, ssrcs: [4039389863] },
      { mid: 'video', kind: 'video', pts: [100, 96], rtcpFb: 8, extmap: [3, 5], candidates: 2, ssrcs: [3758540092] },
    ],
  },
  'movim-audio-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 E1:F2:00:9D:72:39:61:3B:6B:E4:0E:39:C8:25:75:03:6C:97:9D:01:EB:E9:02:CE:25:0D:A3:F5:70:E7:18:69',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 2, ssrcs: [2732978383] },
    ],
  },
  'movim-audio-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 46:F2:09:A2:68:D9:AF:57:6C:28:15:14:B3:3A:88:0C:2E:20:7A:A9:2A:FB:7C:BF:A4:31:31:50:83:CF:23:4B',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 4, ssrcs: [2452875660] },
    ],
  },
  'movim-audio-transport-info': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'T2U2', starts: 'candidate:2353081087 1 udp 2122194687 192.0.2.2 60949 typ host' }] },
  'movim-audio-video-data-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 97:BB:AC:99:BC:ED:BA:2F:80:3A:34:95:34:EC:FD:A8:06:8A:70:3B:B4:9B:68:D8:0E:12:0B:79:5F:31:B5:F2',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 2, ssrcs: [980670966] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 0, ssrcs: [2117377507, 1210903627] },
      { mid: '2', kind: 'application', pts: [], rtcpFb: 0, extmap: [], candidates: 0, rejected: true },
    ],
  },
  'movim-audio-video-data-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 DB:36:3F:3F:51:9E:9C:FD:EB:DE:EF:A1:7A:22:F7:C1:CD:8E:96:0A:8D:BA:D8:3E:52:BE:4B:52:2B:8A:18:1E',
    // The data channel as an RTP description without payload types: rejected, the call kept.
    lines: [],
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 4, ssrcs: [1577732973] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 4, ssrcs: [1963651857, 4097419746] },
      { mid: '2', kind: 'application', pts: [], rtcpFb: 0, extmap: [], candidates: 4, rejected: true },
    ],
  },
  'movim-audio-video-data-transport-info': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'agRu', starts: 'candidate:2530859826 1 udp 2122194687 192.0.2.2 40947 typ host' }] },
  'movim-audio-video-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 03:38:02:26:66:22:F9:B0:BB:81:D0:F6:24:8D:01:3B:33:A3:61:A3:C7:79:56:52:37:07:5E:6B:C1:1B:F5:98',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 2, ssrcs: [791181463] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 0, ssrcs: [1224924951, 1477402185] },
    ],
  },
  'movim-audio-video-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 88:BE:A5:3D:0D:0D:63:8D:AE:0D:9F:FC:18:4C:4B:E0:B7:8D:3B:B3:EF:1A:32:EF:2A:0F:FF:D6:5C:DC:53:07',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 4, ssrcs: [1143424683] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 4, ssrcs: [3067961198, 4006188874] },
    ],
  },
  'movim-audio-video-transport-info': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'T9A+', starts: 'candidate:1870356424 1 udp 2122194687 192.0.2.2 35182 typ host' }] },
  'movim-firefox-audio-video-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 E6:CC:A7:38:DF:9C:92:78:29:38:A1:B9:87:AB:42:2F:72:B9:F3:70:2E:91:C3:C5:1E:4F:FB:45:42:9F:6E:2D',
    media: [
      { mid: '0', kind: 'audio', pts: [109, 9, 0, 8, 101], rtcpFb: 4, extmap: [1, 3, 7], candidates: 4, ssrcs: [252023524] },
      { mid: '1', kind: 'video', pts: [120, 124, 121, 125, 99, 100, 123, 122, 119], rtcpFb: 25, extmap: [3, 4, 5, 7], candidates: 0, ssrcs: [1376773431, 2382596825] },
    ],
  },
  'movim-firefox-audio-video-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 36:EF:2D:59:3F:44:BB:33:2D:18:6D:71:EE:E0:DA:93:DD:84:D0:41:0F:B7:51:D6:93:03:9D:92:2F:4F:C9:16',
    media: [
      { mid: '0', kind: 'audio', pts: [109, 9, 0, 8, 101], rtcpFb: 4, extmap: [1, 2, 3, 7], candidates: 8, ssrcs: [2907643864] },
      { mid: '1', kind: 'video', pts: [120, 124, 121, 125, 99, 100, 123, 122, 119], rtcpFb: 25, extmap: [3, 4, 5, 6, 7], candidates: 8, ssrcs: [898428539, 1823756391] },
    ],
  },
  'stanzajs-audio-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 E1:F2:00:9D:72:39:61:3B:6B:E4:0E:39:C8:25:75:03:6C:97:9D:01:EB:E9:02:CE:25:0D:A3:F5:70:E7:18:69',
    // Stream ids only in StanzaJS's <stream xmlns='urn:xmpp:jingle:apps:rtp:msid:0'>.
    lines: ['a=msid:79a5e759-28a4-4923-b769-3191ac8948f7 ec0ed297-bc28-4fda-8cea-073b1d941e05'],
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 2, ssrcs: [2732978383] },
    ],
  },
  'stanzajs-audio-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 46:F2:09:A2:68:D9:AF:57:6C:28:15:14:B3:3A:88:0C:2E:20:7A:A9:2A:FB:7C:BF:A4:31:31:50:83:CF:23:4B',
    // <parameter name="111/111"/>: StanzaJS's form of a bare fmtp value; rtcpf:/rtph: prefixes.
    lines: ['a=fmtp:63 111/111', 'a=rtcp-fb:111 transport-cc', 'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid'],
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 4, ssrcs: [2452875660] },
    ],
  },
  'stanzajs-audio-transport-info-0': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'T2U2', starts: 'candidate:2353081087 1 udp 2122194687 192.0.2.2 60949 typ host' }] },
  'stanzajs-audio-video-data-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 97:BB:AC:99:BC:ED:BA:2F:80:3A:34:95:34:EC:FD:A8:06:8A:70:3B:B4:9B:68:D8:0E:12:0B:79:5F:31:B5:F2',
    lines: ['a=ssrc:1210903627 cname:YjOGLLmzJU4Bvgzi'],
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 2, ssrcs: [980670966] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 0, ssrcs: [2117377507], groups: ['FID 2117377507 1210903627'] },
      { mid: '2', kind: 'application', pts: [], rtcpFb: 0, extmap: [], candidates: 0 },
    ],
  },
  'stanzajs-audio-video-data-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 DB:36:3F:3F:51:9E:9C:FD:EB:DE:EF:A1:7A:22:F7:C1:CD:8E:96:0A:8D:BA:D8:3E:52:BE:4B:52:2B:8A:18:1E',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 4, ssrcs: [1577732973] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 4, ssrcs: [1963651857, 4097419746], groups: ['FID 1963651857 4097419746'] },
      { mid: '2', kind: 'application', pts: [], rtcpFb: 0, extmap: [], candidates: 4 },
    ],
  },
  'stanzajs-audio-video-data-transport-info-0': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'agRu', starts: 'candidate:2530859826 1 udp 2122194687 192.0.2.2 40947 typ host' }] },
  'stanzajs-audio-video-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 03:38:02:26:66:22:F9:B0:BB:81:D0:F6:24:8D:01:3B:33:A3:61:A3:C7:79:56:52:37:07:5E:6B:C1:1B:F5:98',
    // The FID group's RTX member has no <source>: it takes its primary's cname.
    lines: ['a=ssrc-group:FID 1224924951 1477402185', 'a=ssrc:1477402185 cname:4UOqJGbzZvqYa6Sa', 'a=fmtp:63 111/111'],
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 2, ssrcs: [791181463] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 0, ssrcs: [1224924951], groups: ['FID 1224924951 1477402185'] },
    ],
  },
  'stanzajs-audio-video-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 88:BE:A5:3D:0D:0D:63:8D:AE:0D:9F:FC:18:4C:4B:E0:B7:8D:3B:B3:EF:1A:32:EF:2A:0F:FF:D6:5C:DC:53:07',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 4, ssrcs: [1143424683] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 4, ssrcs: [3067961198, 4006188874], groups: ['FID 3067961198 4006188874'] },
    ],
  },
  'stanzajs-audio-video-transport-info-0': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'T9A+', starts: 'candidate:1870356424 1 udp 2122194687 192.0.2.2 35182 typ host' }] },
  'stanzajs-audio-video-transport-info-4': { action: 'transport-info', candidates: [{ mid: '0', ufrag: 'T9A+', starts: 'candidate:2446429020 1 tcp 1518214911 192.0.2.2 9 typ host' }] },
  'stanzajs-firefox-audio-video-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 E6:CC:A7:38:DF:9C:92:78:29:38:A1:B9:87:AB:42:2F:72:B9:F3:70:2E:91:C3:C5:1E:4F:FB:45:42:9F:6E:2D',
    lines: ['a=ssrc:2382596825 cname:{aede1e8c-c08c-4a19-8321-3119a0cfde7e}'],
    media: [
      { mid: '0', kind: 'audio', pts: [109, 9, 0, 8, 101], rtcpFb: 4, extmap: [1, 3, 7], candidates: 4, ssrcs: [252023524] },
      { mid: '1', kind: 'video', pts: [120, 124, 121, 125, 99, 100, 123, 122, 119], rtcpFb: 25, extmap: [3, 4, 5, 7], candidates: 0, ssrcs: [1376773431], groups: ['FID 1376773431 2382596825'] },
    ],
  },
  'stanzajs-firefox-audio-video-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 36:EF:2D:59:3F:44:BB:33:2D:18:6D:71:EE:E0:DA:93:DD:84:D0:41:0F:B7:51:D6:93:03:9D:92:2F:4F:C9:16',
    media: [
      { mid: '0', kind: 'audio', pts: [109, 9, 0, 8, 101], rtcpFb: 4, extmap: [1, 2, 3, 7], candidates: 8, ssrcs: [2907643864] },
      { mid: '1', kind: 'video', pts: [120, 124, 121, 125, 99, 100, 123, 122, 119], rtcpFb: 25, extmap: [3, 4, 5, 6, 7], candidates: 8, ssrcs: [898428539, 1823756391], groups: ['FID 898428539 1823756391'] },
    ],
  },
  'stanzajs-protocol-case-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 E9:02:21:50:CB:BD:C3:47:1B:70:E8:4E:5F:A9:5C:E5:42:5A:DF:FB:02:30:BD:8B:7C:90:EE:0A:70:04:CC:99',
    // rtcpf:/rtph: prefixes, <rtcpf:rtcp-fb-trr-int>.
    lines: ['a=rtcp-fb:102 trr-int 100', 'a=rtcp-fb:96 ccm fir', 'a=extmap:14 urn:ietf:params:rtp-hdrext:toffset', 'a=rtcp-fb:111 transport-cc'],
    media: [
      { mid: 'audio', kind: 'audio', pts: [111, 103, 104, 9, 0, 8, 106, 105, 13, 110, 112, 113, 126], rtcpFb: 1, extmap: [1, 2], candidates: 0, ssrcs: [2992613145] },
      { mid: 'video', kind: 'video', pts: [96, 97, 98, 99, 100, 101, 102, 122, 127, 121, 125, 107, 108, 109, 124, 120, 123, 119, 114, 115, 116], rtcpFb: 47, extmap: [14, 13, 3, 2, 5, 6, 7, 8, 9], candidates: 0, ssrcs: [3883348418, 1145569248], groups: ['FID 3883348418 1145569248'] },
    ],
  },
  'strophe-jingle-audio-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 E1:F2:00:9D:72:39:61:3B:6B:E4:0E:39:C8:25:75:03:6C:97:9D:01:EB:E9:02:CE:25:0D:A3:F5:70:E7:18:69',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 2, ssrcs: [2732978383] },
    ],
  },
  'strophe-jingle-audio-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 46:F2:09:A2:68:D9:AF:57:6C:28:15:14:B3:3A:88:0C:2E:20:7A:A9:2A:FB:7C:BF:A4:31:31:50:83:CF:23:4B',
    // <parameter name="" value="111/111"/>: strophe.jingle's form of a bare fmtp value.
    lines: ['a=fmtp:63 111/111'],
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 4, ssrcs: [2452875660] },
    ],
  },
  'strophe-jingle-audio-video-session-accept': {
    action: 'session-accept', fingerprint: 'sha-256 03:38:02:26:66:22:F9:B0:BB:81:D0:F6:24:8D:01:3B:33:A3:61:A3:C7:79:56:52:37:07:5E:6B:C1:1B:F5:98',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 2, ssrcs: [791181463] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 0, ssrcs: [1224924951, 1477402185] },
    ],
  },
  'strophe-jingle-audio-video-session-initiate': {
    action: 'session-initiate', fingerprint: 'sha-256 88:BE:A5:3D:0D:0D:63:8D:AE:0D:9F:FC:18:4C:4B:E0:B7:8D:3B:B3:EF:1A:32:EF:2A:0F:FF:D6:5C:DC:53:07',
    media: [
      { mid: '0', kind: 'audio', pts: [111, 63, 9, 0, 8, 13, 110, 126], rtcpFb: 1, extmap: [1, 2, 3, 4], candidates: 4, ssrcs: [1143424683] },
      { mid: '1', kind: 'video', pts: [96, 97, 102, 103, 104, 107, 108, 109, 114, 115, 116, 117, 39, 40, 45, 46, 98, 99, 100, 101, 118, 119, 120], rtcpFb: 50, extmap: [14, 2, 13, 3, 5, 6, 7, 8, 4, 10, 11], candidates: 4, ssrcs: [3067961198, 4006188874] },
    ],
  },
};
