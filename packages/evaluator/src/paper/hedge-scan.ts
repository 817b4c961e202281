import { UNCERTAINTY_WORDS } from '../dimensions/text-quality.js';

/**
 * A byte automaton that sees whether an uncertainty word can occur in an ASCII text, run by the
 * word scan (`paperWordStats`) on the words that may hold one: most texts hold none, and only
 * then do the paper's think-block regexes run (they were a tenth of the preset's time).
 *
 * It over-approximates the paper's `\b(maybe|...)\b` with re.I and never under-approximates:
 * it reports a maximal run of ASCII letters spelling a word in any case, with no ASCII word
 * character (digit, `_`) on either side, anywhere in the text (think block or not). Only ASCII
 * texts may rely on it: re.I also folds `ſ`, `ı`, `İ` and the Kelvin sign into letters, which
 * are not single bytes.
 */

/** States are multiplied by this (the symbols fit below it), so a step is one add and a load. */
const STRIDE = 32;
// Symbols: 0 not a word character, 1 a word character that is not a letter, 2.. a letter.
const OTHER_WORD_CHAR = 1;
const LETTER = 2;
// States: at a boundary, inside a word run that cannot be a hedge, matched (absorbing), then
// one per prefix of an uncertainty word.
const BOUNDARY = 0;
const DEAD = 1;
const MATCHED = 2;

/** The automaton's symbol for each byte. */
const HEDGE_SYMBOL = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) HEDGE_SYMBOL[c] = OTHER_WORD_CHAR;
HEDGE_SYMBOL[0x5f] = OTHER_WORD_CHAR;
for (let k = 0; k < 26; k++) {
  HEDGE_SYMBOL[0x41 + k] = LETTER + k;
  HEDGE_SYMBOL[0x61 + k] = LETTER + k;
}

// One state per prefix of an uncertainty word, after the three above.
const prefixes = new Map<string, number>([['', BOUNDARY]]);
for (const word of UNCERTAINTY_WORDS) {
  if (!/^[a-z]+$/.test(word)) throw new Error(`hedge automaton: "${word}" is not lower-case ASCII`);
  for (let k = 1; k <= word.length; k++)
    if (!prefixes.has(word.slice(0, k))) prefixes.set(word.slice(0, k), MATCHED + prefixes.size);
}
const words = new Set<string>(UNCERTAINTY_WORDS);

function next(prefix: string | null, state: number, symbol: number): number {
  if (state === MATCHED) return MATCHED;
  if (symbol === 0) return prefix !== null && words.has(prefix) ? MATCHED : BOUNDARY;
  if (prefix === null || symbol < LETTER) return DEAD;
  return prefixes.get(prefix + String.fromCharCode(0x61 + symbol - LETTER)) ?? DEAD;
}

/** `HEDGE_NEXT[state + symbol]` is the next state (states are multiples of `STRIDE`). */
const HEDGE_NEXT = new Int32Array((MATCHED + prefixes.size) * STRIDE);
for (const [prefix, state] of [...prefixes, [null, DEAD] as const, [null, MATCHED] as const])
  for (let symbol = 0; symbol < STRIDE; symbol++)
    HEDGE_NEXT[state * STRIDE + symbol] = next(prefix, state, symbol) * STRIDE;

/** The state before the first byte. */
const HEDGE_START = BOUNDARY * STRIDE;

/** Whether the automaton, in `state` after the last byte, saw an uncertainty word. */
function hedgeSeen(state: number): boolean {
  // The end of the text is a boundary too.
  return HEDGE_NEXT[state]! === MATCHED * STRIDE;
}

/** The shortest uncertainty word: a shorter whitespace-separated word cannot hold one. */
export const HEDGE_MIN_LENGTH = Math.min(...UNCERTAINTY_WORDS.map((word) => word.length));

/** Per byte: the bit of its ASCII letter, either case (bit 0 for a), else 0. */
export const LETTER_BIT = new Int32Array(256);
for (let k = 0; k < 26; k++) LETTER_BIT[0x41 + k] = LETTER_BIT[0x61 + k] = 1 << k;

// A word can hold an uncertainty word only if it has all of that word's letters. The check of a
// word's letter set (26 bits) is three table reads, one per slice of it: each table gives the
// uncertainty words whose letters in that slice are all there (bit w for word w).
const letterSets = UNCERTAINTY_WORDS.map((word) => {
  let set = 0;
  for (const ch of word) set |= LETTER_BIT[ch.charCodeAt(0)]!;
  return set;
});
if (letterSets.length > 16) throw new Error('hedge filter: more than 16 uncertainty words');
const sliceTable = (shift: number, bits: number): Uint16Array => {
  const table = new Uint16Array(1 << bits);
  for (let value = 0; value < table.length; value++) {
    let possible = 0;
    letterSets.forEach((set, w) => {
      const need = (set >>> shift) & (table.length - 1);
      if ((value & need) === need) possible |= 1 << w;
    });
    table[value] = possible;
  }
  return table;
};
const LOW = sliceTable(0, 9);
const MIDDLE = sliceTable(9, 9);
const HIGH = sliceTable(18, 8);

/**
 * False when a word with these letters (an OR of `LETTER_BIT`) cannot hold an uncertainty word;
 * true when it may (then `hedgeInWord` decides).
 */
export function lettersMayHedge(letters: number): boolean {
  return (LOW[letters & 0x1ff]! & MIDDLE[(letters >>> 9) & 0x1ff]! & HIGH[letters >>> 18]!) !== 0;
}

/**
 * The automaton over `bytes[start, end)`, one whitespace-separated word: whitespace is a
 * boundary, so a text holds an uncertainty word iff one of its words does.
 */
export function hedgeInWord(bytes: Uint8Array, start: number, end: number): boolean {
  const next = HEDGE_NEXT;
  const symbols = HEDGE_SYMBOL;
  let state = HEDGE_START;
  for (let k = start; k < end; k++) state = next[state + symbols[bytes[k]!]!]!;
  return hedgeSeen(state);
}
