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
    .replace(/\\?%$/, '')
    .replace(/^[$€£¥]/, '')
    .trim();
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
