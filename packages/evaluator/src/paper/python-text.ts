/**
 * Python 3 string semantics the paper's code relies on, for exact reproduction: `str.split()`
 * and `str.strip()` whitespace, the Unicode `\b` / `\w` of `re`, `re.I` letter folding,
 * `float()` on Unicode digits and `round(x, n)` (correctly rounded, ties to even).
 *
 * Limitation: JavaScript's Unicode tables are newer than Python 3.11's (14.0); characters
 * assigned after Unicode 14 count as word characters here and not there.
 */

/** The characters Python's `str.isspace()` accepts (so `split()` and `strip()` use them). */
export const PY_SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`);
const EDGE_SPACE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** Python `text.split()`: runs of Python whitespace separate, no empty words. */
export function pySplit(text: string): string[] {
  return text.split(SPACE_RUN).filter((word) => word !== '');
}

/** Python `text.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(EDGE_SPACE, '');
}

/** Python `" ".join(text.split())`. */
export function pyCollapseSpaces(text: string): string {
  return pySplit(text).join(' ');
}

/** A regex source matching one Python `\w` character (use with the `u` flag). */
export const PY_WORD = '[\\p{L}\\p{N}_]';

/** Python's `\b(...)\b` around `inner` (use with the `u` flag). */
export function pyWordBounded(inner: string): string {
  return `(?<!${PY_WORD})(?:${inner})(?!${PY_WORD})`;
}

// Under re.I Python matches a pattern letter when the text character's simple lower case equals
// it, plus its fixed equivalences: i ~ ı (U+0131), s ~ ſ (U+017F); İ (U+0130) lowers to i and the
// Kelvin sign (U+212A) to k.
const FOLDS: Record<string, string> = { i: 'iIİı', s: 'sSſ', k: 'kKK' };

/** A regex source for an ASCII word under Python's `re.I` (use with the `u` flag). */
export function pyIgnoreCase(word: string): string {
  return [...word]
    .map((ch) => {
      const lower = ch.toLowerCase();
      if (!/[a-z]/.test(lower)) return ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
      return `[${FOLDS[lower] ?? lower + lower.toUpperCase()}]`;
    })
    .join('');
}

const DIGIT = /\p{Nd}/u;

/** The value of a Unicode decimal digit (Nd digits come in runs of 0..9). */
function digitValue(cp: number): number {
  let start = cp;
  while (start > 0 && DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Unicode decimal digits replaced by ASCII ones, as Python's `float()` reads them. */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    return cp >= 0x30 && cp <= 0x39 ? d : String(digitValue(cp));
  });
}

const PY_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Python `float(text)` for decimal text (no nan/inf/underscores); null where Python raises. */
export function pyFloat(text: string): number | null {
  const ascii = asciiDigits(pyStrip(text));
  return PY_FLOAT.test(ascii) ? Number(ascii) : null;
}

/** Python `round(x, digits)`: the decimal nearest the double's exact value, ties to even. */
export function pyRound(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  // An exact tie at `digits` decimals happens iff x * 2^(digits+1) is an odd integer.
  const scaled = x * 2 ** (digits + 1);
  if (Number.isInteger(scaled) && Math.abs(scaled % 2) === 1) {
    const twice = 5 ** digits * scaled; // 2 * 10^digits * x, exact for scores
    const down = (twice - 1) / 2;
    const n = down % 2 === 0 ? down : down + 1;
    return n / 10 ** digits;
  }
  // toFixed works from the exact binary value; without a tie its rounding direction is exact.
  return Number(x.toFixed(digits));
}
