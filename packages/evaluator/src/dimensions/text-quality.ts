import type { Trajectory } from '@autotraj/trajectory';
import type { Diagnostic, DimensionResult } from './types.js';

/** The paper's uncertainty words; any one in a `<think>` block sets confidence to 0. */
export const UNCERTAINTY_WORDS = [
  'maybe',
  'unsure',
  'guess',
  'seems',
  'perhaps',
  'probably',
  'might',
  'likely',
  'recheck',
] as const;

const UNCERTAINTY = new RegExp(`\\b(${UNCERTAINTY_WORDS.join('|')})\\b`, 'i');

/** Confidence: 0 if any reasoning step uses an uncertainty word, else 1 (the paper's rule). */
export function confidenceDimension(trajectory: Pick<Trajectory, 'steps'>): DimensionResult {
  const diagnostics: Diagnostic[] = [];
  trajectory.steps.forEach((step, stepIndex) => {
    if (step.type !== 'think') return;
    const match = UNCERTAINTY.exec(step.text);
    if (match)
      diagnostics.push({
        stepIndex,
        code: 'confidence/uncertainty-word',
        message: `reasoning says "${match[1]}"`,
      });
  });
  return { score: diagnostics.length === 0 ? 1 : 0, diagnostics };
}

/**
 * Length: exp(-(L - L0)^2 / (2 (0.5 L0)^2)) with L the word count and L0 the shortest
 * candidate's word count for the same query (1 for the shortest itself, or with no group).
 */
export function lengthScore(words: number, shortest: number): number {
  if (shortest <= 0 || words <= shortest) return 1;
  const sigma = 0.5 * shortest;
  return Math.exp(-((words - shortest) ** 2) / (2 * sigma * sigma));
}

export function lengthDimension(words: number, shortest: number): DimensionResult {
  const score = lengthScore(words, shortest);
  const diagnostics: Diagnostic[] =
    score < 0.5
      ? [
          {
            stepIndex: null,
            code: 'length/long',
            message: `${words} words against ${shortest} for the shortest candidate`,
          },
        ]
      : [];
  return { score, diagnostics };
}

/**
 * Repetition: 1 - (distinct word trigrams that occur more than once / all trigrams);
 * 1 for fewer than 6 words.
 */
export function repetitionScore(words: ReadonlyArray<string>): {
  score: number;
  repeated: number;
  total: number;
} {
  if (words.length < 6) return { score: 1, repeated: 0, total: 0 };
  // Words as small integers and trigrams as one number: no string keys to build and collect.
  const ids = new Map<string, number>();
  const codes = new Array<number>(words.length);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let id = ids.get(word);
    if (id === undefined) {
      id = ids.size;
      ids.set(word, id);
    }
    codes[i] = id;
  }
  const base = ids.size + 1;
  const counts = new Map<number, number>();
  const total = words.length - 2;
  let repeated = 0;
  for (let i = 0; i < total; i++) {
    const key = (codes[i]! * base + codes[i + 1]!) * base + codes[i + 2]!;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count === 2) repeated++;
  }
  return { score: 1 - repeated / total, repeated, total };
}

export function repetitionDimension(words: ReadonlyArray<string>): DimensionResult {
  const { score, repeated, total } = repetitionScore(words);
  const diagnostics: Diagnostic[] =
    score < 0.9
      ? [
          {
            stepIndex: null,
            code: 'repetition/repeated-trigrams',
            message: `${repeated} of ${total} word trigrams repeat`,
          },
        ]
      : [];
  return { score, diagnostics };
}
