import { UNCERTAINTY_WORDS } from '../dimensions/text-quality.js';
import { pyIgnoreCase, pySplit, pyWordBounded } from './python-text.js';

// The paper's regexes with Python semantics: re.S | re.I think blocks (non-greedy, so a nested
// <think> belongs to the block and an unclosed one is never read) and Unicode \b, re.I words.
const THINK_BLOCK = new RegExp(
  `<${pyIgnoreCase('think')}>([\\s\\S]*?)</${pyIgnoreCase('think')}>`,
  'gu',
);
const UNCERTAIN = new RegExp(pyWordBounded(UNCERTAINTY_WORDS.map(pyIgnoreCase).join('|')), 'u');

/** The paper's word count: Python `len(text.split())` (tags stay glued to words). */
export function paperWordCount(text: string): number {
  return pySplit(text).length;
}

/** The first uncertainty word inside a closed `<think>...</think>` block, or null. */
export function paperUncertaintyWord(text: string): string | null {
  for (const block of text.matchAll(THINK_BLOCK)) {
    const hit = UNCERTAIN.exec(block[1]!);
    if (hit) return hit[0];
  }
  return null;
}

/** C: 0 when a closed think block holds an uncertainty word, else 1. */
export function paperConfidence(text: string): number {
  return paperUncertaintyWord(text) === null ? 1 : 0;
}

/** L: exp(-(n - ideal)^2 / (2 (ideal/2)^2)), symmetric; 1 when ideal <= 0. */
export function paperLengthOf(words: number, idealLength: number): number {
  if (idealLength <= 0) return 1;
  const sigma = idealLength * 0.5;
  return Math.exp(-((words - idealLength) ** 2) / (2 * sigma ** 2));
}

export function paperLength(text: string, idealLength: number): number {
  return paperLengthOf(paperWordCount(text), idealLength);
}

/** E's counts: the summed occurrences of every trigram seen more than once, and all trigrams. */
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

/** E: 1 - (summed counts of repeated trigrams) / trigrams; 1 under 6 words. */
export function paperRepetitionOf(words: ReadonlyArray<string>): number {
  if (words.length < 6) return 1;
  const { repeated, total } = paperRepeatedTrigrams(words);
  return Math.max(0, 1 - repeated / total);
}

export function paperRepetition(text: string): number {
  return paperRepetitionOf(pySplit(text));
}

export interface PaperScoreParts {
  confidence: number;
  length: number;
  repetition: number;
  /** 0.4 C + 0.3 L + 0.3 E, in the paper's order of operations. */
  score: number;
  words: number;
  idealLength: number;
}

/** The paper's `trajectory_score` with its three parts. */
export function paperScoreParts(text: string, idealLength: number): PaperScoreParts {
  const words = pySplit(text);
  const confidence = paperConfidence(text);
  const length = paperLengthOf(words.length, idealLength);
  const repetition = paperRepetitionOf(words);
  return {
    confidence,
    length,
    repetition,
    score: 0.4 * confidence + 0.3 * length + 0.3 * repetition,
    words: words.length,
    idealLength,
  };
}

export function paperScore(text: string, idealLength: number): number {
  return paperScoreParts(text, idealLength).score;
}
