import type { Task, Trajectory } from '@autotraj/trajectory';
import { sourceTextOfUnchecked as sourceTextOf } from '@autotraj/trajectory/internal';
import { type AnswerKind, answerKindOf } from '../dimensions/correctness.js';
import type { Diagnostic, DimensionResult } from '../dimensions/types.js';
import { paperRepairAnswerChecker } from '../paper/accept.js';
import { paperCorrectnessChecker } from '../paper/correctness.js';
import { pyRound, toFixed4 } from '../paper/python-text.js';
import { paperLengthOf, paperRepetitionOfStats, paperUncertaintyWordOf } from '../paper/quality.js';
import { type PaperWordStats, paperWordStats, pyWordCount } from '../paper/word-stats.js';
import type { AcceptRepairDecision, AcceptRepairReport as ReportLike } from './accept-repair.js';
import type { Thresholds } from './presets.js';
import type { EvaluationReport, SelectionDecision } from './report.js';

/**
 * The `paper` preset on trajectories: the text each one was written as (else its tag
 * rendering), the paper's checks on that text, its length groups and rounded thresholds.
 */

/**
 * The text the paper scores: the caller's, else `metadata.sourceText`, else `render`'s (a
 * function of the trajectory, not a closure made per candidate: this runs for every one).
 */
export function paperTextOf(
  trajectory: Trajectory,
  render: (trajectory: Trajectory) => string,
  given?: string,
): string {
  if (given !== undefined) return given;
  return sourceTextOf(trajectory) ?? render(trajectory);
}

export function paperAnswerKind(task: Task, option: AnswerKind | 'auto' | undefined): AnswerKind {
  return answerKindOf(task, option);
}

export interface PaperTextFacts extends PaperLengthFacts {
  text: string;
  /** Word count and trigram counts (Python `str.split()` words). */
  stats: PaperWordStats;
  /** Correct against any gold (the paper has one gold per question); null without golds. */
  correct: boolean | null;
  /** is_answer_correct of the repair scripts on the whole text (used when this is a repair). */
  looseCorrect: boolean | null;
}

/** What the length groups need of a text: its word count and its answer's correctness. */
export interface PaperLengthFacts {
  words: number;
  correct: boolean | null;
}

/**
 * The paper's facts about each text written for `task` (`facts`), and the lighter ones another
 * member of its group needs for the length reference (`lengthFacts`): the golds are prepared
 * once, so a group (and its repairs) pays for them once.
 */
export function paperFactsFor(
  task: Task,
  kind: AnswerKind,
): {
  facts: (text: string) => PaperTextFacts;
  lengthFacts: (text: string) => PaperLengthFacts;
} {
  const golds = task.goldAnswers;
  const correct = golds.length === 0 ? null : paperCorrectnessChecker(golds, kind);
  const loose = golds.length === 0 ? null : paperRepairAnswerChecker(golds);
  return {
    facts: (text) => {
      const stats = paperWordStats(text);
      return {
        words: stats.words,
        correct: correct === null ? null : correct(text),
        text,
        stats,
        looseCorrect: loose === null ? null : loose(text),
      };
    },
    lengthFacts: (text) => ({
      words: pyWordCount(text),
      correct: correct === null ? null : correct(text),
    }),
  };
}

/**
 * The ideal length of each text under the paper's grouping: all correct (or unlabelled) -> the
 * shortest of all; partly correct -> a correct text's own length; a wrong text (never scored by
 * the paper) -> the shortest of all, for information.
 */
export function paperIdealLengths(facts: ReadonlyArray<PaperLengthFacts>): number[] {
  // paperClassify's grouping, decided in one loop (this runs for every group).
  let shortest = facts.length === 0 ? 0 : Number.POSITIVE_INFINITY;
  let allCorrect = true;
  for (const f of facts) {
    if (f.words < shortest) shortest = f.words;
    if (f.correct === false) allCorrect = false;
  }
  const ideals: number[] = [];
  for (const f of facts) ideals.push(allCorrect || f.correct === false ? shortest : f.words);
  return ideals;
}

export function paperDimensions(
  facts: PaperTextFacts,
  idealLength: number,
): Record<string, DimensionResult> {
  const { words, repeated, trigrams } = facts.stats;
  const hedge = paperUncertaintyWordOf(facts.text, facts.stats);
  const length = paperLengthOf(words, idealLength);
  const repetition = paperRepetitionOfStats(facts.stats);
  const results: Record<string, DimensionResult> = {
    confidence: {
      score: hedge === null ? 1 : 0,
      diagnostics:
        hedge === null
          ? []
          : diag('confidence/uncertainty-word', `a <think> block says "${hedge}"`),
    },
    length: {
      score: length,
      diagnostics:
        length < 0.5
          ? diag('length/long', `${words} words against an ideal of ${idealLength}`)
          : [],
    },
    repetition: {
      score: repetition,
      diagnostics:
        repetition < 0.9
          ? diag(
              'repetition/repeated-trigrams',
              `${repeated} of ${trigrams} word trigrams are repeats`,
            )
          : [],
    },
  };
  if (facts.correct !== null)
    results.correctness = {
      score: facts.correct ? 1 : 0,
      diagnostics: facts.correct
        ? []
        : diag('correctness/wrong-answer', "the paper's answer check fails"),
    };
  return results;
}

function diag(code: string, message: string): Diagnostic[] {
  return [{ stepIndex: null, code, message }];
}

/** 0.4 C + 0.3 L + 0.3 E in the paper's order of operations (bit-identical to its float). */
export function paperQuality(results: Record<string, DimensionResult>): number {
  return (
    0.4 * results.confidence!.score + 0.3 * results.length!.score + 0.3 * results.repetition!.score
  );
}

/**
 * The paper's selection on finished reports: rounded scores; one item when all are correct,
 * else each correct one alone (kept iff its rounded score >= keepBest); wrong ones to repair.
 * Nothing is discarded (the paper keeps duplicates and empty texts).
 */
export function paperSelect(
  reports: ReadonlyArray<EvaluationReport>,
  thresholds: Pick<Thresholds, 'keepAll' | 'keepBest'>,
): SelectionDecision[] {
  const n = reports.length;
  const storedOf = (r: EvaluationReport) => r.paper?.stored ?? pyRound(r.quality, 4);
  // paperClassify's items: one of all when every answer is correct, else each correct alone.
  let allCorrect = true;
  let lowest = Number.POSITIVE_INFINITY;
  let best = -1;
  let bestStored = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const r = reports[i]!;
    if (r.correct === false) {
      allCorrect = false;
      continue;
    }
    const s = storedOf(r);
    if (s < lowest) lowest = s;
    if (best < 0 || s > bestStored) {
      best = i;
      bestStored = s;
    }
  }
  const decisions: SelectionDecision[] = [];
  for (let i = 0; i < n; i++) {
    const r = reports[i]!;
    const trajectoryId = r.trajectoryId;
    if (r.correct === false) {
      decisions.push({ trajectoryId, action: 'repair', reason: 'wrong-answer' });
      continue;
    }
    const score = storedOf(r);
    const s = toFixed4(score);
    // Alone in its item (so its best, and "all" of it) unless every answer is correct.
    const isBest = allCorrect ? i === best : true;
    const all = (allCorrect ? lowest : score) >= thresholds.keepAll;
    if (all)
      decisions.push({
        trajectoryId,
        action: 'keep',
        reason: `all correct candidates score >= ${thresholds.keepAll} (stored ${s})`,
      });
    else if (isBest && score >= thresholds.keepBest)
      decisions.push({
        trajectoryId,
        action: 'keep',
        reason: `best correct candidate, stored score ${s} >= ${thresholds.keepBest}`,
      });
    else
      decisions.push({
        trajectoryId,
        action: 'repair',
        reason: `low-quality: stored score ${s}${isBest ? ` < ${thresholds.keepBest}` : ' (not the best)'}`,
      });
  }
  return decisions;
}

function dimensionScore(dimensions: unknown, name: string): number | undefined {
  if (typeof dimensions !== 'object' || dimensions === null) return undefined;
  const score = (dimensions as Record<string, { score?: unknown } | undefined>)[name]?.score;
  return typeof score === 'number' ? score : undefined;
}

/**
 * The repair scripts' acceptance. Correct-answer input: the repair's is_answer_correct, score
 * with ideal = min(original, repaired) words > 0.86 and > the original's stored (rounded) score.
 * Wrong-answer input: correct and score with L = 1 > 0.8. Reports without word counts (built
 * by hand) are judged on their quality as given.
 */
export function paperAcceptRepair(input: {
  original: ReportLike;
  repaired: ReportLike;
  reason?: 'wrong-answer' | 'low-quality';
  thresholds: Pick<Thresholds, 'acceptLowQuality' | 'acceptWrongAnswer'>;
}): AcceptRepairDecision & { score: number; idealLength: number | null } {
  const { original, repaired } = input;
  const kind = input.reason ?? (original.correct === false ? 'wrong-answer' : 'low-quality');
  const threshold =
    kind === 'wrong-answer'
      ? input.thresholds.acceptWrongAnswer
      : input.thresholds.acceptLowQuality;
  const correct = repaired.paper?.looseCorrect ?? repaired.correct;
  const c = dimensionScore(repaired.dimensions, 'confidence');
  const e = dimensionScore(repaired.dimensions, 'repetition');
  let score = repaired.quality;
  let idealLength: number | null = null;
  if (repaired.words !== undefined && c !== undefined && e !== undefined) {
    idealLength =
      kind === 'wrong-answer' || original.words === undefined
        ? repaired.words
        : Math.min(original.words, repaired.words);
    score = 0.4 * c + 0.3 * paperLengthOf(repaired.words, idealLength) + 0.3 * e;
  }
  const originalStored = original.paper?.stored ?? pyRound(original.quality, 4);
  const shown = score.toFixed(4);
  const verdict = (accepted: boolean, reason: string) => ({
    accepted,
    reason,
    threshold,
    score,
    idealLength,
  });
  if (correct !== true)
    return verdict(
      false,
      correct === null ? 'repaired answer cannot be checked (no gold)' : 'repaired answer is wrong',
    );
  if (!(score > threshold))
    return verdict(false, `repaired score ${shown} is not above ${threshold}`);
  if (kind === 'low-quality' && !(score > originalStored))
    return verdict(
      false,
      `repaired score ${shown} does not beat the original's stored ${originalStored}`,
    );
  return verdict(true, `${kind} repaired: correct, score ${shown} > ${threshold}`);
}
