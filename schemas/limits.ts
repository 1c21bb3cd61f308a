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
  /** Candidates, payload types, sources, header extensions: entries of one list in one m-line. */
  maxListLength: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxBytes: 256 * 1024,
  maxLineLength: 4096,
  maxMedia: 64,
  maxListLength: 256,
});

export function withLimits(partial?: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...partial };
}
