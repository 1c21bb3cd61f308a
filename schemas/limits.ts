/**
 * Input limits. Every SDP and every Jingle element comes from the network; these bound the work and
 * memory one input can cost. The defaults hold the largest real browser SDPs (a 16-m-line conference
 * offer is about 60 KiB) with room to spare.
 */
export interface Limits {
  /** Bytes of SDP text (or of Jingle XML text where we are given text). */
  maxBytes: number;
  /** Characters in one SDP line or one attribute value. */
  maxLineLength: number;
  /** m= lines / <content> elements. */
  maxMedia: number;
  /**
   * Candidates, payload types, sources, header extensions: entries of one list in one m-line. XEP-0339
   * sets no limit, and jicofo signals every participant's sources in one content: a conference of
   * 100 with simulcast is 100 x (3 video + 3 RTX) = 600 sources and 100 x (1 SIM + 3 FID) = 400
   * ssrc-groups in the video content. 1024 holds that with room; larger rooms raise the option.
   */
  maxListLength: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxBytes: 256 * 1024,
  maxLineLength: 4096,
  maxMedia: 64,
  maxListLength: 1024,
});

export function withLimits(partial?: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...partial };
}
