import {
  contentId,
  gsm8kModelSolutionTrajectories,
  type LabelledTrajectory,
  type PreferencePair,
  preferencePairSchema,
  type Trajectory,
  toraTrajectory,
  validate,
} from '@autotraj/trajectory';
import { createRng, shuffleInPlace } from './rng.js';
import { REWARD_MODEL_TRAINING_DEFAULTS } from './training-defaults.js';

function correctnessPairs(
  question: string,
  taskId: string,
  solutions: ReadonlyArray<LabelledTrajectory>,
  source: string,
): PreferencePair[] {
  const correct = solutions.filter((s) => s.isCorrect === true).map((s) => s.trajectory);
  const wrong = solutions.filter((s) => s.isCorrect === false).map((s) => s.trajectory);
  const pairs: PreferencePair[] = [];
  for (const chosen of correct) {
    for (const rejected of wrong)
      pairs.push(makePair({ question, taskId, chosen, rejected, source }));
  }
  return pairs;
}

function makePair(options: {
  question: string;
  taskId: string;
  chosen: Trajectory;
  rejected: Trajectory;
  source: string;
}): PreferencePair {
  return validate(preferencePairSchema, {
    id: contentId('pair', { c: options.chosen.id, r: options.rejected.id }),
    taskId: options.taskId,
    question: options.question,
    chosen: options.chosen,
    rejected: options.rejected,
    source: options.source,
  });
}

/**
 * Preference pairs from GSM8K model-solution records (`model-solutions.dev.jsonl` lines): every
 * correct solution of a problem over every incorrect one of the same problem.
 */
export function gsm8kCorrectnessPairs(records: Iterable<unknown>): PreferencePair[] {
  const pairs: PreferencePair[] = [];
  for (const raw of records) {
    const { task, solutions } = gsm8kModelSolutionTrajectories(raw);
    pairs.push(...correctnessPairs(task.question, task.id, solutions, 'correctness'));
  }
  return pairs;
}

/**
 * Preference pairs from ToRA output records (markdown TIR): per problem, a correct solution over
 * a wrong one, where the models disagree.
 */
export function toraCorrectnessPairs(records: Iterable<unknown>): PreferencePair[] {
  const byTask = new Map<string, { question: string; solutions: LabelledTrajectory[] }>();
  for (const raw of records) {
    const { task, ...labelled } = toraTrajectory(raw);
    const entry = byTask.get(task.id) ?? { question: task.question, solutions: [] };
    entry.solutions.push(labelled);
    byTask.set(task.id, entry);
  }
  const pairs: PreferencePair[] = [];
  for (const [taskId, { question, solutions }] of byTask)
    pairs.push(...correctnessPairs(question, taskId, solutions, 'correctness-tir'));
  return pairs;
}

/**
 * Split pairs into disjoint groups of whole tasks (problems), by seeded shuffle of the task ids:
 * `fractions` [0.7, 0.15, 0.15] gives train / held-out / unseen with no problem in two groups.
 */
export function splitPairsByTask(
  pairs: ReadonlyArray<PreferencePair>,
  options: { fractions: ReadonlyArray<number>; seed?: number },
): PreferencePair[][] {
  const tasks = [...new Set(pairs.map((p) => p.taskId))].sort();
  shuffleInPlace(tasks, createRng(options.seed ?? REWARD_MODEL_TRAINING_DEFAULTS.seed));
  const total = options.fractions.reduce((a, b) => a + b, 0);
  const groupOf = new Map<string, number>();
  let cumulative = 0;
  let t = 0;
  options.fractions.forEach((fraction, g) => {
    cumulative += fraction;
    const end =
      g === options.fractions.length - 1
        ? tasks.length
        : Math.round((cumulative / total) * tasks.length);
    for (; t < end; t++) groupOf.set(tasks[t]!, g);
  });
  const groups = options.fractions.map(() => [] as PreferencePair[]);
  for (const pair of pairs) groups[groupOf.get(pair.taskId)!]!.push(pair);
  return groups;
}
