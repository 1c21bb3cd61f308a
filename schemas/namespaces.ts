/**
 * Every XML namespace we speak, one constant each, checked against the XEPs (see schemas/xsd/README.md
 * for the versions implemented).
 */
export const NS = {
  /** XEP-0166 Jingle envelope. */
  jingle: 'urn:xmpp:jingle:1',
  /** XEP-0166 Jingle-specific error conditions. */
  jingleErrors: 'urn:xmpp:jingle:errors:1',
  /** XEP-0167 RTP application. */
  rtp: 'urn:xmpp:jingle:apps:rtp:1',
  /** XEP-0167 session-info payloads (ringing, mute, hold, active). */
  rtpInfo: 'urn:xmpp:jingle:apps:rtp:info:1',
  /** XEP-0167 disco features for audio and video. */
  rtpAudio: 'urn:xmpp:jingle:apps:rtp:audio',
  rtpVideo: 'urn:xmpp:jingle:apps:rtp:video',
  /** XEP-0176 ICE-UDP transport. */
  iceUdp: 'urn:xmpp:jingle:transports:ice-udp:1',
  /** XEP-0320 DTLS-SRTP fingerprint. */
  dtls: 'urn:xmpp:jingle:apps:dtls:0',
  /** XEP-0320 before v0.3 (2013): read, never written. */
  dtlsLegacy: 'urn:xmpp:tmp:jingle:apps:dtls:0',
  /** XEP-0338 grouping (BUNDLE). */
  grouping: 'urn:xmpp:jingle:apps:grouping:0',
  /** XEP-0339 source-specific media attributes. */
  ssma: 'urn:xmpp:jingle:apps:rtp:ssma:0',
  /**
   * StanzaJS's <stream id track/> in an RTP <description> (src/protocol/xep0167.ts, "media streams
   * list"; no XEP defines it): a=msid. Read, and written beside XEP-0339's msid source parameter.
   */
  rtpMsid: 'urn:xmpp:jingle:apps:rtp:msid:0',
  /** XEP-0293 RTCP feedback. */
  rtcpFb: 'urn:xmpp:jingle:apps:rtp:rtcp-fb:0',
  /** XEP-0294 RTP header extensions. */
  rtpHdrext: 'urn:xmpp:jingle:apps:rtp:rtp-hdrext:0',
  /** XEP-0343 SCTP data channels over the ICE-UDP transport. */
  dtlsSctp: 'urn:xmpp:jingle:transports:dtls-sctp:1',
  /** XEP-0353 Jingle Message Initiation. */
  jmi: 'urn:xmpp:jingle-message:0',
  /** XEP-0334 message processing hints (`<store/>` on JMI propose). */
  hints: 'urn:xmpp:hints',
  /** XEP-0184 message delivery receipts (the receipt request on a JMI propose). */
  receipts: 'urn:xmpp:receipts',
  /** XEP-0215 external services (STUN/TURN). */
  extdisco: 'urn:xmpp:extdisco:2',
  /** RFC 6120 stanza error conditions. */
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  /** Ours: the translate service. */
  translate: 'urn:xmpp:jingle-gateway:translate:0',
  /** Ours: SDP details that no XEP has an element for, carried rather than dropped. */
  sdp: 'urn:xmpp:jingle-gateway:sdp:0',
} as const;

export type Namespace = (typeof NS)[keyof typeof NS];
