/** XML 1.0 `Char`: which UTF-16 code units may appear in a document. */

/**
 * A run of tab, LF, CR and printable ASCII from `lastIndex`: almost all real input is one such run.
 * Sticky and unanchored at the end, so it never backtracks: where it stops (its new lastIndex) is the
 * first other character. Irregexp runs this one greedy loop about 1.5x faster than it searches for
 * the negated class, which restarts the match at every position.
 */
const PLAIN_ASCII_RUN = /[\t\n\r\x20-\x7e]*/y;
// XML 1.0 allows U+007F and the C1 controls but discourages them (section 2.2), and SDP has no use for
// them: we refuse them too, on both sides, so what one direction accepts the other can carry.
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The index of the first character XML cannot carry, or -1. One cheap scan settles plain ASCII;
 * only text with other characters pays for the exact scans (the look-around one is several times slower).
 */
export function findNonXmlCharacter(text: string): number {
  PLAIN_ASCII_RUN.lastIndex = 0;
  PLAIN_ASCII_RUN.test(text);
  const first = PLAIN_ASCII_RUN.lastIndex;
  if (first === text.length) return -1;
  const rest = text.slice(first);
  const c = CONTROL.exec(rest);
  const s = LONE_SURROGATE.exec(rest);
  if (!c && !s) return -1;
  const at = !c ? (s as RegExpExecArray).index : !s ? c.index : Math.min(c.index, s.index);
  return first + at;
}

/** UTF-8 length of a string, without encoding it: limits are in bytes, JS strings count UTF-16 units. */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      n += 1; // 2 bytes
    } else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // a surrogate pair: 2 units counted, 4 bytes
      i++;
    } else {
      n += 2; // 3 bytes
    }
  }
  return n;
}

/** Whether `text` is over `maxBytes` of UTF-8, looking at the characters only when it could be. */
export function overByteLimit(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return utf8Length(text) > maxBytes;
}
