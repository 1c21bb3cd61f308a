/**
 * Translation errors are values with a condition name, so callers (the CLI, the component's translate
 * service, the web client) can map them to an exit code or an XMPP error without parsing messages.
 */
export const TranslateCondition = {
  /** An SDP line or a Jingle element does not follow its grammar. */
  malformed: 'malformed',
  /** A number, address or token is out of its allowed range. */
  invalidValue: 'invalid-value',
  /** Something a peer needs is absent (no m= line, a payload type without an id, ...). */
  missing: 'missing',
  /** The input is larger than a configured limit. */
  tooLarge: 'too-large',
  /** The input is well-formed but asks for something we cannot express. */
  unsupported: 'unsupported',
  /**
   * No usable DTLS fingerprint for a media line we would have to accept: the XEP-0166
   * <security-error/> reason. An SDP without one would be refused by a browser or, worse, unencrypted.
   */
  securityError: 'security-error',
} as const;
export type TranslateCondition = (typeof TranslateCondition)[keyof typeof TranslateCondition];

import type { Limits } from './limits.ts';

export interface TranslateErrorDetails {
  /** 1-based SDP line number and its text, when the error is in SDP. */
  readonly line?: { readonly number: number; readonly text: string };
  /** A path naming the offending Jingle element, e.g. `content[name=0]/description/payload-type[id=x]`. */
  readonly element?: string;
  /** Which of the input limits refused it (too-large), so a caller can name its own setting for it. */
  readonly limit?: keyof Limits;
}

export class TranslateError extends Error {
  override readonly name = 'TranslateError';
  readonly condition: TranslateCondition;
  readonly line: TranslateErrorDetails['line'];
  readonly element: string | undefined;
  readonly limit: keyof Limits | undefined;

  constructor(condition: TranslateCondition, message: string, details: TranslateErrorDetails = {}) {
    super(describe(message, details));
    this.condition = condition;
    // Copied: parsers reuse one line reference while they scan.
    this.line = details.line ? { number: details.line.number, text: details.line.text } : undefined;
    this.element = details.element;
    this.limit = details.limit;
  }
}

function describe(message: string, { line, element }: TranslateErrorDetails): string {
  if (line) return `line ${line.number}: ${message}: ${clip(line.text)}`;
  if (element) return `${element}: ${message}`;
  return message;
}

/** Error texts quote the input; a hostile input must not make the message itself huge. */
function clip(text: string): string {
  if (text.length <= 120) return text;
  const code = text.charCodeAt(116);
  // Never cut between the two halves of a surrogate pair: half of one cannot be sent in XML.
  return `${text.slice(0, code >= 0xd800 && code <= 0xdbff ? 116 : 117)}...`;
}

export function isTranslateError(e: unknown): e is TranslateError {
  return e instanceof TranslateError;
}
