/**
 * The echo test call's WebRTC side, and the only module that touches werift: a server-side
 * RTCPeerConnection that answers an offer and sends every RTP packet it receives back to the sender on
 * the same m-line (and every data channel message back on its channel). The echo service speaks Jingle;
 * this speaks SDP and candidate lines, so it can be swapped for a fake in tests.
 *
 * Packets go back as received: payload bytes untouched, the payload type kept (the sender follows the
 * codec the caller uses), the SSRC the one our answer announced. Keyframe requests (PLI) the caller
 * sends about the echoed video are passed on to the caller's own sender, which is the video's source.
 */
import { isIP } from 'node:net';
import {
  RTCPeerConnection, RTCRtpCodecParameters, useH264, useOPUS, usePCMU, useVP8, useVP9,
  type MediaStreamTrack, type RTCDataChannel, type RTCIceCandidate, type RTCRtpTransceiver, type RTCPeerConnectionConfig, type RtpPacket,
} from 'werift';
import type { CandidateInit, Sdp } from '../../schemas/index.ts';
import type { Cidr } from '../net/cidr.ts';
import { RemoteCandidatePolicy, type CandidateVerdict } from './echo-candidates.ts';
import { guardIceTransports } from './echo-datagram-guard.ts';
import { guarded, type GuardLog } from '../guard.ts';

export type EchoPeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface EchoPeerOptions {
  /** STUN/TURN servers; none by default: host candidates only. */
  iceServers?: IceServer[];
  /**
   * The one local address to gather on and announce (e.g. 127.0.0.1 in tests). Without it, every
   * non-loopback interface of the machine, as a browser does.
   */
  bind?: string;
  /**
   * Networks the caller's candidates may point into besides public unicast addresses (config
   * 'echo-allow-networks'); none by default, so loopback and private candidates are refused.
   */
  allowNetworks?: readonly Cidr[];
  /** Remote candidates used per call, offer and trickle together (config 'echo-max-candidates'). */
  maxRemoteCandidates?: number;
  /** A remote candidate that was not used, and why; for a log line. */
  onRemoteRefused?(verdict: Extract<CandidateVerdict, { ok: false }>): void;
  /** The first non-STUN datagram dropped for not coming from the caller's selected address. */
  onForeignDatagram?(from: string): void;
  /** Where a throw inside one of werift's event callbacks goes (werift would pass it up its socket handlers). */
  log?: GuardLog;
  /** A local candidate learned after the answer (those before are in it); candidate '' ends them. */
  onCandidate(init: CandidateInit): void;
  onState(state: EchoPeerState): void;
}

export interface EchoCounts {
  /** RTP packets and payload bytes sent back. */
  packets: number;
  bytes: number;
  /** Data channel messages sent back. */
  messages: number;
}

export interface EchoPeer {
  /** Applies the caller's offer and returns our answer (with the candidates gathered so far). */
  answer(offerSdp: string): Promise<string>;
  /**
   * The same, for a peer whose answer is built from the offer as a model (no media: echo-media off):
   * the component hands over the offer it parsed and takes the answer as a Session, no SDP text between.
   */
  answerSession?(offer: Readonly<Sdp.Session>): Promise<Sdp.Session>;
  /** A remote candidate from the caller's transport-info; candidate '' is end-of-candidates. */
  addCandidate(init: CandidateInit): Promise<void>;
  close(): Promise<void>;
  readonly echoed: Readonly<EchoCounts>;
}

export type CreateEchoPeer = (options: EchoPeerOptions) => EchoPeer;

/** What we answer with: the caller picks among these, in its own order and with its own payload types. */
function codecs(): NonNullable<RTCPeerConnectionConfig['codecs']> {
  return {
    audio: [
      useOPUS(),
      new RTCRtpCodecParameters({ mimeType: 'audio/G722', clockRate: 8000, channels: 1, payloadType: 9 }),
      usePCMU(),
      new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
    ],
    video: [useVP8(), useVP9(), useH264(), new RTCRtpCodecParameters({ mimeType: 'video/AV1', clockRate: 90000 })],
  };
}

/** The connection address of a `candidate:` line (its fifth field), and whether it is UDP. */
function candidateAddress(line: string): { address: string | undefined; udp: boolean } {
  const f = line.replace(/^a=/, '').split(' ');
  return { address: f[4], udp: (f[2] ?? '').toLowerCase() === 'udp' };
}

export function createEchoPeer(options: EchoPeerOptions): EchoPeer {
  const { bind } = options;
  const family = bind === undefined ? 0 : isIP(bind);
  if (bind !== undefined && family === 0) throw new Error(`echo peer: bind must be an IP address, got ${JSON.stringify(bind)}`);
  const config: RTCPeerConnectionConfig = {
    // werift's default is a public Google STUN server: never reach out unless configured.
    iceServers: options.iceServers ?? [],
    codecs: codecs(),
    bundlePolicy: 'max-bundle',
  };
  if (bind !== undefined) {
    // werift binds every socket to the interface address but still announces each interface's
    // address; with loopback (never gathered by default) it must be added. The others are dropped below.
    config.iceInterfaceAddresses = family === 4 ? { udp4: bind } : { udp6: bind };
    config.iceAdditionalHostAddresses = [bind];
    config.iceUseIpv4 = family === 4;
    config.iceUseIpv6 = family === 6;
  }
  const usable = (line: string): boolean => {
    const { address, udp } = candidateAddress(line);
    return udp && (bind === undefined || address === bind);
  };

  const policy = new RemoteCandidatePolicy(options.allowNetworks ?? [], options.maxRemoteCandidates ?? 20);
  const admit = (line: string): boolean => {
    const v = policy.admit(line);
    if (!v.ok) options.onRemoteRefused?.(v);
    return v.ok;
  };

  const pc = new RTCPeerConnection(config);
  const echoed: EchoCounts = { packets: 0, bytes: 0, messages: 0 };
  let closed = false;
  /** Non-STUN datagrams from addresses other than the caller's (echo-datagram-guard.ts). */
  let dropped = 0;
  /** Until the answer is out, candidates wait here; those already in the answer are not sent again. */
  let early: CandidateInit[] | undefined = [];

  const log: GuardLog = options.log ?? { error: () => undefined };
  pc.connectionStateChange.subscribe(guarded(log, 'echo peer state', (state: EchoPeerState) => options.onState(state)));
  pc.onIceCandidate.subscribe(guarded(log, 'echo peer candidate', (c: RTCIceCandidate | undefined) => {
    if (closed) return;
    let init: CandidateInit;
    if (c === undefined) init = { candidate: '', sdpMid: pc.getTransceivers()[0]?.mid ?? '0' };
    else {
      const json = c.toJSON();
      if (!usable(json.candidate)) return;
      init = { candidate: json.candidate, sdpMid: json.sdpMid ?? null };
      if (json.usernameFragment) init.usernameFragment = json.usernameFragment;
    }
    if (early) early.push(init);
    else options.onCandidate(init);
  }));
  pc.onRemoteTransceiverAdded.subscribe(guarded(log, 'echo peer transceiver', (t: RTCRtpTransceiver) => loopBack(t, echoed, log)));
  pc.onDataChannel.subscribe(guarded(log, 'echo peer data channel', (channel: RTCDataChannel) => {
    channel.onMessage.subscribe(guarded(log, 'echo peer message', (message: string | Buffer) => {
      if (channel.readyState !== 'open') return;
      echoed.messages++;
      channel.send(message);
    }));
  }));

  return {
    echoed,
    async answer(offerSdp) {
      // The offer's own candidates go through the same policy as trickled ones, before werift sees them.
      const offered = offerSdp.split(/\r?\n/).filter((l) => !l.startsWith('a=candidate:') || admit(l)).join('\r\n');
      await pc.setRemoteDescription({ type: 'offer', sdp: offered });
      // The transports exist now, their sockets not yet: guard them before they are opened.
      guardIceTransports(pc.iceTransports, ([host, port]) => {
        dropped++;
        if (dropped === 1) options.onForeignDatagram?.(`${host}:${port}`);
      });
      await pc.setLocalDescription(await pc.createAnswer());
      const local = pc.localDescription?.sdp;
      if (local === undefined) throw new Error('echo peer: no local description after setLocalDescription');
      const lines = local.split(/\r?\n/).filter((l) => !l.startsWith('a=candidate:') || usable(l));
      const sdp = lines.join('\r\n');
      const pending = early ?? [];
      early = undefined;
      const inAnswer = new Set(lines.filter((l) => l.startsWith('a=candidate:')).map((l) => l.slice(2)));
      const ended = lines.includes('a=end-of-candidates');
      for (const c of pending) {
        if (c.candidate === '' ? !ended : !inAnswer.has(c.candidate)) options.onCandidate(c);
      }
      return sdp;
    },
    async addCandidate(init) {
      if (closed) return;
      if (init.candidate === '') return pc.addIceCandidate({ candidate: '', sdpMid: init.sdpMid ?? undefined });
      if (!admit(init.candidate)) return;
      const c: { candidate: string; sdpMid?: string; usernameFragment?: string } = { candidate: init.candidate };
      if (init.sdpMid != null) c.sdpMid = init.sdpMid;
      if (init.usernameFragment != null) c.usernameFragment = init.usernameFragment;
      await pc.addIceCandidate(c);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pc.close();
    },
  };
}

/** Each m-line the caller offered becomes sendrecv, and what arrives on it goes back on it. */
function loopBack(t: RTCRtpTransceiver, echoed: EchoCounts, log: GuardLog): void {
  t.setDirection('sendrecv');
  t.onTrack.subscribe(guarded(log, 'echo peer track', (track: MediaStreamTrack) => {
    track.onReceiveRtp.subscribe(guarded(log, 'echo peer rtp', (rtp: RtpPacket) => {
      const sender = t.sender;
      const pt = rtp.header.payloadType;
      // werift stamps the sender's codec on every packet: follow the codec the caller switched to.
      if (sender.codec && sender.codec.payloadType !== pt) {
        const codec = t.codecs.find((c) => c.payloadType === pt);
        if (!codec) return;
        sender.codec = codec;
      }
      echoed.packets++;
      echoed.bytes += rtp.payload.length;
      void sender.sendRtp(rtp).catch(() => undefined);
    }));
    t.sender.onPictureLossIndication.subscribe(guarded(log, 'echo peer pli', () => {
      if (track.ssrc !== undefined) void t.receiver.sendRtcpPLI(track.ssrc).catch(() => undefined);
    }));
  }));
}
