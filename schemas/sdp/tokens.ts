/**
 * The grammar of the SDP fields that also travel as Jingle attributes, in one place: both directions
 * check them the same way, so whatever one side accepts the other can write and read back.
 */

/** ICE candidate connection address, raddr (IPv4, IPv6, or an mDNS name). */
export const ADDRESS = /^[A-Za-z0-9.:%_-]{1,255}$/;
/** Candidate extension name and value (RFC 8839: non-whitespace). */
export const EXTENSION_NAME = /^[A-Za-z0-9-]{1,64}$/;
export const EXTENSION_VALUE = /^[\x21-\x7e]{1,256}$/;
export const TCP_TYPES: readonly string[] = ['active', 'passive', 'so'];
export const CANDIDATE_TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay'];
/** Encoding names (rtpmap), `a=ssrc` attribute names, group and ssrc-group semantics, bandwidth types. */
export const ENCODING = /^[A-Za-z0-9._+-]{1,64}$/;
export const SSRC_ATTRIBUTE = /^[A-Za-z0-9_.-]{1,64}$/;
export const SEMANTICS = /^[A-Za-z0-9_-]{1,32}$/;
export const BANDWIDTH_TYPE = /^[A-Za-z0-9-]{1,32}$/;
/** RFC 5888 identification-tag, as browsers write mids. */
export const MID = /^[A-Za-z0-9+/=_.:-]{1,64}$/;
/** fmtp parameter names (printable ASCII but `;` and `=`); values only must not hold the `;` separator. */
export const FMTP_NAME = /^[\x21-\x3a\x3c\x3e-\x7e]{1,128}$/;
/** rtcp-fb type (one token) and subtype (tokens separated by single spaces). */
export const FEEDBACK_TYPE = /^[\x21-\x7e]{1,64}$/;
export const FEEDBACK_SUBTYPE = /^[\x21-\x7e]+( [\x21-\x7e]+)*$/;
/** An msid's stream or track id (RFC 8830: 1 to 64 token characters), as one a=msid line holds it. */
export const MSID_ID = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]{1,64}$/;
/** SCTP protocol names (`webrtc-datachannel`): they also stand as the m= line's format. */
export const TOKEN = /^[A-Za-z0-9._-]{1,64}$/;
/** Header extension URIs and their attributes: printable ASCII (RFC 3986), no spaces. */
export const URI = /^[\x21-\x7e]{1,1024}$/;

/** Attributes whose meaning our model and the XEP elements carry; never kept as a verbatim line. */
export const MAPPED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'candidate', 'fingerprint', 'setup', 'ice-ufrag', 'ice-pwd', 'mid', 'group', 'rtpmap', 'fmtp', 'rtcp-fb',
  'extmap', 'extmap-allow-mixed', 'ssrc', 'ssrc-group', 'sendrecv', 'sendonly', 'recvonly', 'inactive',
  'rtcp-mux', 'sctp-port', 'sctpmap', 'ptime', 'maxptime',
]);
