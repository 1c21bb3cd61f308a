import { TranslateError } from '../errors.ts';

/**
 * A decimal integer within [min, max]. Number() alone would take '0x10', ' 1', '1e3' and '';
 * a peer reading our output would not, so neither do we.
 */
export function parseInteger(
  s: string,
  min: number,
  max: number,
  field: string,
  line?: { number: number; text: string },
  element?: string,
): number {
  if (s.length === 0 || s.length > 16 || !/^[0-9]+$/.test(s)) {
    throw new TranslateError('invalid-value', `${field} must be a decimal integer`, { line, element });
  }
  const n = Number(s);
  if (n < min || n > max) {
    throw new TranslateError('invalid-value', `${field} must be between ${min} and ${max}`, { line, element });
  }
  return n;
}
