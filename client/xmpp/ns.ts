/**
 * Namespaces the web client speaks beyond schemas/namespaces.ts (which holds the Jingle ones).
 * Checked against RFC 6120/6121 and the XEPs named.
 */
export const CLIENT_NS = {
  /** RFC 6120 stanza error conditions. */
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  /** RFC 6121 roster. */
  roster: 'jabber:iq:roster',
  /** XEP-0030 service discovery. */
  discoInfo: 'http://jabber.org/protocol/disco#info',
  discoItems: 'http://jabber.org/protocol/disco#items',
  /** XEP-0115 entity capabilities. */
  caps: 'http://jabber.org/protocol/caps',
  /** XEP-0184 message delivery receipts. */
  receipts: 'urn:xmpp:receipts',
  /** XEP-0085 chat state notifications. */
  chatstates: 'http://jabber.org/protocol/chatstates',
  /** XEP-0280 message carbons. */
  carbons: 'urn:xmpp:carbons:2',
  /** XEP-0313 message archive management. */
  mam: 'urn:xmpp:mam:2',
  /** XEP-0156 WebSocket connection method in host-meta. */
  altWebsocket: 'urn:xmpp:alt-connections:websocket',
} as const;
