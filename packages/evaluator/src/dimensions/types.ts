import type { DimensionScore, Task, Trajectory } from '@autotraj/trajectory';

// The contract lives once, in @autotraj/trajectory.
export type { Diagnostic } from '@autotraj/trajectory';

/** `{ score in [0,1], diagnostics }`: the shape of `dimensionScoreSchema` in @autotraj/trajectory. */
export type DimensionResult = DimensionScore;

/** What every rule dimension sees about the trajectory it scores. */
export interface DimensionContext {
  task: Task;
  trajectory: Trajectory;
  /** The trajectory in the paper's tag format (what the paper measures). */
  text: string;
  /** Whitespace-separated words of `text`. */
  words: string[];
  /** Word count of the shortest candidate for the same query (this one included). */
  shortestWordCount: number;
}

export function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

export function whitespaceWords(text: string): string[] {
  const words = text.split(/\s+/);
  // Only leading or trailing whitespace leaves an empty string (at the ends): drop those
  // instead of filtering every word into a second array (the evaluator splits every candidate).
  if (words[words.length - 1] === '') words.pop();
  if (words[0] === '') words.shift();
  return words;
}
