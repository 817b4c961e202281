import type { LanguageModelV4 } from '@ai-sdk/provider';
import {
  type JsonValue,
  type ParseIssue,
  parseAiSdkSteps,
  RUN_DEFAULTS,
  renderAiSdkMessages,
  type Step,
  type ToolRunOutput,
  type ToolRuntime,
} from '@autotraj/trajectory';
import { builtinToolSpec, findTextFormToolCallsUnchecked } from '@autotraj/trajectory/internal';
import { generateText, isStepCount, type ModelMessage, type ToolSet, tool } from 'ai';
import { z } from 'zod';
import { callSettings } from './call-settings.js';
import type { GenerateTrajectoryOptions } from './types.js';
import { addUsage, type UsageTotals } from './usage.js';

/** Raised inside a tool's execute so the `ai` SDK records a tool error with the tool's own message. */
class ToolFailed extends Error {
  override readonly name = 'ToolFailed';
}

/** `ai` SDK tools that execute through `ToolRuntime`s, recording each result by call id. */
export function aiToolsFromRuntimes(
  runtimes: ReadonlyArray<ToolRuntime>,
  options: { sessionId: string; results?: Map<string, ToolRunOutput> },
): ToolSet {
  const tools: ToolSet = {};
  for (const runtime of runtimes) {
    const spec = builtinToolSpec(runtime.name);
    const inputSchema: z.ZodType<Record<string, JsonValue>> = (spec?.inputSchema ??
      z.object({ input: z.string() })) as z.ZodType<Record<string, JsonValue>>;
    tools[runtime.name] = tool({
      description: spec?.description ?? `Call the ${runtime.name} tool.`,
      inputSchema,
      execute: async (input, { toolCallId, abortSignal }) => {
        const started = performance.now();
        let result: ToolRunOutput;
        try {
          result = await runtime.run(input as JsonValue, {
            sessionId: options.sessionId,
            ...(abortSignal === undefined ? {} : { signal: abortSignal }),
          });
        } catch (error) {
          result = {
            output: `tool ${runtime.name} failed: ${error instanceof Error ? error.message : String(error)}`,
            isError: true,
            durationMs: performance.now() - started,
          };
        }
        options.results?.set(toolCallId, result);
        if (result.isError) throw new ToolFailed(result.output);
        return result.output;
      },
    });
  }
  return tools;
}

export interface NativeLoopResult {
  steps: Step[];
  issues: ParseIssue[];
  usage: UsageTotals;
  modelCalls: number;
  modelMs: number;
  toolMs: number;
  finishReason: string;
}

/**
 * Calls the model wrote as text (a ```python block, JSON, `<tool_call>`) in this run's own
 * steps: offered native tools, nothing executes them, so any result it states is invented.
 */
function textFormCalls(
  steps: ReadonlyArray<Step>,
  prefixLength: number,
  runtimes: ReadonlyArray<ToolRuntime>,
): ParseIssue[] {
  return findTextFormToolCallsUnchecked(steps, { tools: runtimes.map((runtime) => runtime.name) })
    .filter((finding) => finding.stepIndex !== null && finding.stepIndex >= prefixLength)
    .map(({ code, message, excerpt }) => ({ code, message, excerpt }));
}

/** Native tool calling: `generateText` with tools and a step limit; tools run through the runtimes. */
export async function runNativeLoop(options: {
  model: LanguageModelV4;
  generation: GenerateTrajectoryOptions;
  /** The system turn, if the prompt has one. */
  instructions: string | undefined;
  prompt: string;
  runtimes: ReadonlyArray<ToolRuntime>;
  sessionId: string;
}): Promise<NativeLoopResult> {
  const { generation } = options;
  const maxToolCalls = generation.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls;
  const results = new Map<string, ToolRunOutput>();
  const tools = aiToolsFromRuntimes(options.runtimes, { sessionId: options.sessionId, results });
  const prefix = generation.prefix ?? [];
  const messages: ModelMessage[] = [
    { role: 'user', content: options.prompt },
    ...renderAiSdkMessages(prefix),
  ];
  const prefixCalls = prefix.filter((step) => step.type === 'tool-call').length;
  const started = performance.now();
  const response = await generateText({
    model: options.model,
    ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
    messages,
    tools,
    maxRetries: 0,
    stopWhen: isStepCount(maxToolCalls + 1),
    // Once the budget is spent the model must answer without tools.
    prepareStep: ({ steps }) => {
      const used = prefixCalls + steps.reduce((n, step) => n + step.toolCalls.length, 0);
      return used >= maxToolCalls ? { toolChoice: 'none' as const } : undefined;
    },
    ...callSettings(generation),
  });
  const elapsed = performance.now() - started;
  const parsed = parseAiSdkSteps(response.steps);
  let toolMs = 0;
  const steps: Step[] = [...prefix, ...parsed.steps].map((step) => {
    if (step.type !== 'tool-result') return step;
    const result = results.get(step.callId);
    if (result === undefined) return step;
    toolMs += result.durationMs;
    return {
      ...step,
      output: result.output,
      isError: result.isError,
      durationMs: result.durationMs,
      ...(result.timedOut === undefined ? {} : { timedOut: result.timedOut }),
    };
  });
  const usage: UsageTotals = {};
  addUsage(usage, response.totalUsage);
  return {
    steps,
    issues: [...parsed.issues, ...textFormCalls(steps, prefix.length, options.runtimes)],
    usage,
    modelCalls: response.steps.length,
    modelMs: Math.max(0, elapsed - toolMs),
    toolMs,
    finishReason: response.finishReason,
  };
}
