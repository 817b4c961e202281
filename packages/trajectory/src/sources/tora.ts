import { z } from 'zod';
import { trajectoryFromText } from '../build-trajectory.js';
import type { InputLocation } from '../errors.js';
import { taskId } from '../ids.js';
import { type Task, taskSchema } from '../schemas/task.js';
import { validate } from '../validate.js';
import type { LabelledTrajectory } from './gsm8k.js';

/** A ToRA output line: markdown TIR `solution` with `gt`, `pred` and `is_correct`. */
export const toraRecordSchema = z.looseObject({
  idx: z.number().int(),
  question: z.string(),
  gt: z.union([z.string(), z.number()]).transform(String),
  model: z.string(),
  solution: z.string(),
  pred: z.union([z.string(), z.number(), z.null()]).optional(),
  is_correct: z.boolean(),
});

/** A ToRA solution as a labelled trajectory and its task (same task id as the GSM8K loaders). */
export function toraTrajectory(
  raw: unknown,
  options: { dataSource?: string | undefined; location?: InputLocation | undefined } = {},
): LabelledTrajectory & { task: Task } {
  const record = validate(toraRecordSchema, raw, {
    what: 'ToRA record',
    location: options.location ?? {},
  });
  const dataSource = options.dataSource ?? 'gsm8k';
  const task = validate(taskSchema, {
    id: taskId({ question: record.question, dataSource }),
    question: record.question,
    goldAnswers: [record.gt],
    dataSource,
    metadata: { index: record.idx },
  });
  const { trajectory, issues } = trajectoryFromText(record.solution, {
    format: 'markdown-tir',
    taskId: task.id,
    question: record.question,
    provenance: { model: record.model, origin: 'imported' },
    metadata: {
      isCorrect: record.is_correct,
      pred: record.pred === undefined || record.pred === null ? null : String(record.pred),
    },
  });
  return { task, trajectory, isCorrect: record.is_correct, issues };
}
