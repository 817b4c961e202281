import { z } from 'zod';
import { metadataSchema } from './json-value.js';

/** One problem to solve: the question and its gold answer(s). */
export const taskSchema = z.object({
  id: z.string().min(1),
  question: z.string(),
  /** Accepted answers; several for QA data sets with aliases. May be empty for unlabelled prompts. */
  goldAnswers: z.array(z.string()).default([]),
  /** Where the task came from, e.g. `gsm8k`, `math`, `hotpotqa` (verl's `data_source`). */
  dataSource: z.string().default('unknown'),
  metadata: metadataSchema.default({}),
});

export type Task = z.infer<typeof taskSchema>;
export type TaskInput = z.input<typeof taskSchema>;
