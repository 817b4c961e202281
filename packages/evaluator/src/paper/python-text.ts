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

// The same characters as a table, for the scans on the paper preset's hot path.
const SPACE_TABLE = new Uint8Array(0x3001);
for (const [from, to] of [
  [0x09, 0x0d],
  [0x1c, 0x20],
  [0x85, 0x85],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
] as const)
  SPACE_TABLE.fill(1, from, to + 1);

/** Python `str.isspace()` for one UTF-16 code unit (no whitespace is outside the BMP). */
export function isPySpace(code: number): boolean {
  return code <= 0x3000 && SPACE_TABLE[code] === 1;
}

/** Python `text.split()`: runs of Python whitespace separate, no empty words. */
export function pySplit(text: string): string[] {
  return text.split(SPACE_RUN).filter((word) => word !== '');
}

/** Python `text.strip()`. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text.charCodeAt(start))) start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
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

/**
 * Python `float(re.sub(r"[^\d.-]", "", text))`, null where Python raises. The kept characters
 * parse only with at most one `.` and one `-`, the `-` first: most long texts fail that at a
 * native search, before any filtered string is built.
 */
export function pyFloatOfDigitsDotMinus(text: string): number | null {
  const dot = text.indexOf('.');
  if (dot >= 0 && text.indexOf('.', dot + 1) >= 0) return null;
  const minus = text.indexOf('-');
  if (minus >= 0) {
    if (text.indexOf('-', minus + 1) >= 0 || (dot >= 0 && dot < minus)) return null;
    if (hasDigitBefore(text, minus)) return null;
  }
  return pyFloat(keepDigitsDotMinus(text));
}

/** Whether `text[0, end)` holds a decimal digit of any script (ASCII by a loop, no slice). */
function hasDigitBefore(text: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) return true;
    if (code >= 0x80) return DIGIT.test(text.slice(i, end));
  }
  return false;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Every code unit below 0x80 (then the ASCII fast paths give Python's answers). */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/**
 * Python `re.sub(r"[^\d.-]", "", text)`: only decimal digits (any script), `.` and `-` are kept.
 */
export function keepDigitsDotMinus(text: string): string {
  // One loop that keeps the runs of ASCII digits, `.` and `-` and gives way to the Unicode regex
  // at the first non-ASCII unit: is_answer_correct runs this on whole texts without a brace,
  // where an ASCII test and a global replace took 2 us a 480-unit text.
  let kept = '';
  let run = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return text.replace(/[^\p{Nd}.-]+/gu, '');
    if ((code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d) {
      if (run < 0) run = i;
    } else if (run >= 0) {
      kept += text.slice(run, i);
      run = -1;
    }
  }
  return run < 0 ? kept : kept + text.slice(run);
}

/** The value of a Unicode decimal digit (Nd digits come in runs of 0..9). */
function digitValue(cp: number): number {
  let start = cp;
  while (start > 0 && DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Unicode decimal digits replaced by ASCII ones, as Python's `float()` reads them. */
export function asciiDigits(text: string): string {
  if (isAscii(text)) return text;
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

/**
 * `x.toFixed(4)` for a score `pyRound(_, 4)` gave (the double nearest a 4-decimal number), from
 * its integer of ten-thousandths: toFixed is a runtime call, and every decision's reason shows
 * one. Any other number takes toFixed.
 */
export function toFixed4(x: number): string {
  const n = Math.round(x * 10_000);
  if (!(n >= 0 && n <= 1e9 && n / 10_000 === x)) return x.toFixed(4);
  const fraction = n % 10_000;
  return `${(n - fraction) / 10_000}.${fraction < 1000 ? (fraction < 100 ? (fraction < 10 ? '000' : '00') : '0') : ''}${fraction}`;
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
  // Far from a half, x * 10^digits (off by at most an ulp) rounds the same way as x itself, and
  // the integer over 10^digits, divided with one rounding, is the double nearest that decimal,
  // as parsing its digits gives. Near a half, toFixed decides from the exact binary value.
  const scale = 10 ** digits;
  const y = x * scale;
  if (digits <= 15 && Math.abs(y) < 1e15) {
    const n = Math.round(y);
    if (Math.abs(y - n) < 0.4999) return n / scale;
  }
  return Number(x.toFixed(digits));
}
