import { TranslateError } from '../errors.ts';

/**
 * A decimal integer within [min, max]. Number() alone would take '0x10', ' 1', '1e3' and '';
 * a peer reading our output would not, so neither do we. A loop, not a regex: this runs per field.
 */
export function parseInteger(
  s: string,
  min: number,
  max: number,
  field: string,
  line?: { number: number; text: string },
  element?: string,
): number {
  const len = s.length;
  let n = 0;
  if (len === 0 || len > 16) n = -1;
  for (let i = 0; i < len && n >= 0; i++) {
    const d = s.charCodeAt(i) - 48;
    n = d >= 0 && d <= 9 ? n * 10 + d : -1;
  }
  if (n < 0) throw new TranslateError('invalid-value', `${field} must be a decimal integer`, { line, element });
  if (n < min || n > max) {
    throw new TranslateError('invalid-value', `${field} must be between ${min} and ${max}`, { line, element });
  }
  return n;
}
