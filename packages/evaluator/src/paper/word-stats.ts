/**
 * Python's `len(text.split())` and the paper's trigram counts (`Counter` of `str.split()` word
 * triples) in one pass over the text, without building the word list: the paper preset scores
 * every candidate of every group this way, and the word list was most of its time.
 *
 * Exact, not approximate: words are hashed while scanning, and a trigram whose hash matches an
 * earlier one is compared character by character before it counts as a repeat.
 */
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
}

// Scratch buffers reused across calls (the scan is synchronous), grown on demand.
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let hashes = new Int32Array(1024);
// Open-addressing table: per slot the trigram's index + 1 (0: empty) and its hash, side by side.
let slots = new Int32Array(4096);
let counts = new Int32Array(2048);

function growWords(): void {
  const grow = (a: Int32Array) => {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    return b;
  };
  starts = grow(starts);
  ends = grow(ends);
  hashes = grow(hashes);
}

function sameWord(text: string, a: number, b: number): boolean {
  if (a === b) return true;
  const length = ends[a]! - starts[a]!;
  if (hashes[a] !== hashes[b] || ends[b]! - starts[b]! !== length) return false;
  const sa = starts[a]!;
  const sb = starts[b]!;
  for (let k = 0; k < length; k++)
    if (text.charCodeAt(sa + k) !== text.charCodeAt(sb + k)) return false;
  return true;
}

/** Word count and the paper's trigram counts of `text`, exactly as Python computes them. */
export function paperWordStats(text: string): PaperWordStats {
  let n = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    let code = text.charCodeAt(i);
    if (space(code)) {
      i++;
      continue;
    }
    if (n === starts.length) growWords();
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
  if (n < 6) return { words: n, trigrams: 0, repeated: 0 };

  const trigrams = n - 2;
  // At most half full.
  const size = 1 << (32 - Math.clz32(trigrams * 2 - 1));
  if (size > counts.length) {
    slots = new Int32Array(size * 2);
    counts = new Int32Array(size);
  }
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
        sameWord(text, u, t) &&
        sameWord(text, u + 1, t + 1) &&
        sameWord(text, u + 2, t + 2)
      ) {
        // The second occurrence adds the first one too: the paper sums every occurrence.
        const count = ++counts[slot]!;
        repeated += count === 2 ? 2 : 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { words: n, trigrams, repeated };
}
