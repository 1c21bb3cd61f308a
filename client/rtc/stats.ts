/**
 * getStats() -> CallStats, as a pure function over the report's entries (so it is tested in Node).
 * Fields follow the W3C "Identifiers for WebRTC's Statistics API": inbound-rtp, outbound-rtp,
 * remote-inbound-rtp, transport, candidate-pair, local-candidate, remote-candidate.
 */
import { emptyStats, pathOf, type CallStats } from './media-session.ts';

/** One entry of an RTCStatsReport, loosely typed: browsers differ in what they fill in. */
export type StatsEntry = { id: string; type: string; [field: string]: unknown };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function summarizeStats(entries: Iterable<StatsEntry>, at = Date.now()): CallStats {
  const s = emptyStats(at);
  const byId = new Map<string, StatsEntry>();
  for (const e of entries) byId.set(e.id, e);
  let pair: StatsEntry | undefined;
  for (const e of byId.values()) {
    const kind = str(e.kind) ?? str(e.mediaType);
    switch (e.type) {
      case 'inbound-rtp': {
        const bytes = num(e.bytesReceived);
        s.bytesReceived += bytes;
        s.packetsReceived += num(e.packetsReceived);
        s.packetsLost += Math.max(0, num(e.packetsLost));
        if (kind === 'audio') s.audio.bytesReceived += bytes;
        if (kind === 'video') {
          s.video.bytesReceived += bytes;
          s.video.framesDecoded += num(e.framesDecoded);
        }
        break;
      }
      case 'outbound-rtp': {
        const bytes = num(e.bytesSent);
        s.bytesSent += bytes;
        s.packetsSent += num(e.packetsSent);
        if (kind === 'audio') s.audio.bytesSent += bytes;
        if (kind === 'video') s.video.bytesSent += bytes;
        break;
      }
      case 'transport': {
        const selected = str(e.selectedCandidatePairId);
        if (selected !== undefined) pair = byId.get(selected) ?? pair;
        s.iceUfrag = str(e.iceLocalUsernameFragment) ?? s.iceUfrag;
        break;
      }
      default:
        break;
    }
  }
  // Firefox has no transport entry: the pair it uses is the nominated, succeeded one.
  pair ??= [...byId.values()].find((e) => e.type === 'candidate-pair' && e.state === 'succeeded' && (e.nominated === true || e.selected === true));
  if (pair) {
    const rtt = pair.currentRoundTripTime;
    if (typeof rtt === 'number' && Number.isFinite(rtt)) s.rtt = rtt;
    s.localCandidateType = str(byId.get(str(pair.localCandidateId) ?? '')?.candidateType);
    s.remoteCandidateType = str(byId.get(str(pair.remoteCandidateId) ?? '')?.candidateType);
    s.path = pathOf(s.localCandidateType, s.remoteCandidateType);
  }
  if (s.rtt === undefined) {
    // Before the pair has measured one, RTCP receiver reports give the RTT of each stream.
    for (const e of byId.values()) {
      if (e.type === 'remote-inbound-rtp' && typeof e.roundTripTime === 'number') {
        s.rtt = e.roundTripTime;
        break;
      }
    }
  }
  return s;
}
