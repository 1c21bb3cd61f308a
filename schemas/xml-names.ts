/**
 * XML names as the parser and the serialiser accept them: QNames of Namespaces in XML 1.0 (an NCName,
 * or two joined by one ':') over XML 1.0 (5th edition) NameStartChar and NameChar, at most
 * MAX_NAME_LENGTH long; and XML's own whitespace, which is four ASCII characters, not Unicode's.
 */

/** Longer names are refused: no XMPP extension needs one, and names are cached and quoted in errors. */
export const MAX_NAME_LENGTH = 128;

/** XML `S`: #x20 #x9 #xD #xA only (no-break space and the rest of Unicode's are not). */
export function isXmlSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** `s` without XML whitespace at its end (String.trimEnd would also take U+00A0, U+2028, ...). */
export function trimXmlSpaceEnd(s: string): string {
  let end = s.length;
  while (end > 0 && isXmlSpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** NameStartChar beyond ASCII (XML 1.0 production [4]). */
function isNameStartBeyondAscii(cp: number): boolean {
  return (cp >= 0xc0 && cp <= 0xd6) || (cp >= 0xd8 && cp <= 0xf6) || (cp >= 0xf8 && cp <= 0x2ff)
    || (cp >= 0x370 && cp <= 0x37d) || (cp >= 0x37f && cp <= 0x1fff) || cp === 0x200c || cp === 0x200d
    || (cp >= 0x2070 && cp <= 0x218f) || (cp >= 0x2c00 && cp <= 0x2fef) || (cp >= 0x3001 && cp <= 0xd7ff)
    || (cp >= 0xf900 && cp <= 0xfdcf) || (cp >= 0xfdf0 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0xeffff);
}

/** The characters NameChar adds to NameStartChar beyond ASCII (production [4a]). */
function isNameCharOnlyBeyondAscii(cp: number): boolean {
  return cp === 0xb7 || (cp >= 0x300 && cp <= 0x36f) || cp === 0x203f || cp === 0x2040;
}

/** qnameColon's answer for a string that is not a QName. */
export const NOT_A_QNAME = -2;

/**
 * Where the prefix of QName `name` ends: the index of its colon, -1 for a name without a prefix, or
 * NOT_A_QNAME. One pass, ASCII first: it runs for every name the parser has not seen in the document.
 */
export function qnameColon(name: string): number {
  const len = name.length;
  if (len === 0 || len > MAX_NAME_LENGTH) return NOT_A_QNAME;
  let colon = -1;
  let atStart = true; // at the first character of an NCName
  for (let i = 0; i < len; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      atStart = false;
    } else if (c === 58) {
      if (atStart || colon >= 0) return NOT_A_QNAME;
      colon = i;
      atStart = true;
    } else if (c < 0x80) {
      if (atStart || !((c >= 48 && c <= 57) || c === 45 || c === 46)) return NOT_A_QNAME;
    } else {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff) {
        const low = name.charCodeAt(i + 1);
        if (!(low >= 0xdc00 && low <= 0xdfff)) return NOT_A_QNAME;
        cp = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        i++;
      }
      if (isNameStartBeyondAscii(cp)) atStart = false;
      else if (atStart || !isNameCharOnlyBeyondAscii(cp)) return NOT_A_QNAME;
    }
  }
  return atStart ? NOT_A_QNAME : colon;
}
