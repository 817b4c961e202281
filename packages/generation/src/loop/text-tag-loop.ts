import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { Step, TextCodec, ToolRunOutput, ToolRuntime } from '@autotraj/trajectory';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { toolInputFromTagContent } from '@autotraj/trajectory/internal';
import { continueAssistant } from './continue-assistant.js';
import type { GenerateTrajectoryOptions, ToolResultsByCall } from './types.js';
import { addUsage, type UsageTotals } from './usage.js';

export interface TextTagLoopResult {
  text: string;
  results: ToolResultsByCall;
  usage: UsageTotals;
  modelCalls: number;
  modelMs: number;
  toolMs: number;
  finishReason: string;
}

/** Index of the last tool tag opened in `text` that has no `<result>` yet, with its tag name. */
function pendingCall(
  text: string,
  tags: ReadonlyArray<string>,
): { tag: string; contentStart: number } | null {
  let best: { tag: string; contentStart: number; at: number } | null = null;
  for (const tag of tags) {
    const at = text.lastIndexOf(`<${tag}>`);
    if (at >= 0 && (best === null || at > best.at))
      best = { tag, contentStart: at + tag.length + 2, at };
  }
  if (best === null || text.indexOf('<result>', best.at) >= 0) return null;
  return { tag: best.tag, contentStart: best.contentStart };
}

/**
 * The text-tag TIR loop: generation stops at a closing tool tag (stop sequence), the tool
 * runs, `<result>...</result>` is appended to the assistant text, and generation continues
 * from there (the partial assistant message is sent as the last message, i.e. a prefill),
 * until `</answer>`, the end of the completion, or the tool budget.
 */
export async function runTextTagLoop(options: {
  model: LanguageModelV4;
  generation: GenerateTrajectoryOptions;
  /** The system turn, if the prompt has one. */
  instructions: string | undefined;
  prompt: string;
  codec: TextCodec;
  toolsByName: ReadonlyMap<string, ToolRuntime>;
  toolTags: Readonly<Record<string, string>>;
  sessionId: string;
  prefixText: string;
  prefixCalls: number;
  results: ToolResultsByCall;
}): Promise<TextTagLoopResult> {
  const { generation } = options;
  const maxToolCalls = generation.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls;
  const tags = Object.entries(options.toolTags)
    .filter(([, tool]) => options.toolsByName.has(tool))
    .map(([tag]) => tag);
  let text = options.prefixText;
  let calls = options.prefixCalls;
  const usage: UsageTotals = {};
  let modelCalls = 0;
  let modelMs = 0;
  let toolMs = 0;
  let finishReason = 'unknown';
  const results = options.results;

  // One completion per tool call, plus the final one; the bound stops a model that loops.
  for (let round = 0; round <= maxToolCalls + 1; round++) {
    const budgetLeft = calls < maxToolCalls;
    const stopSequences = [...(budgetLeft ? tags.map((tag) => `</${tag}>`) : []), '</answer>'];
    const response = await continueAssistant({
      model: options.model,
      generation,
      instructions: options.instructions,
      prompt: options.prompt,
      text,
      stopSequences,
    });
    modelMs += response.ms;
    modelCalls++;
    addUsage(usage, response.usage);
    finishReason = response.finishReason;
    text += response.text;

    const pending =
      budgetLeft && response.finishReason !== 'length' ? pendingCall(text, tags) : null;
    if (pending === null) {
      const open = text.lastIndexOf('<answer>');
      if (open >= 0 && text.indexOf('</answer>', open) < 0 && response.finishReason === 'stop')
        text += '</answer>';
      break;
    }
    const closeTag = `</${pending.tag}>`;
    const closeAt = text.indexOf(closeTag, pending.contentStart);
    // Providers strip the stop sequence; some keep it (and anything after it is discarded).
    const content =
      closeAt >= 0 ? text.slice(pending.contentStart, closeAt) : text.slice(pending.contentStart);
    text = `${text.slice(0, pending.contentStart)}${content}${closeTag}`;
    const toolName = options.toolTags[pending.tag]!;
    const runtime = options.toolsByName.get(toolName)!;
    const input = toolInputFromTagContent(toolName, content);
    const toolStarted = performance.now();
    let result: ToolRunOutput;
    try {
      result = await runtime.run(input, {
        sessionId: options.sessionId,
        ...(generation.signal === undefined ? {} : { signal: generation.signal }),
      });
    } catch (error) {
      // A runtime that throws is a tool error the model sees, not a lost trajectory.
      result = {
        output: `tool ${toolName} failed: ${error instanceof Error ? error.message : String(error)}`,
        isError: true,
        durationMs: performance.now() - toolStarted,
      };
    }
    toolMs += performance.now() - toolStarted;
    results.set(calls, result);
    calls++;
    text += `\n<result>${result.output}</result>\n`;
  }
  return { text, results, usage, modelCalls, modelMs, toolMs, finishReason };
}

/** Results of the tool calls in a prefix, by call index, so resumed trajectories keep them. */
export function prefixResults(prefix: ReadonlyArray<Step>): {
  results: ToolResultsByCall;
  calls: number;
} {
  const results: ToolResultsByCall = new Map();
  const index = new Map<string, number>();
  let calls = 0;
  for (const step of prefix) {
    if (step.type === 'tool-call') index.set(step.callId, calls++);
    if (step.type === 'tool-result') {
      const at = index.get(step.callId);
      if (at !== undefined) {
        results.set(at, {
          output: step.output,
          isError: step.isError,
          durationMs: step.durationMs ?? 0,
          ...(step.timedOut === undefined ? {} : { timedOut: step.timedOut }),
        });
      }
    }
  }
  return { results, calls };
}
