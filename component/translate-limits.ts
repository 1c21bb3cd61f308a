/**
 * The translator's input limits (schemas/limits.ts) as the component's options set them, and the option
 * an operator raises for each: a bad-request for an SDP or a Jingle element over a limit names it.
 */
import type { TranslateError } from '../schemas/errors.ts';
import type { Limits } from '../schemas/limits.ts';
import type { OptionValues } from './config-options.ts';

const OPTION_OF: Readonly<Record<keyof Limits, keyof OptionValues>> = {
  // An SDP or a Jingle element arrives inside a stanza: the stanza's limit bounds its bytes.
  maxBytes: 'max-stanza-bytes',
  maxLineLength: 'max-sdp-line-length',
  maxMedia: 'max-media',
  maxListLength: 'max-list-length',
};

export type LimitOptions = Pick<OptionValues, 'max-stanza-bytes' | 'max-sdp-line-length' | 'max-media' | 'max-list-length'>;

export function translatorLimits(config: LimitOptions): Limits {
  return {
    maxBytes: config['max-stanza-bytes'],
    maxLineLength: config['max-sdp-line-length'],
    maxMedia: config['max-media'],
    maxListLength: config['max-list-length'],
  };
}

/** The error's message, followed by the option that sets the limit it hit, if it hit one. */
export function translateErrorText(e: TranslateError): string {
  return e.limit === undefined ? e.message : `${e.message} (${OPTION_OF[e.limit]})`;
}
