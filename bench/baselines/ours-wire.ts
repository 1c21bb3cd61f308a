// Candidate (a'): jingle-gateway on the path stanzas really take: SDP -> ltx Element inside an <iq>
// -> ltx toString (what xmpp.js writes to the socket) -> @xmpp/xml's stream parser, ltx's own SAX
// parser underneath (what xmpp.js reads every stanza with, in the component and in the web client)
// -> SDP. The CLI's path (our serializer and strict text parser) is ours.ts.
import xmppXml from '@xmpp/xml';
import type { Element } from 'ltx';
import { jingleToSdp, sdpToJingle } from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';

export const label = 'jingle-gateway, wire (ltx toString, @xmpp/xml parse)';

// One stream, as a connection has: each stanza written to it comes back as an element.
const parser = new xmppXml.Parser();
let received: Element | undefined;
parser.on('element', (e) => {
  received = e;
});
parser.write("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");

export function roundTrip(sdp: string): string {
  const iq = el('iq', { type: 'set', to: 'echo@jingle.localhost/echo', id: 'i1' }, [
    sdpToJingle(sdp, { role: 'initiator', action: 'session-initiate', sid: 's1' }),
  ]);
  parser.write(iq.toString());
  const stanza = received;
  received = undefined;
  const jingle = stanza?.getChild('jingle');
  if (!jingle) throw new Error('the parser gave back no <iq><jingle/>');
  return jingleToSdp(jingle, { role: 'initiator' });
}
