/**
 * Repairs, on the way into a browser, of source lists other stacks send incomplete.
 *
 * StanzaJS answers video with `<ssrc-group semantics='FID'>` naming an RTX SSRC that has no
 * `<source/>` (its MediaSession adds one only when it has a stream to name). libwebrtc refuses an
 * ssrc-group member it has no `a=ssrc` line for ("Failed to add remote stream ssrc"), so each such
 * member gets the cname (and msid, if any) of a member that has them, its group's primary first:
 * the RTX stream belongs to the same endpoint and track as the one it repairs.
 */
import type { Media, SsrcAttribute } from '../sdp/model.ts';

/** The attributes copied to a member that has none: what libwebrtc needs to map it to a track. */
const COPIED = ['cname', 'msid'];

export function fillGroupSources(m: Media): void {
  if (m.ssrcGroups.length === 0 || noneMissing(m)) return;
  // jicofo sends hundreds of sources and groups in one m-line: look them up, do not scan.
  const bySsrc = new Map<number, Media['sources'][number]>();
  for (const s of m.sources) bySsrc.set(s.ssrc, s);
  for (const g of m.ssrcGroups) {
    let donor: Media['sources'][number] | undefined;
    for (const ssrc of g.ssrcs) {
      const s = bySsrc.get(ssrc);
      if (s && s.attributes.some((a) => a.name === 'cname')) {
        donor = s;
        break;
      }
    }
    if (!donor) continue;
    for (const ssrc of g.ssrcs) {
      if (bySsrc.has(ssrc)) continue;
      const attributes: SsrcAttribute[] = [];
      for (const a of donor.attributes) if (COPIED.includes(a.name)) attributes.push({ ...a });
      const source = { ssrc, attributes };
      m.sources.push(source);
      bySsrc.set(ssrc, source);
    }
  }
}

/**
 * Whether every group member has its <source>, the usual case; answered by scanning while the
 * source list is short (browsers send a few), so the lookup table is built only when it pays.
 */
function noneMissing(m: Media): boolean {
  const sources = m.sources;
  if (sources.length > 16) return false;
  for (const g of m.ssrcGroups) {
    for (const ssrc of g.ssrcs) {
      let found = false;
      for (let i = 0; i < sources.length && !found; i++) found = (sources[i] as Media['sources'][number]).ssrc === ssrc;
      if (!found) return false;
    }
  }
  return true;
}
