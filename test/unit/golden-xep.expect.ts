// What each golden XEP example in test/fixtures/xep/ must parse to, read off the example itself.
// `model` is matched like toMatchObject (a partial model: arrays must have exactly these entries,
// objects at least these fields; `field: undefined` asserts the field is absent). `services` and
// `iceServers` are exact. `throws` says parsing must fail with a TranslateError of that condition.
import type { ExternalService, IceServer, RtpInfo, TranslateCondition } from '../../schemas/index.ts';

/** Which parse/build pair of the XEP modules the fixture's root element goes through. */
export type GoldenKind = 'jingle' | 'content' | 'description' | 'source' | 'jmi' | 'services';

export interface Golden {
  kind: GoldenKind;
  model?: object;
  /** session-info: parseRtpInfo of each payload, in order. */
  info?: RtpInfo[];
  services?: ExternalService[];
  iceServers?: IceServer[];
  throws?: TranslateCondition;
}

const SID = 'a73sjjvkla37jfea';
const ROMEO_EX = 'romeo@montague.example/dr4hcr0st3lup4c';
const JMI_ID = 'ca3cf894-5325-482f-a412-a6e9f832298d';
const FP_ACCEPT = 'BD:E8:2C:D3:BD:B6:98:50:45:7D:5B:36:89:53:31:15:52:25:88:82:06:95:88:A3:3D:A5:43:8D:5C:21:21:66';
const FP_INITIATE = '02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:A2:7D:F9:B0:7F:46:19:B2';
const FILE_CONTENT = 'file-552da749930852c69ae5d2141d3766b1';

const hostCandidate = (id: string, ip: string, network: number, port: number) => ({
  component: 1, foundation: '1', generation: 0, id, ip, network, port, priority: 2130706431, protocol: 'udp', type: 'host',
  relAddr: undefined, relPort: undefined, tcpType: undefined, extensions: [],
});
const srflxCandidate = {
  component: 1, foundation: '2', generation: 0, id: 'y3s2b30v3r', ip: '192.0.2.3', network: 1, port: 45664,
  priority: 1694498815, protocol: 'udp', type: 'srflx', relAddr: '10.0.1.1', relPort: 8998, extensions: [],
};
const initiateCandidates = [hostCandidate('el0747fg11', '10.0.1.1', 1, 8998), srflxCandidate];
const acceptCandidates = [hostCandidate('or2ii2syr1', '192.0.2.1', 0, 3478)];
const speexG729 = [
  { id: 97, name: 'speex', clockrate: 8000, parameters: [] },
  { id: 18, name: 'G729', clockrate: undefined, parameters: [] },
];

export const GOLDEN: Record<string, Golden> = {
  '0166-session-terminate.xml': {
    kind: 'jingle',
    model: { action: 'session-terminate', sid: SID, contents: [], reason: { condition: 'success', text: 'Sorry, gotta go!' } },
  },
  '0167-description-info.xml': {
    kind: 'jingle',
    model: {
      action: 'description-info', initiator: ROMEO_EX, sid: SID,
      contents: [{
        creator: 'initiator', name: 'webcam',
        description: { media: 'video', payloadTypes: [{ id: 98, name: 'theora', clockrate: 90000, parameters: [{ name: 'height', value: '768' }, { name: 'width', value: '1024' }] }] },
      }],
    },
  },
  '0167-session-accept.xml': {
    kind: 'jingle',
    model: {
      action: 'session-accept', initiator: ROMEO_EX, responder: 'juliet@capulet.example/yn0cl4bnw0yr3vym', sid: SID,
      contents: [{
        creator: 'initiator', name: 'voice', description: { media: 'audio', payloadTypes: speexG729 },
        transport: { ufrag: '9uB6', pwd: 'YH75Fviy6338Vbrhrlp8Yh', fingerprints: [], candidates: acceptCandidates },
      }],
    },
  },
  '0167-session-info-mute.xml': {
    kind: 'jingle',
    model: { action: 'session-info', initiator: ROMEO_EX, contents: [] },
    info: [{ kind: 'mute', creator: 'responder', name: 'voice' }],
  },
  '0167-session-info-ringing.xml': {
    kind: 'jingle', model: { action: 'session-info', contents: [] }, info: [{ kind: 'ringing' }],
  },
  '0167-session-initiate.xml': {
    kind: 'jingle',
    model: {
      action: 'session-initiate', initiator: ROMEO_EX, responder: undefined, sid: SID,
      contents: [{
        creator: 'initiator', name: 'voice', senders: undefined,
        description: {
          media: 'audio',
          payloadTypes: [
            { id: 96, name: 'speex', clockrate: 16000 },
            { id: 97, name: 'speex', clockrate: 8000 },
            { id: 18, name: 'G729', clockrate: undefined },
            { id: 0, name: 'PCMU' },
            { id: 103, name: 'L16', clockrate: 16000, channels: 2 },
            { id: 98, name: 'x-ISAC', clockrate: 8000 },
          ],
        },
        transport: { ufrag: '8hhy', pwd: 'asd88fgpdd777uzjYhagZg', candidates: initiateCandidates },
      }],
    },
  },
  '0167-session-terminate-invalid-crypto.xml': {
    kind: 'jingle', model: { action: 'session-terminate', reason: { condition: 'security-error', text: undefined } },
  },
  '0215-credentials-request.xml': {
    kind: 'services',
    services: [{ type: 'turn', host: 'turn.shakespeare.lit' }],
    iceServers: [{ urls: ['turn:turn.shakespeare.lit'] }],
  },
  '0215-credentials-result.xml': {
    kind: 'services',
    services: [{ type: 'turn', host: 'turn.shakespeare.lit', password: 'jj929jkj5sadjfj93v3n', username: 'nb78932lkjlskjfdb7g8' }],
    iceServers: [{ urls: ['turn:turn.shakespeare.lit'], username: 'nb78932lkjlskjfdb7g8', credential: 'jj929jkj5sadjfj93v3n' }],
  },
  '0215-services-result.xml': {
    kind: 'services',
    services: [
      { type: 'stun', host: 'stun.shakespeare.lit', port: 9998, transport: 'udp' },
      { type: 'turn', host: 'relay.shakespeare.lit', port: 9999, transport: 'udp', username: 'nb78932lkjlskjfdb7g8', password: 'jj929jkj5sadjfj93v3n' },
      { type: 'stun', host: '192.0.2.1', port: 8888, transport: 'udp' },
      { type: 'turn', host: '192.0.2.1', port: 8889, transport: 'udp', username: 'auu98sjl2wk3e9fjdsl7', password: '93jn3bakj9s832lrjbbz' },
      { type: 'ftp', host: 'ftp.shakespeare.lit', name: 'Shakespearean File Server', port: 20, transport: 'tcp', username: 'guest', password: 'guest' },
    ],
    // STUN URIs (RFC 7064) have no transport and carry no credentials; the ftp service is no ICE server.
    iceServers: [
      { urls: ['stun:stun.shakespeare.lit:9998'] },
      { urls: ['turn:relay.shakespeare.lit:9999?transport=udp'], username: 'nb78932lkjlskjfdb7g8', credential: 'jj929jkj5sadjfj93v3n' },
      { urls: ['stun:192.0.2.1:8888'] },
      { urls: ['turn:192.0.2.1:8889?transport=udp'], username: 'auu98sjl2wk3e9fjdsl7', credential: '93jn3bakj9s832lrjbbz' },
    ],
  },
  '0293-description-rtcp-fb.xml': {
    kind: 'description',
    model: {
      media: 'video', feedback: [{ type: 'nack', subtype: 'pli' }], trrInt: undefined,
      payloadTypes: [
        { id: 96, name: 'H264', clockrate: 90000, trrInt: 100, feedback: [{ type: 'nack', subtype: 'sli' }] },
        { id: 34, name: 'H263', clockrate: 90000, trrInt: undefined, feedback: [] },
      ],
    },
  },
  '0293-description-trr-int-zero.xml': {
    kind: 'description',
    model: { media: 'video', trrInt: 0, feedback: [], payloadTypes: [{ id: 96, name: 'H264' }, { id: 34, name: 'H263' }] },
  },
  '0293-session-initiate.xml': {
    kind: 'jingle',
    model: {
      action: 'session-initiate', initiator: 'romeo@montague.lit/orchard',
      contents: [
        { name: 'voice', description: { media: 'audio', payloadTypes: [{ id: 0, name: 'PCMU' }] }, transport: undefined, otherTransport: { attrs: { xmlns: 'urn:xmpp:jingle:transports:raw-udp:1' } } },
        {
          name: 'face', otherTransport: { attrs: { xmlns: 'urn:xmpp:jingle:transports:raw-udp:1' } },
          description: {
            media: 'video', feedback: [{ type: 'nack', subtype: undefined }],
            payloadTypes: [{ id: 98, name: 'H263-1998', feedback: [{ type: 'nack', subtype: 'rpsi' }], trrInt: 100 }, { id: 99, name: 'H264', feedback: [] }],
          },
        },
      ],
    },
  },
  // The XEP's own example uses id='4907', outside the range its attribute table allows (1-256,
  // 4096-4351) and RFC 8285's: the parser refuses it rather than pass an extmap no browser takes.
  '0294-description-hdrext.xml': { kind: 'description', throws: 'invalid-value' },
  '0294-description-sdp-mapping.xml': {
    kind: 'description',
    model: {
      media: 'video', extmapAllowMixed: true,
      headerExtensions: [
        { id: 1, uri: 'URI-toffset', senders: undefined },
        { id: 2, uri: 'URI-gps-string', senders: 'initiator' },
        { id: 3, uri: 'URI-frametype', senders: undefined },
      ],
    },
  },
  '0320-session-accept-fingerprint.xml': {
    kind: 'jingle',
    model: {
      action: 'session-accept',
      contents: [{ name: 'voice', transport: { ufrag: '9uB6', fingerprints: [{ hash: 'sha-256', setup: 'active', value: FP_ACCEPT }], candidates: acceptCandidates } }],
    },
  },
  '0320-session-initiate-fingerprint.xml': {
    kind: 'jingle',
    model: {
      action: 'session-initiate',
      contents: [{ name: 'voice', transport: { ufrag: '8hhy', fingerprints: [{ hash: 'sha-256', setup: 'actpass', value: FP_INITIATE }], candidates: initiateCandidates } }],
    },
  },
  '0320-transport-info-fingerprint.xml': {
    kind: 'jingle',
    model: {
      action: 'transport-info', responder: 'juliet@capulet.lit/balcony',
      contents: [{ name: 'voice', description: undefined, transport: { fingerprints: [{ hash: 'sha-256', setup: 'active', value: FP_ACCEPT }], candidates: acceptCandidates } }],
    },
  },
  '0338-group-bundle.xml': {
    kind: 'jingle',
    model: {
      action: 'session-initiate',
      groups: [{ semantics: 'BUNDLE', contents: ['voice', 'webcam'] }],
      contents: [{ creator: 'initiator', name: 'voice', description: undefined }, { creator: 'initiator', name: 'webcam', transport: undefined }],
    },
  },
  '0339-source-msid.xml': {
    kind: 'source',
    model: {
      ssrc: 1656081975,
      parameters: [
        { name: 'cname', value: 'Yv/wvbCdsDW2Prgd' },
        { name: 'msid', value: 'MLTJKIHilGn71fNQoszkQ4jlPTuS5vJyKVIv MLTJKIHilGn71fNQoszkQ4jlPTuS5vJyKVIva0' },
      ],
    },
  },
  '0339-sources-ssrc-group.xml': {
    kind: 'content',
    model: {
      creator: 'initiator', name: 'webcam',
      description: {
        media: 'video', payloadTypes: [{ id: 100, name: 'VP8', clockrate: 90000 }],
        ssrcGroups: [{ semantics: 'FID', sources: [2301230316, 386328120] }, { semantics: 'FID', sources: [3139499595, 2613715171] }],
        sources: [
          { ssrc: 2301230316, parameters: [{ name: 'cname', value: 'T5qvrIZj42v//eYQ' }] },
          { ssrc: 386328120, parameters: [{ name: 'cname', value: 'uEYgNtStZyTF74sM' }] },
          { ssrc: 3139499595, parameters: [{ name: 'cname', value: 're8jhxkly9bxzuxr' }] },
          { ssrc: 2613715171, parameters: [{ name: 'cname', value: 'f83avsiw6n1m7vi' }] },
        ],
      },
    },
  },
  '0343-session-accept-sctpmap.xml': {
    kind: 'jingle',
    model: {
      action: 'session-accept',
      contents: [{
        name: FILE_CONTENT, description: undefined, otherDescription: { attrs: { xmlns: 'urn:xmpp:jingle:apps:file-transfer:3' } },
        transport: { sctpmap: { number: 5000, protocol: 'webrtc-datachannel', streams: 1024 }, fingerprints: [{ hash: 'sha-256', setup: 'actpass', value: FP_INITIATE }], candidates: acceptCandidates },
      }],
    },
  },
  '0343-session-initiate-sctpmap.xml': {
    kind: 'jingle',
    model: {
      action: 'session-initiate',
      contents: [{
        name: FILE_CONTENT, otherDescription: { attrs: { xmlns: 'urn:xmpp:jingle:apps:file-transfer:3' } },
        transport: { sctpmap: { number: 5000, protocol: 'webrtc-datachannel', streams: 1024 }, fingerprints: [{ setup: 'actpass', value: FP_INITIATE }], candidates: initiateCandidates },
      }],
    },
  },
  '0353-finish.xml': { kind: 'jmi', model: { action: 'finish', id: JMI_ID, media: [], reason: { condition: 'success', text: 'Success' } } },
  '0353-proceed.xml': { kind: 'jmi', model: { action: 'proceed', id: JMI_ID, media: [], reason: undefined } },
  '0353-propose.xml': { kind: 'jmi', model: { action: 'propose', id: JMI_ID, media: ['audio'], reason: undefined } },
  '0353-reject.xml': { kind: 'jmi', model: { action: 'reject', id: JMI_ID, media: [], reason: { condition: 'busy', text: 'Busy' } } },
  '0353-retract.xml': { kind: 'jmi', model: { action: 'retract', id: JMI_ID, media: [], reason: { condition: 'cancel', text: 'Retracted' } } },
  '0353-ringing.xml': { kind: 'jmi', model: { action: 'ringing', id: JMI_ID, media: [] } },
};
