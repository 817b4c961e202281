import { z } from 'zod';
import { RewardRequestError } from '../errors.js';

/** Paper contract: `POST /score {"trajectory": text}`; `question` is ours (the RM was trained with it). */
export const scoreRequestSchema = z.object({
  trajectory: z.string(),
  question: z.string().optional(),
});

export const scoreBatchRequestSchema = z
  .object({
    trajectories: z.array(z.string()).min(1),
    questions: z.array(z.string()).optional(),
  })
  .refine((r) => r.questions === undefined || r.questions.length === r.trajectories.length, {
    message: 'questions must have one entry per trajectory',
    path: ['questions'],
  });

/** OpenRLHF remote reward model (`--reward.remote_url`, formerly `--remote_rm_url`). */
export const getRewardRequestSchema = z
  .object({
    query: z.array(z.string()).min(1),
    prompts: z.array(z.string()).optional(),
    labels: z.array(z.union([z.string(), z.number(), z.array(z.string())]).nullable()).optional(),
    /** Ours, optional: picks the outcome (F1 for QA sources) when labels are given. */
    data_sources: z.array(z.string()).optional(),
    /** Ours, optional: the reward preset for this request (default: the server's). */
    preset: z.enum(['paper', 'autotraj']).optional(),
  })
  .refine((r) => r.prompts === undefined || r.prompts.length === r.query.length, {
    message: 'prompts must have one entry per query',
    path: ['prompts'],
  })
  .refine((r) => r.labels === undefined || r.labels.length === r.query.length, {
    message: 'labels must have one entry per query',
    path: ['labels'],
  })
  .refine((r) => r.data_sources === undefined || r.data_sources.length === r.query.length, {
    message: 'data_sources must have one entry per query',
    path: ['data_sources'],
  });

/** verl's `compute_score(data_source, solution_str, ground_truth, extra_info)` arguments. */
export const computeScoreRequestSchema = z.object({
  data_source: z.string().default('unknown'),
  solution_str: z.string(),
  ground_truth: z
    .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
    .nullable()
    .default(null),
  extra_info: z.record(z.string(), z.unknown()).nullable().optional(),
  /** Ours, optional: the reward preset for this request (default: the server's, `paper`). */
  preset: z.enum(['paper', 'autotraj']).optional(),
});

/**
 * Ours: run one tool call for a policy whose trainer generates the text itself (TRL's
 * `rollout_func`), so the result the model reads comes from the same tool as in synthesis.
 * Calls with one `session_id` share interpreter state (one trajectory); `end_session` releases it.
 */
export const toolRequestSchema = z.object({
  tool: z.string().min(1),
  /** The text between the tool's tags (e.g. the code), or the tool's JSON input. */
  input: z.union([z.string(), z.record(z.string(), z.unknown())]),
  session_id: z.string().min(1).optional(),
});

export const toolEndRequestSchema = z.object({ session_id: z.string().min(1) });

export type ScoreRequest = z.infer<typeof scoreRequestSchema>;
export type ScoreBatchRequest = z.infer<typeof scoreBatchRequestSchema>;
export type GetRewardRequest = z.infer<typeof getRewardRequestSchema>;
export type ComputeScoreRequest = z.infer<typeof computeScoreRequestSchema>;
export type ToolRequest = z.infer<typeof toolRequestSchema>;

/** Gold answers from a label or ground truth given as text, a number or a list of either. */
export function goldAnswersOf(
  label: string | number | ReadonlyArray<string | number> | null | undefined,
): string[] {
  if (label === null || label === undefined) return [];
  return Array.isArray(label) ? label.map(String) : [String(label)];
}

/** Parse and validate a JSON body; a problem becomes a 400 with a message naming the field. */
export function parseRequest<S extends z.ZodType>(schema: S, body: string): z.infer<S> {
  if (body.trim() === '')
    throw new RewardRequestError({
      status: 400,
      message: 'empty request body; expected a JSON object',
    });
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new RewardRequestError({
      status: 400,
      message: `malformed JSON: ${(error as Error).message}`,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RewardRequestError({ status: 400, message: 'request body must be a JSON object' });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    const more = result.error.issues.length > 1 ? ` (+${result.error.issues.length - 1} more)` : '';
    throw new RewardRequestError({
      status: 400,
      message: `invalid request${path ? ` at ${path}` : ''}: ${issue.message}${more}`,
    });
  }
  return result.data;
}
