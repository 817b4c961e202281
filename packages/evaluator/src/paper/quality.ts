import { UNCERTAINTY_WORDS } from '../dimensions/text-quality.js';
import { pyIgnoreCase, pyWordBounded } from './python-text.js';
import {
  type PaperWordStats,
  paperRepeatedTrigrams,
  paperWordStats,
  pyWordCount,
} from './word-stats.js';

export { paperRepeatedTrigrams };

// The paper's regexes with Python semantics: re.S | re.I think blocks (non-greedy, so a nested
// <think> belongs to the block and an unclosed one is never read) and Unicode \b, re.I words.
const THINK_BLOCK = new RegExp(
  `<${pyIgnoreCase('think')}>([\\s\\S]*?)</${pyIgnoreCase('think')}>`,
  'gu',
);
const UNCERTAIN = new RegExp(pyWordBounded(UNCERTAINTY_WORDS.map(pyIgnoreCase).join('|')), 'u');
// A match inside a block is a match in the whole text (the block's edges are `>` and `<`, not
// word characters), so a text without one has C = 1 and its blocks need not be read.
const UNCERTAIN_ANYWHERE = new RegExp(UNCERTAINTY_WORDS.map(pyIgnoreCase).join('|'), 'u');

/** The paper's word count: Python `len(text.split())` (tags stay glued to words). */
export function paperWordCount(text: string): number {
  return pyWordCount(text);
}

/** The first uncertainty word inside a closed `<think>...</think>` block, or null. */
export function paperUncertaintyWord(text: string): string | null {
  if (!UNCERTAIN_ANYWHERE.test(text)) return null;
  return uncertaintyInThinkBlocks(text);
}

/** `paperUncertaintyWord` once `paperWordStats` has read the text: its scan rules most texts out. */
export function paperUncertaintyWordOf(text: string, stats: PaperWordStats): string | null {
  return stats.mayHedge ? paperUncertaintyWord(text) : null;
}

function uncertaintyInThinkBlocks(text: string): string | null {
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

/** E: 1 - (summed counts of repeated trigrams) / trigrams; 1 under 6 words. */
export function paperRepetitionOf(words: ReadonlyArray<string>): number {
  if (words.length < 6) return 1;
  const { repeated, total } = paperRepeatedTrigrams(words);
  return Math.max(0, 1 - repeated / total);
}

/** E from the counts of `paperWordStats`. */
export function paperRepetitionOfStats(stats: PaperWordStats): number {
  return stats.words < 6 ? 1 : Math.max(0, 1 - stats.repeated / stats.trigrams);
}

export function paperRepetition(text: string): number {
  return paperRepetitionOfStats(paperWordStats(text));
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
  const stats = paperWordStats(text);
  const confidence = paperUncertaintyWordOf(text, stats) === null ? 1 : 0;
  const length = paperLengthOf(stats.words, idealLength);
  const repetition = paperRepetitionOfStats(stats);
  return {
    confidence,
    length,
    repetition,
    score: 0.4 * confidence + 0.3 * length + 0.3 * repetition,
    words: stats.words,
    idealLength,
  };
}

export function paperScore(text: string, idealLength: number): number {
  return paperScoreParts(text, idealLength).score;
}
