/**
 * Python's `len(text.split())` and the paper's trigram counts (`Counter` of `str.split()` word
 * triples) in one pass over the text, without building the word list: the paper preset scores
 * every candidate of every group this way, and the word list was most of its time.
 *
 * Exact, not approximate: words are hashed while scanning, and a trigram whose hash matches an
 * earlier one is compared unit by unit before it counts as a repeat.
 *
 * Two scans find the words. Most texts are read as UTF-8 bytes (one native `encodeInto`, then
 * a byte loop, about twice as fast as `charCodeAt`), which also runs the uncertainty-word
 * automaton of hedge-scan.ts. Texts that do not split as bytes (non-ASCII Python whitespace,
 * lone surrogates) or are longer than the byte buffer's cap are read as UTF-16 code units.
 */
import { HEDGE_NEXT, HEDGE_START, HEDGE_SYMBOL, HEDGE_SYMBOLS, hedgeSeen } from './hedge-scan.js';
import { isPySpace as isSpace } from './python-text.js';

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

// Scratch buffers reused across calls (the scan is synchronous), grown on demand.
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let hashes = new Int32Array(1024);
// Open-addressing table: per slot the trigram's index + 1 (0: empty) and its hash, side by side.
let slots = new Int32Array(4096);
let counts = new Int32Array(2048);

// The UTF-8 bytes of the text being scanned. Texts over MAX_BYTE_TEXT code units take the
// UTF-16 scan, so the buffer never holds more than 3 bytes for each of those.
const MAX_BYTE_TEXT = 1 << 16;
const encoder = new TextEncoder();
let bytes = new Uint8Array(1 << 14);
let view = new DataView(bytes.buffer);
// What the trigram comparison reads: the bytes (null), or this text's code units.
let unitsOf: string | null = null;

// What the byte scan cannot split: non-ASCII Python whitespace (it sees ASCII whitespace only)
// and lone surrogates (in /u mode a pair is one code point outside the surrogate range).
const NOT_BY_BYTES = /[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ud800-\udfff]/u;
// Per byte: the hedge automaton's symbol, plus BYTE_SPACE for Python whitespace (bytes of
// multi-byte characters never are). One table, so a byte costs one lookup for both.
const BYTE_SPACE = 0x80;
const BYTE_CLASS = new Uint8Array(256);
for (let c = 0; c < 0x100; c++)
  BYTE_CLASS[c] = HEDGE_SYMBOL[c]! | (c < 0x80 && space(c) ? BYTE_SPACE : 0);

/** Room for `words` words in starts/ends/hashes, keeping the ones scanned so far. */
function reserveWords(words: number): void {
  if (words <= starts.length) return;
  const size = 2 ** Math.ceil(Math.log2(words));
  const grow = (a: Int32Array) => {
    const b = new Int32Array(size);
    b.set(a);
    return b;
  };
  starts = grow(starts);
  ends = grow(ends);
  hashes = grow(hashes);
}

/**
 * Words of `bytes[0, length)` into starts/ends/hashes, and whether the hedge automaton saw an
 * uncertainty word. A word's hash is its length and its first and last 4 bytes (equal words
 * hash equally; trigram counting compares the bytes). Tables and constants are read into
 * locals first: V8 does not fold module-level bindings of a large bundle into the loop, and
 * reloading them from the module context every byte cost a third of the scan's time.
 */
function scanBytes(length: number): { words: number; hedge: boolean } {
  // At most one word per two bytes, and at most MAX_BYTE_TEXT * 3 bytes.
  reserveWords((length + 1) >> 1);
  const units = bytes;
  const data = view;
  const classes = BYTE_CLASS;
  const next = HEDGE_NEXT;
  const wordStarts = starts;
  const wordEnds = ends;
  const wordHashes = hashes;
  const symbolBits = HEDGE_SYMBOLS;
  const spaceBit = BYTE_SPACE;
  let n = 0;
  let i = 0;
  let state = HEDGE_START;
  while (i < length) {
    let byteClass = classes[units[i]!]!;
    state = next[state + (byteClass & symbolBits)]!;
    if (byteClass & spaceBit) {
      i++;
      continue;
    }
    const start = i;
    while (++i < length) {
      byteClass = classes[units[i]!]!;
      state = next[state + (byteClass & symbolBits)]!;
      if (byteClass & spaceBit) break;
    }
    const size = i - start;
    let hash = size;
    if (size >= 4)
      hash = Math.imul(data.getInt32(start, true) ^ size, 0x9e3779b1) ^ data.getInt32(i - 4, true);
    else for (let k = start; k < i; k++) hash = (hash << 8) | units[k]!;
    wordStarts[n] = start;
    wordEnds[n] = i;
    wordHashes[n] = hash;
    n++;
  }
  return { words: n, hedge: hedgeSeen(state) };
}

/** Words of `text` (UTF-16 code units) into starts/ends/hashes. */
function scanUnits(text: string): number {
  let n = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    let code = text.charCodeAt(i);
    if (space(code)) {
      i++;
      continue;
    }
    // Grown as words come (a text read this way has no length bound).
    if (n === starts.length) reserveWords(n + 1);
    starts[n] = i;
    // FNV-1a over UTF-16 code units: equal words hash equally; the compare below settles ties.
    let hash = 0x811c9dc5 | 0;
    while (true) {
      hash = Math.imul(hash ^ code, 0x01000193);
      if (++i === length) break;
      code = text.charCodeAt(i);
      if (space(code)) break;
    }
    ends[n] = i;
    hashes[n] = hash;
    n++;
  }
  return n;
}

function sameWord(a: number, b: number): boolean {
  if (a === b) return true;
  const length = ends[a]! - starts[a]!;
  if (hashes[a] !== hashes[b] || ends[b]! - starts[b]! !== length) return false;
  const sa = starts[a]!;
  const sb = starts[b]!;
  const text = unitsOf;
  if (text === null) {
    for (let k = 0; k < length; k++) if (bytes[sa + k] !== bytes[sb + k]) return false;
  } else {
    for (let k = 0; k < length; k++)
      if (text.charCodeAt(sa + k) !== text.charCodeAt(sb + k)) return false;
  }
  return true;
}

/** The paper's summed occurrences of repeated trigrams over the `n` scanned words. */
function repeatedTrigrams(n: number): number {
  const trigrams = n - 2;
  // At most half full.
  const size = 1 << (32 - Math.clz32(trigrams * 2 - 1));
  if (size > counts.length) {
    slots = new Int32Array(size * 2);
    counts = new Int32Array(size);
  }
  // Locals, as in scanBytes (module bindings are not folded into the loop).
  const table = slots;
  const tally = counts;
  const wordHashes = hashes;
  table.fill(0, 0, size * 2);
  const mask = size - 1;
  let repeated = 0;
  let h1 = wordHashes[0]!;
  let h2 = wordHashes[1]!;
  for (let t = 0; t < trigrams; t++) {
    const h3 = wordHashes[t + 2]!;
    // Order-dependent mix of the three word hashes.
    let h = Math.imul(h1, 0x9e3779b1) ^ h2;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ h3;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    h1 = h2;
    h2 = h3;
    let slot = h & mask;
    while (true) {
      const held = table[slot * 2]!;
      if (held === 0) {
        table[slot * 2] = t + 1;
        table[slot * 2 + 1] = h;
        tally[slot] = 1;
        break;
      }
      const u = held - 1;
      if (
        table[slot * 2 + 1] === h &&
        sameWord(u, t) &&
        sameWord(u + 1, t + 1) &&
        sameWord(u + 2, t + 2)
      ) {
        // The second occurrence adds the first one too: the paper sums every occurrence.
        const count = ++tally[slot]!;
        repeated += count === 2 ? 2 : 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return repeated;
}

/**
 * Reads the words of `text` into starts/ends/hashes: as UTF-8 bytes when that splits as Python
 * does (no non-ASCII whitespace, no lone surrogate, which UTF-8 would turn into U+FFFD for every
 * one of them), else as code units. `mayHedge` is the automaton's verdict on ASCII texts.
 */
function scanWords(text: string): { words: number; mayHedge: boolean } {
  if (text.length <= MAX_BYTE_TEXT) {
    if (bytes.length < text.length * 3) {
      bytes = new Uint8Array(2 ** Math.ceil(Math.log2(text.length * 3)));
      view = new DataView(bytes.buffer);
    }
    const { written } = encoder.encodeInto(text, bytes);
    const ascii = written === text.length;
    if (ascii || !NOT_BY_BYTES.test(text)) {
      unitsOf = null;
      const { words, hedge } = scanBytes(written);
      return { words, mayHedge: !ascii || hedge };
    }
  }
  unitsOf = text;
  return { words: scanUnits(text), mayHedge: true };
}

/** Word count and the paper's trigram counts of `text`, exactly as Python computes them. */
export function paperWordStats(text: string): PaperWordStats {
  const { words, mayHedge } = scanWords(text);
  const repeated = words < 6 ? 0 : repeatedTrigrams(words);
  unitsOf = null;
  return { words, trigrams: words < 6 ? 0 : words - 2, repeated, mayHedge };
}
