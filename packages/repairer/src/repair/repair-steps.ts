import {
  type AiSdkMessage,
  type AiSdkStepLike,
  type JsonValue,
  parseAiSdkMessages,
  parseAiSdkSteps,
  renderAiSdkMessages,
  type Task,
  type ToolRuntime,
  trajectoryFromSteps,
} from '@autotraj/trajectory';
import type { ModelMessage, ToolSet } from 'ai';
import { RepairerConfigError } from '../errors.js';
import type { Repairer, RepairResult } from './repairer.js';

/**
 * A `ToolRuntime` over an `ai` SDK tool with `execute`, so an agent's own tools can run in
 * repairs. A thrown error becomes a tool error, as in the `ai` SDK.
 */
export function runtimeFromAiTool(name: string, aiTool: ToolSet[string]): ToolRuntime {
  const execute = (aiTool as { execute?: (input: unknown, options: unknown) => unknown }).execute;
  if (typeof execute !== 'function')
    throw new RepairerConfigError({
      message: `tool "${name}" has no execute function; repairs need to run it`,
    });
  let calls = 0;
  return {
    name,
    async run(input, context) {
      const started = performance.now();
      try {
        const value = await execute(input, {
          toolCallId: `repair_${++calls}`,
          messages: [],
          ...(context?.signal ? { abortSignal: context.signal } : {}),
        });
        return {
          output: typeof value === 'string' ? value : JSON.stringify(value ?? null),
          isError: false,
          durationMs: performance.now() - started,
        };
      } catch (error) {
        return {
          output: error instanceof Error ? error.message : String(error),
          isError: true,
          durationMs: performance.now() - started,
        };
      }
    },
  };
}

/** `ToolRuntime`s for every tool of an `ai` SDK tool set. */
export function runtimesFromAiTools(tools: ToolSet): ToolRuntime[] {
  return Object.entries(tools).map(([name, aiTool]) => runtimeFromAiTool(name, aiTool));
}

export interface RepairStepsInput {
  repairer: Repairer;
  /** The task: question and gold answer(s) the evaluator checks against. */
  task: Task;
  /** `[...prompt, ...result.responseMessages]` of the run, or ... */
  messages?: ReadonlyArray<ModelMessage | AiSdkMessage>;
  /** ... `result.steps` of the run. */
  steps?: ReadonlyArray<AiSdkStepLike>;
  signal?: AbortSignal;
}

export interface RepairStepsResult extends RepairResult {
  /** The repaired conversation as `ai` SDK messages (system + user prompt included); null for hard cases without a repair. */
  messages: ModelMessage[] | null;
}

/**
 * Repair an `ai` SDK `generateText` run with tools: its steps or messages become a
 * trajectory, the repairer evaluates, repairs and re-evaluates it, and the repaired run comes
 * back as messages you can continue the conversation with or train on.
 */
export async function repairSteps(input: RepairStepsInput): Promise<RepairStepsResult> {
  if ((input.messages === undefined) === (input.steps === undefined)) {
    throw new RepairerConfigError({
      message: 'repairSteps needs exactly one of `messages` or `steps`',
    });
  }
  const parsed =
    // Exactly one is set (checked above).
    input.steps !== undefined
      ? parseAiSdkSteps(input.steps)
      : parseAiSdkMessages(input.messages ?? []);
  const trajectory = trajectoryFromSteps(parsed, {
    taskId: input.task.id,
    question: input.task.question,
    provenance: { origin: 'sampled', format: 'ai-sdk' },
    metadata: {
      issues: parsed.issues.map(({ code, message }) => ({ code, message })) as JsonValue,
    },
  });
  const result = await input.repairer.repair({
    task: input.task,
    trajectory,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const instruction =
    'instruction' in parsed && typeof parsed.instruction === 'string'
      ? parsed.instruction
      : undefined;
  const messages =
    result.status === 'accepted' && result.repaired !== null
      ? renderAiSdkMessages(result.repaired.steps, {
          question: input.task.question,
          ...(instruction === undefined ? {} : { instruction }),
        })
      : null;
  return { ...result, messages };
}
