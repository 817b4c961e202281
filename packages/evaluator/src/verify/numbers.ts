/** Plain-number parsing: the fast path that keeps GSM8K-style comparisons off the CAS. */

const THOUSANDS = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const DECIMAL_COMMA = /^-?\d+,\d+$/;
const PLAIN = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Canonical text of a number token as written in prose: `7,425,000` -> `7425000`,
 * `1000,99` -> `1000.99` (a comma not followed by groups of three digits is a decimal comma),
 * `1.000,5` -> `1000.5`. Null when the token is not a number.
 */
export function canonicalNumberToken(token: string): string | null {
  const text = token.trim();
  if (PLAIN.test(text)) return text;
  if (THOUSANDS.test(text)) return text.replaceAll(',', '');
  if (DECIMAL_COMMA.test(text)) return text.replace(',', '.');
  if (/^-?\d{1,3}(?:\.\d{3})+,\d+$/.test(text)) return text.replaceAll('.', '').replace(',', '.');
  return null;
}

/**
 * The value of a plain numeric answer: integers, decimals, thousands separators, currency
 * signs, `%`, simple fractions `a/b`, `\frac{a}{b}` and mixed numbers `1 1/2`. Null for
 * anything else (which then goes to the CAS).
 */
export function parsePlainNumber(raw: string): number | null {
  let text = raw.trim();
  if (text.length > 64) return null;
  text = text
    .replace(/^\$|\$$/g, '')
    .replace(/^\\\$|\\\$$/g, '')
    .replace(/^[$€£¥]/, '')
    .trim();
  // A percent is a value / 100 with its own matching rule (`numbersEqual`), not a plain number.
  if (text.endsWith('%')) return null;
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1).trim() : text;
  const frac = /^\\[dtc]?frac\{(\d+)\}\{(\d+)\}$/.exec(body) ?? /^(\d+)\s*\/\s*(\d+)$/.exec(body);
  if (frac) {
    const value = Number(frac[1]) / Number(frac[2]);
    return Number.isFinite(value) ? (negative ? -value : value) : null;
  }
  const mixed = /^(\d+)\s+(\d+)\/(\d+)$/.exec(body);
  if (mixed) {
    const value = Number(mixed[1]) + Number(mixed[2]) / Number(mixed[3]);
    return Number.isFinite(value) ? (negative ? -value : value) : null;
  }
  const canonical = canonicalNumberToken(body);
  if (canonical === null) return null;
  const value = Number(canonical);
  return Number.isFinite(value) ? (negative ? -value : value) : null;
}

/** Equal up to `precision` decimal places (absolute), or relatively for large magnitudes. */
export function numbersClose(a: number, b: number, precision: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const tolerance = Math.max(10 ** -precision, 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
  return Math.abs(a - b) <= tolerance * (1 + 1e-12);
}

/** A number as written: its value, and whether it is an integer or a percent of one. */
export interface WrittenNumber {
  value: number;
  /** The integer's digits (with sign) when it is written as an integer, for exact comparison. */
  integer: bigint | null;
  percent: boolean;
}

/** The value of `text` (a plain number), as written with or without a percent sign. */
export function writtenNumber(text: string, percent = false): WrittenNumber | null {
  const value = parsePlainNumber(text);
  if (value === null) return null;
  const digits = canonicalNumberToken(text.trim().replace(/^\\?\$|^[€£¥]/, ''));
  const integer = digits !== null && /^-?\d+$/.test(digits) ? BigInt(digits) : null;
  return { value: percent ? value / 100 : value, integer, percent };
}

/**
 * Math-Verify's rules for numbers: integers compare exactly (`2^{60}` digits and all); a
 * percent is its value / 100 (`28\%` = 0.28, `13.18\%` is not 13.18), except that an integer
 * percent also matches the bare integer (`28\%` = 28). A negative percent keeps only its value
 * (Math-Verify's parse of `-30\%` is not a percent atom). Other numbers agree to `precision`
 * decimal places.
 */
export function numbersEqual(a: WrittenNumber, b: WrittenNumber, precision: number): boolean {
  const integerLike = (n: WrittenNumber) => n.integer !== null && (!n.percent || n.integer >= 0n);
  if (integerLike(a) && integerLike(b)) return a.integer === b.integer;
  return numbersClose(a.value, b.value, precision);
}
