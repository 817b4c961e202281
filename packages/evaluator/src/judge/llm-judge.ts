import type { Task, Trajectory } from '@autotraj/trajectory';
import { trajectoryToText } from '@autotraj/trajectory';
import { generateText, type LanguageModel, Output } from 'ai';
import { z } from 'zod';
import type { DimensionResult } from '../dimensions/types.js';
import { createJudgeCache, type JudgeCache, judgeCacheKey } from './cache.js';

/** The rubric the judge answers: each criterion scored 1-5 with a short reason. */
export const judgeVerdictSchema = z.object({
  reasoningQuality: z
    .number()
    .int()
    .min(1)
    .max(5)
    .describe('Is each reasoning step valid and relevant?'),
  toolUse: z
    .number()
    .int()
    .min(1)
    .max(5)
    .describe('Are tools used when useful, with results read correctly?'),
  clarity: z.number().int().min(1).max(5).describe('Is the trajectory concise and easy to follow?'),
  issues: z
    .array(z.object({ stepIndex: z.number().int().nullable(), message: z.string() }))
    .max(10),
});

export type JudgeVerdict = z.infer<typeof judgeVerdictSchema>;

export const DEFAULT_JUDGE_INSTRUCTIONS = [
  'You grade tool-integrated reasoning trajectories for training data quality.',
  'Score each criterion from 1 (poor) to 5 (excellent). List concrete issues with the step index they refer to (steps are numbered from 0), or null.',
  'Do not judge whether the final answer is correct; that is checked separately.',
].join(' ');

export interface LlmJudgeOptions {
  model: LanguageModel;
  instructions?: string;
  /** Defaults to an in-memory cache; pass `createJudgeCache({ file })` to persist verdicts. */
  cache?: JudgeCache;
  temperature?: number;
}

export interface LlmJudge {
  judge(input: {
    task: Task;
    trajectory: Trajectory;
  }): Promise<DimensionResult & { verdict: JudgeVerdict; cached: boolean }>;
  readonly cache: JudgeCache;
}

function renderSteps(trajectory: Trajectory): string {
  return trajectory.steps
    .map((step, index) => {
      const body =
        step.type === 'tool-call'
          ? JSON.stringify(step.input)
          : step.type === 'tool-result'
            ? step.output
            : step.text;
      return `[${index}] ${step.type}${'toolName' in step ? ` (${step.toolName})` : ''}: ${body}`;
    })
    .join('\n');
}

/**
 * An optional LLM judge: a rubric answered as structured output (`generateText` with
 * `Output.object`), scored as the mean criterion mapped to [0, 1], cached by request hash.
 */
export function createLlmJudge(options: LlmJudgeOptions): LlmJudge {
  const cache = options.cache ?? createJudgeCache();
  const instructions = options.instructions ?? DEFAULT_JUDGE_INSTRUCTIONS;
  const modelId =
    typeof options.model === 'string'
      ? options.model
      : `${options.model.provider}:${options.model.modelId}`;
  return {
    cache,
    async judge({ task, trajectory }) {
      const prompt = `Question:\n${task.question}\n\nTrajectory steps:\n${renderSteps(trajectory)}\n\nRendered:\n${trajectoryToText(trajectory, 'tags')}`;
      const key = judgeCacheKey({
        modelId,
        instructions,
        prompt,
        temperature: options.temperature ?? 0,
      });
      let verdict = cache.get(key) as JudgeVerdict | undefined;
      const cached = verdict !== undefined;
      if (verdict === undefined) {
        const result = await generateText({
          model: options.model,
          instructions,
          prompt,
          temperature: options.temperature ?? 0,
          output: Output.object({ schema: judgeVerdictSchema }),
        });
        verdict = judgeVerdictSchema.parse(result.output);
        cache.set(key, verdict);
      }
      const mean = (verdict.reasoningQuality + verdict.toolUse + verdict.clarity) / 3;
      return {
        score: (mean - 1) / 4,
        diagnostics: verdict.issues.map((issue) => ({
          stepIndex: issue.stepIndex,
          code: 'judge/issue',
          message: issue.message,
        })),
        verdict,
        cached,
      };
    },
  };
}
