/**
 * Python's `len(text.split())` and the paper's trigram counts (`Counter` of `str.split()` word
 * triples) in one pass over the text, without building the word list: the paper preset scores
 * every candidate of every group this way, and the word list was most of its time.
 *
 * Exact, not approximate: words are hashed while scanning, and a trigram whose hash matches an
 * earlier one is compared byte by byte before it counts as a repeat.
 *
 * The text is read as UTF-8 bytes (one native `encodeInto`, then a byte loop, about twice as
 * fast as `charCodeAt`), which also gathers each word's letters, so the uncertainty-word
 * automaton of hedge-scan.ts runs only on the few words that have a hedge's letters. Texts
 * that do not split as bytes (non-ASCII Python whitespace, lone surrogates) or are longer than
 * MAX_SCANNED take the word list (`pySplit` and a Map of trigrams), as Python computes them.
 */
import { HEDGE_MIN_LENGTH, hedgeInWord, LETTER_BIT, lettersMayHedge } from './hedge-scan.js';
import { isPySpace as isSpace, pySplit } from './python-text.js';

// Python whitespace with the common case (a printable ASCII character) decided first.
const space = (code: number): boolean =>
  code <= 0x20
    ? code === 0x20 || (code >= 0x09 && code <= 0x0d) || code >= 0x1c
    : code >= 0x85 && isSpace(code);

/** Python `len(text.split())`. */
export function pyWordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const blank = space(text.charCodeAt(i));
    if (!blank && !inWord) words++;
    inWord = !blank;
  }
  return words;
}

export interface PaperWordStats {
  /** `len(text.split())`. */
  words: number;
  /** Word trigrams (words - 2), 0 under 6 words (the paper never counts them there). */
  trigrams: number;
  /** Summed occurrences of every trigram seen more than once (0 under 6 words). */
  repeated: number;
  /**
   * False when the scan proved that no uncertainty word occurs anywhere in the text (so no
   * think block holds one); true when one may (then the paper's regexes decide).
   */
  mayHedge: boolean;
}

/** E's counts on a word list: summed occurrences of every trigram seen more than once, and all trigrams. */
export function paperRepeatedTrigrams(words: ReadonlyArray<string>): {
  repeated: number;
  total: number;
} {
  if (words.length < 6) return { repeated: 0, total: 0 };
  const counts = new Map<string, number>();
  const total = words.length - 2;
  // Length-prefixed keys: words may hold any character, so no separator is safe.
  for (let i = 0; i < total; i++) {
    const a = words[i]!;
    const b = words[i + 1]!;
    const key = `${a.length}:${b.length}:${a}${b}${words[i + 2]!}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let repeated = 0;
  for (const count of counts.values()) if (count > 1) repeated += count;
  return { repeated, total };
}

// Fixed scratch buffers for the byte scan, allocated once (~170 kB): the scan measured 15%
// slower on buffers held in reassignable bindings (grown on demand). A text of n units has at
// most 3n bytes and (n + 1) / 2 words.
const MAX_SCANNED = 1 << 13;
const MAX_WORDS = (MAX_SCANNED + 1) >> 1;
// One byte more than the longest text's: scanBytes writes a space after the text.
const BYTES = new Uint8Array(3 * MAX_SCANNED + 1);
const VIEW = new DataView(BYTES.buffer);
const STARTS = new Int32Array(MAX_WORDS);
const ENDS = new Int32Array(MAX_WORDS);
const HASHES = new Int32Array(MAX_WORDS);
// Open-addressing trigram table, at most half full: per slot the trigram's index + 1 (0: empty)
// and its hash side by side, and its count.
const TABLE_SIZE = 2 ** Math.ceil(Math.log2(2 * MAX_WORDS));
const SLOTS = new Int32Array(2 * TABLE_SIZE);
const COUNTS = new Int32Array(TABLE_SIZE);
const encoder = new TextEncoder();

// What the byte scan cannot split: non-ASCII Python whitespace (it sees ASCII whitespace only)
// and lone surrogates (in /u mode a pair is one code point outside the surrogate range).
const NOT_BY_BYTES = /[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ud800-\udfff]/u;
// Per byte: its letter's bit (LETTER_BIT), plus BYTE_SPACE for Python whitespace (bytes of
// multi-byte characters never are). One table, so a byte costs one lookup for both.
const BYTE_SPACE = 1 << 30;
const BYTE_CLASS = new Int32Array(256);
for (let c = 0; c < 0x100; c++)
  BYTE_CLASS[c] = LETTER_BIT[c]! | (c < 0x80 && space(c) ? BYTE_SPACE : 0);

/**
 * Words of `BYTES[0, length)` into STARTS/ENDS/HASHES (returns how many), and in `scannedHedge`
 * whether the hedge automaton found an uncertainty word (not in an object made per call). A word's hash is its length and its first and
 * last 4 bytes (equal words hash equally; trigram counting compares the bytes). Each word's
 * letters are OR-ed as it is read (no dependency from byte to byte but that OR; the automaton
 * run on every byte was a chain of table reads, a seventh of the scan), and the automaton reads
 * only a word long enough with every letter of some uncertainty word. Every module-level
 * binding is read into a local first: V8 reloaded them from the module context in the loop
 * (measured: the scan a third slower), and constant buffers in locals beat reassignable ones.
 */
let scannedHedge = false;

function scanBytes(length: number): number {
  const bytes = BYTES;
  const view = VIEW;
  const classes = BYTE_CLASS;
  const starts = STARTS;
  const ends = ENDS;
  const hashes = HASHES;
  const spaceBit = BYTE_SPACE;
  let hedge = false;
  bytes[length] = 0x20;
  let n = 0;
  let i = 0;
  while (i < length) {
    let byteClass = classes[bytes[i]!]!;
    if (byteClass & spaceBit) {
      i++;
      continue;
    }
    const start = i;
    let letters = byteClass;
    // No bound check: the space written after the text ends the last word.
    while (true) {
      byteClass = classes[bytes[++i]!]!;
      if (byteClass & spaceBit) break;
      letters |= byteClass;
    }
    const size = i - start;
    let hash = size;
    if (size >= 4)
      hash = Math.imul(view.getInt32(start, true) ^ size, 0x9e3779b1) ^ view.getInt32(i - 4, true);
    else for (let k = start; k < i; k++) hash = (hash << 8) | bytes[k]!;
    if (!hedge && size >= HEDGE_MIN_LENGTH && lettersMayHedge(letters))
      hedge = hedgeInWord(bytes, start, i);
    starts[n] = start;
    ends[n] = i;
    hashes[n] = hash;
    n++;
  }
  scannedHedge = hedge;
  return n;
}

function sameWord(a: number, b: number): boolean {
  if (a === b) return true;
  const length = ENDS[a]! - STARTS[a]!;
  if (HASHES[a] !== HASHES[b] || ENDS[b]! - STARTS[b]! !== length) return false;
  const sa = STARTS[a]!;
  const sb = STARTS[b]!;
  for (let k = 0; k < length; k++) if (BYTES[sa + k] !== BYTES[sb + k]) return false;
  return true;
}

/** The paper's summed occurrences of repeated trigrams over the `n` scanned words. */
function repeatedTrigrams(n: number): number {
  const slots = SLOTS;
  const counts = COUNTS;
  const hashes = HASHES;
  const trigrams = n - 2;
  // At most half full.
  const size = 1 << (32 - Math.clz32(trigrams * 2 - 1));
  slots.fill(0, 0, size * 2);
  const mask = size - 1;
  let repeated = 0;
  let h1 = hashes[0]!;
  let h2 = hashes[1]!;
  for (let t = 0; t < trigrams; t++) {
    const h3 = hashes[t + 2]!;
    // Order-dependent mix of the three word hashes.
    let h = Math.imul(h1, 0x9e3779b1) ^ h2;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ h3;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    h1 = h2;
    h2 = h3;
    let slot = h & mask;
    while (true) {
      const held = slots[slot * 2]!;
      if (held === 0) {
        slots[slot * 2] = t + 1;
        slots[slot * 2 + 1] = h;
        counts[slot] = 1;
        break;
      }
      const u = held - 1;
      if (
        slots[slot * 2 + 1] === h &&
        sameWord(u, t) &&
        sameWord(u + 1, t + 1) &&
        sameWord(u + 2, t + 2)
      ) {
        // The second occurrence adds the first one too: the paper sums every occurrence.
        const count = ++counts[slot]!;
        repeated += count === 2 ? 2 : 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return repeated;
}

/** Word count and the paper's trigram counts of `text`, exactly as Python computes them. */
export function paperWordStats(text: string): PaperWordStats {
  if (text.length <= MAX_SCANNED) {
    const { written } = encoder.encodeInto(text, BYTES);
    // One byte per unit: ASCII, where the automaton's verdict holds.
    const ascii = written === text.length;
    if (ascii || !NOT_BY_BYTES.test(text)) {
      const words = scanBytes(written);
      const mayHedge = !ascii || scannedHedge;
      if (words < 6) return { words, trigrams: 0, repeated: 0, mayHedge };
      return { words, trigrams: words - 2, repeated: repeatedTrigrams(words), mayHedge };
    }
  }
  const words = pySplit(text);
  const { repeated, total } = paperRepeatedTrigrams(words);
  return { words: words.length, trigrams: total, repeated, mayHedge: true };
}
