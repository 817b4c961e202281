/**
 * The featurizer's tokenisation, written as a hand-rolled scanner because it runs on every
 * rollout (a regex + string per token would cost several times more). The rules, in order:
 *
 * - whitespace (UTF-16 code units <= 0x20) separates tokens and is dropped;
 * - a **word** starts with an ASCII letter, `_` or any code unit >= 0x80 and continues with
 *   those or ASCII digits; ASCII letters are lower-cased (`Total_cost` -> `total_cost`);
 * - a **number** starts with a digit and continues with digits, or `,`/`.` followed by a digit.
 *   Numbers are replaced by their shape, so features generalise across problems:
 *   `<num:K>` for integers and `<dec:K>` when a `.` occurs, K = digits before the first `.`
 *   (commas ignored), capped at 7 (`1,250` -> `<num:4>`, `5.0` -> `<dec:1>`);
 * - every other code unit is a token by itself (`=`, `*`, `(`, `$`, ...).
 *
 * Tokens are hashed with 32-bit FNV-1a over their (lower-cased) code units.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MAX_SHAPE_DIGITS = 7;

/** FNV-1a of a token string; the scanner computes the same value without building strings. */
export function hashToken(token: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), FNV_PRIME);
  return h | 0;
}

const intShapeHashes = Array.from({ length: MAX_SHAPE_DIGITS + 1 }, (_, k) =>
  hashToken(`<num:${k}>`),
);
const decShapeHashes = Array.from({ length: MAX_SHAPE_DIGITS + 1 }, (_, k) =>
  hashToken(`<dec:${k}>`),
);

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Scan `text` and append token hashes to `out` starting at `start`; returns the new end.
 * Stops after `maxTokens` tokens. `out` must have room for `maxTokens` more entries.
 */
export function scanTokenHashes(
  text: string,
  out: Int32Array,
  start: number,
  maxTokens: number,
): number {
  let n = start;
  const limit = start + maxTokens;
  const len = text.length;
  let i = 0;
  while (i < len && n < limit) {
    const c = text.charCodeAt(i);
    if (c <= 32) {
      i++;
      continue;
    }
    if (isWordStart(c)) {
      let h = FNV_OFFSET;
      let d = c;
      do {
        if (d >= 65 && d <= 90) d += 32;
        h = Math.imul(h ^ d, FNV_PRIME);
        i++;
        d = i < len ? text.charCodeAt(i) : 0;
      } while (i < len && (isWordStart(d) || isDigit(d)));
      out[n++] = h | 0;
      continue;
    }
    if (isDigit(c)) {
      let digits = 0;
      let decimal = false;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (isDigit(d)) {
          if (!decimal) digits++;
          i++;
        } else if ((d === 44 || d === 46) && i + 1 < len && isDigit(text.charCodeAt(i + 1))) {
          if (d === 46) decimal = true;
          i++;
        } else break;
      }
      const k = Math.min(digits, MAX_SHAPE_DIGITS);
      out[n++] = decimal ? decShapeHashes[k]! : intShapeHashes[k]!;
      continue;
    }
    out[n++] = Math.imul(FNV_OFFSET ^ c, FNV_PRIME) | 0;
    i++;
  }
  return n;
}

// Every code unit from `!` (0x21) up is a token character: the scanner's notion of whitespace.
const displayPattern =
  /[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*|[0-9]+(?:[.,][0-9]+)*|[!-\uffff]/g;

/** The tokens of `text` as strings, exactly as the featurizer sees them (for docs and debugging). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(displayPattern)) {
    const token = match[0];
    const c = token.charCodeAt(0);
    if (isDigit(c)) {
      const dot = token.indexOf('.');
      const digits = (dot === -1 ? token : token.slice(0, dot)).replaceAll(',', '').length;
      tokens.push(`<${dot === -1 ? 'num' : 'dec'}:${Math.min(digits, MAX_SHAPE_DIGITS)}>`);
    } else {
      tokens.push(token.replace(/[A-Z]+/g, (s) => s.toLowerCase()));
    }
  }
  return tokens;
}

/** murmur3's 32-bit finaliser: spreads n-gram hashes evenly over the buckets. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
