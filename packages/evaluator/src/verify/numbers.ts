/** Plain-number parsing: the fast path that keeps GSM8K-style comparisons off the CAS. */

// Thousands groups follow a non-zero lead (Math-Verify's number pattern): `0,111` is 0.111.
const THOUSANDS = /^-?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;
const DECIMAL_COMMA = /^-?\d+,\d+$/;
const PLAIN = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Canonical text of a number token as written in prose: `7,425,000` -> `7425000`,
 * `1000,99` -> `1000.99`, `0,111` -> `0.111` (a comma not followed by groups of three digits,
 * or after a leading 0, is a decimal comma),
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

/** A number as written: its value, its exact value when it has one, whether a percent. */
export interface WrittenNumber {
  value: number;
  /** Integers and fractions (`\frac{4036082}{4036081}`, `1 1/2`) as numerator / denominator. */
  exact: { num: bigint; den: bigint } | null;
  percent: boolean;
  /** The number before the percent sign (`value` * 100 for a percent). */
  written: number;
}

/** Numerator and denominator of an integer, fraction or mixed number; null for decimals. */
function exactRational(raw: string): { num: bigint; den: bigint } | null {
  let text = raw
    .trim()
    .replace(/^\$|\$$/g, '')
    .replace(/^\\?\$|^[€£¥]/, '')
    .trim();
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1).trim();
  const sign = negative ? -1n : 1n;
  const frac = /^\\[dtc]?frac\{(\d+)\}\{(\d+)\}$/.exec(text) ?? /^(\d+)\s*\/\s*(\d+)$/.exec(text);
  if (frac)
    return frac[2] === '0' || /^0+$/.test(frac[2]!)
      ? null
      : { num: sign * BigInt(frac[1]!), den: BigInt(frac[2]!) };
  const mixed = /^(\d+)\s+(\d+)\/(\d+)$/.exec(text);
  if (mixed && !/^0+$/.test(mixed[3]!)) {
    const den = BigInt(mixed[3]!);
    return { num: sign * (BigInt(mixed[1]!) * den + BigInt(mixed[2]!)), den };
  }
  const digits = canonicalNumberToken(text);
  return digits !== null && /^\d+$/.test(digits) ? { num: sign * BigInt(digits), den: 1n } : null;
}

/** The value of `text` (a plain number), as written with or without a percent sign. */
export function writtenNumber(text: string, percent = false): WrittenNumber | null {
  const value = parsePlainNumber(text);
  if (value === null) return null;
  return {
    value: percent ? value / 100 : value,
    exact: exactRational(text),
    percent,
    written: value,
  };
}

/**
 * Math-Verify's rules for numbers: integers and fractions compare exactly (`2^{60}` digits and
 * all; `\frac{4036082}{4036081}` is not its inverse, whatever the rounding); a percent is its
 * value / 100 (`28\%` = 0.28, `13.18\%` is not 13.18), except that a whole percent also
 * matches the bare integer (`28\%` = 28; also `50.0\%` = 50, where Math-Verify's float
 * percent does not). A negative percent keeps only its value (Math-Verify does not read `-30\%`
 * as a percent). Decimals agree to `precision` decimal places.
 */
export function numbersEqual(a: WrittenNumber, b: WrittenNumber, precision: number): boolean {
  const whole = (n: WrittenNumber): bigint | null => {
    if (n.percent)
      return Number.isSafeInteger(n.written) && n.written >= 0 ? BigInt(n.written) : null;
    return n.exact !== null && n.exact.den === 1n ? n.exact.num : null;
  };
  const wa = whole(a);
  const wb = whole(b);
  if (wa !== null && wb !== null) return wa === wb;
  if (a.exact !== null && b.exact !== null && !a.percent && !b.percent)
    return a.exact.num * b.exact.den === b.exact.num * a.exact.den;
  return numbersClose(a.value, b.value, precision);
}
