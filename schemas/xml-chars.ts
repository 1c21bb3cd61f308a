/** XML 1.0 `Char`: which UTF-16 code units may appear in a document. */

/** Anything but tab, LF, CR and printable ASCII: almost all real input has none of these. */
const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/;
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The index of the first character XML cannot carry, or -1. One cheap scan settles plain ASCII;
 * only text with other characters pays for the exact scans (the look-around one is several times slower).
 */
export function findNonXmlCharacter(text: string): number {
  const plain = NOT_PLAIN_ASCII.exec(text);
  if (!plain) return -1;
  const rest = text.slice(plain.index);
  const c = CONTROL.exec(rest);
  const s = LONE_SURROGATE.exec(rest);
  if (!c && !s) return -1;
  const at = !c ? (s as RegExpExecArray).index : !s ? c.index : Math.min(c.index, s.index);
  return plain.index + at;
}
