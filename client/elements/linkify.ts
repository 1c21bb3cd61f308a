/**
 * Message text cut into plain text and web links, so a view can make `<a>` elements of the links with
 * text bindings (never HTML from the network). Only http: and https: are links; a trailing full stop,
 * comma or closing bracket that the sentence owns stays out of the link.
 */

export type TextPiece = { readonly text: string; readonly href?: undefined } | { readonly text: string; readonly href: string };

const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"»”’]+$/;

/** Drops punctuation at the end, and a closing bracket with no opening one inside the link. */
function trim(raw: string): string {
  let url = raw.replace(TRAILING, '');
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
    while (url.endsWith(close) && url.split(close).length > url.split(open).length) url = url.slice(0, -1).replace(TRAILING, '');
  }
  return url;
}

function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function linkify(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const url = trim(match[0]);
    const href = safeHref(url);
    if (href === undefined || match.index === undefined) continue;
    if (match.index > at) pieces.push({ text: text.slice(at, match.index) });
    pieces.push({ text: url, href });
    at = match.index + url.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}
