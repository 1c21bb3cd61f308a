// A Node user calling the component's echo peer for real: a werift RTCPeerConnection on loopback with
// an audio and a video track fed with crafted RTP, XEP-0353 propose, session-initiate with trickled
// candidates, and the packets the echo sends back counted per kind.
import { randomBytes } from 'node:crypto';
import type { Element } from 'ltx';
import { expect } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import {
  NS, buildJmiMessage, candidatesToTransportInfo, findJmi, jingleToSdp, sdpToJingle, transportInfoToCandidates, type CandidateInit,
} from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import type { TestClient } from './xmpp.ts';

const LOOPBACK_ICE = { iceServers: [], iceInterfaceAddresses: { udp4: '127.0.0.1' }, iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false };
/** xmpp.js's iq callee answers an empty result to any non-element truthy value. */
const ACK = true as unknown as Element;

export interface EchoCall {
  sid: string;
  pc: RTCPeerConnection;
  /** Packets and payload bytes the echo sent back, by kind; packets whose payload we never sent. */
  got: { audio: number; video: number; bytes: number; foreign: number };
  /** The address called: the echo's full JID, or its bare JID as StanzaJS calls it. */
  address: string;
  /** The Jingle actions the echo sent us for this call, and whom each came from. */
  actions: string[];
  senders: string[];
  /** The session-accept's responder attribute. */
  responder: string | undefined;
  /** From session-initiate to ICE/DTLS connected. */
  connectedMs: number;
  stop(): Promise<void>;
}

export interface EchoCaller {
  readonly calls: Map<string, EchoCall>;
  /** The iq set to the echo peer's full JID (or `to`). */
  jingleIq(jingle: Element, to?: string): Element;
  /** Matches the echo's JMI message of this action for this sid. */
  jmiFrom(sid: string, action: string): (s: Element) => boolean;
  /** Lets `client` answer what the echo sends (session-accept, transport-info) on its calls. */
  serveJingle(client: TestClient): void;
  /**
   * Proposes, initiates with an offer whose candidates trickle after it, and sends RTP every 20 ms.
   * `address`: whom the Jingle goes to (default the echo's full JID).
   */
  call(client: TestClient, label: string, options?: { address?: string }): Promise<EchoCall>;
  hangUp(client: TestClient, c: EchoCall): Promise<void>;
}

export function echoCaller(echoBareJid: string): EchoCaller {
  const echoFull = `${echoBareJid}/echo`;
  const calls = new Map<string, EchoCall>();
  const jingleIq = (jingle: Element, to = echoFull): Element => el('iq', { type: 'set', to }, [jingle]);
  const jmiFrom = (sid: string, action: string) => (s: Element): boolean =>
    s.name === 'message' && s.attrs.from === echoFull && findJmi(s)?.id === sid && findJmi(s)?.action === action;

  function serveJingle(client: TestClient): void {
    client.xmpp.iqCallee.set(NS.jingle, 'jingle', ({ element, stanza }) => {
      const c = calls.get(element.attrs.sid as string);
      if (!c) return undefined;
      const action = element.attrs.action as string;
      c.actions.push(action);
      c.senders.push(String(stanza.attrs.from));
      if (action === 'session-accept') c.responder = element.attrs.responder as string | undefined;
      if (action === 'session-accept') void c.pc.setRemoteDescription({ type: 'answer', sdp: jingleToSdp(element, { role: 'responder' }) });
      if (action === 'transport-info') for (const cand of transportInfoToCandidates(element)) void c.pc.addIceCandidate(cand);
      return ACK;
    });
  }

  async function call(client: TestClient, label: string, { address = echoFull } = {}): Promise<EchoCall> {
    const sid = `${label}-${randomBytes(6).toString('hex')}`;
    const pc = new RTCPeerConnection(LOOPBACK_ICE);
    const tracks = { audio: new MediaStreamTrack({ kind: 'audio' }), video: new MediaStreamTrack({ kind: 'video' }) };
    pc.addTransceiver(tracks.audio, { direction: 'sendrecv' });
    pc.addTransceiver(tracks.video, { direction: 'sendrecv' });
    const local: CandidateInit[] = [];
    pc.onIceCandidate.subscribe((cand) => {
      const j = cand?.toJSON();
      if (j && j.candidate.includes(' 127.0.0.1 ')) local.push({ candidate: j.candidate, sdpMid: j.sdpMid ?? '0', usernameFragment: j.usernameFragment ?? null });
    });
    const sent = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const c: EchoCall = {
      sid, pc, got: { audio: 0, video: 0, bytes: 0, foreign: 0 }, address, actions: [], senders: [], responder: undefined, connectedMs: 0,
      async stop() {
        clearInterval(timer);
        calls.delete(sid);
        await pc.close();
      },
    };
    calls.set(sid, c);
    pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => {
      c.got[track.kind as 'audio' | 'video']++;
      c.got.bytes += rtp.payload.length;
      if (!sent.has(rtp.payload.toString())) c.got.foreign++;
    }));

    const ringing = client.nextStanza(jmiFrom(sid, 'ringing'));
    const proceed = client.nextStanza(jmiFrom(sid, 'proceed'));
    await client.send(buildJmiMessage({ action: 'propose', id: sid, media: ['audio', 'video'] }, { to: echoBareJid, id: `${sid}-p`, store: true, receipt: true }));
    await ringing;
    await proceed;

    await pc.setLocalDescription(await pc.createOffer());
    const offer = (pc.localDescription?.sdp ?? '').split('\r\n').filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates').join('\r\n');
    const t0 = Date.now();
    const accepted = client.nextStanza((s) => s.name === 'iq' && s.getChild('jingle', NS.jingle)?.attrs.action === 'session-accept'
      && s.getChild('jingle', NS.jingle)?.attrs.sid === sid);
    expect((await client.iq(jingleIq(sdpToJingle(offer, { role: 'initiator', sid, initiator: client.jid }), address))).attrs.type).toBe('result');
    expect((await client.iq(jingleIq(candidatesToTransportInfo([...local, { candidate: '', sdpMid: '0' }], { sid, creator: 'initiator' }), address))).attrs.type).toBe('result');
    await accepted;
    await pc.connectionStateChange.watch((s) => s === 'connected', 10_000);
    c.connectedMs = Date.now() - t0;

    let seq = 0;
    timer = setInterval(() => {
      seq++;
      for (const kind of ['audio', 'video'] as const) {
        const payload = Buffer.from(`${label}:${kind}:${seq}:`.padEnd(kind === 'audio' ? 80 : 900, 'x'));
        sent.add(payload.toString());
        const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: seq * (kind === 'audio' ? 960 : 3000), ssrc: 1000, marker: true });
        tracks[kind].writeRtp(new RtpPacket(header, payload));
      }
    }, 20);
    return c;
  }

  async function hangUp(client: TestClient, c: EchoCall): Promise<void> {
    const terminate = el('jingle', { xmlns: NS.jingle, action: 'session-terminate', sid: c.sid }, [el('reason', {}, [el('success', {})])]);
    expect((await client.iq(jingleIq(terminate, c.address))).attrs.type).toBe('result');
    await c.stop();
  }

  return { calls, jingleIq, jmiFrom, serveJingle, call, hangUp };
}
