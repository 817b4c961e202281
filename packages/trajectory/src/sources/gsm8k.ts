import { z } from 'zod';
import { trajectoryFromText } from '../build-trajectory.js';
import type { ParseIssue } from '../codecs/codec.js';
import type { InputLocation } from '../errors.js';
import { taskId } from '../ids.js';
import { type Task, taskSchema } from '../schemas/task.js';
import type { Trajectory } from '../schemas/trajectory.js';
import { validate } from '../validate.js';

/** A GSM8K line: `question` and `answer` (worked solution ending in `#### x`). */
export const gsm8kProblemSchema = z.looseObject({
  question: z.string(),
  answer: z.string(),
});

const solutionSchema = z.object({ is_correct: z.boolean(), solution: z.string() });

/** A line of GSM8K model solutions: the problem plus one `{is_correct, solution}` per model. */
export const gsm8kModelSolutionsSchema = z.looseObject({
  question: z.string(),
  answer: z.string(),
  index: z.number().int().optional(),
});

export const GSM8K_SOLUTION_MODELS = [
  '6b_finetuning',
  '6b_verification',
  '175b_finetuning',
  '175b_verification',
] as const;

/** The gold answer of a GSM8K reference solution: the text after `####`, commas removed. */
export function gsm8kGoldAnswer(answer: string): string {
  const match = /####\s*(.+?)\s*$/.exec(answer.trim());
  return (match?.[1] ?? '').replaceAll(',', '');
}

export function gsm8kTask(
  record: z.infer<typeof gsm8kProblemSchema>,
  options: { dataSource?: string | undefined; index?: number | undefined } = {},
): Task {
  const dataSource = options.dataSource ?? 'gsm8k';
  return validate(taskSchema, {
    id: taskId({ question: record.question, dataSource }),
    question: record.question,
    goldAnswers: [gsm8kGoldAnswer(record.answer)],
    dataSource,
    metadata: options.index === undefined ? {} : { index: options.index },
  });
}

export interface LabelledTrajectory {
  trajectory: Trajectory;
  /** The label the data set ships (`is_correct`), when it has one. */
  isCorrect: boolean | null;
  issues: ParseIssue[];
}

/** The reference solution of a GSM8K problem as a trajectory (calculator calls and all). */
export function gsm8kReferenceTrajectory(
  record: z.infer<typeof gsm8kProblemSchema>,
  task: Task = gsm8kTask(record),
): LabelledTrajectory {
  const { trajectory, issues } = trajectoryFromText(record.answer, {
    format: 'gsm8k-calculator',
    taskId: task.id,
    question: record.question,
    provenance: { model: 'gsm8k-reference', origin: 'reference' },
  });
  return { trajectory, isCorrect: true, issues };
}

/** Every model solution of a GSM8K model-solutions line as a labelled trajectory. */
export function gsm8kModelSolutionTrajectories(
  raw: unknown,
  options: { location?: InputLocation | undefined } = {},
): { task: Task; solutions: LabelledTrajectory[] } {
  const location = options.location ?? {};
  const record = validate(gsm8kModelSolutionsSchema, raw, {
    what: 'GSM8K model-solutions record',
    location,
  });
  const task = gsm8kTask(record, record.index === undefined ? {} : { index: record.index });
  const solutions: LabelledTrajectory[] = [];
  for (const model of GSM8K_SOLUTION_MODELS) {
    const entry = record[model];
    if (entry === undefined) continue;
    const solution = validate(solutionSchema, entry, {
      what: 'solution',
      location: { ...location, path: model },
    });
    const { trajectory, issues } = trajectoryFromText(solution.solution, {
      format: 'gsm8k-calculator',
      taskId: task.id,
      question: record.question,
      provenance: { model, origin: 'imported' },
      // The data set's label travels with the trajectory through conversions.
      metadata: { isCorrect: solution.is_correct },
    });
    solutions.push({ trajectory, isCorrect: solution.is_correct, issues });
  }
  return { task, solutions };
}
