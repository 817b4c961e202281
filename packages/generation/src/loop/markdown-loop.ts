import type { LanguageModelV4 } from '@ai-sdk/provider';
import {
  extractLastBoxed,
  markdownTirCodec,
  RUN_DEFAULTS,
  type Step,
  type ToolRunOutput,
  type ToolRuntime,
  toolResultStep,
} from '@autotraj/trajectory';
import { continueAssistant } from './continue-assistant.js';
import type { GenerateTrajectoryOptions, ToolResultsByCall } from './types.js';
import { addUsage, type UsageTotals } from './usage.js';

export interface MarkdownLoopResult {
  text: string;
  results: ToolResultsByCall;
  usage: UsageTotals;
  modelCalls: number;
  modelMs: number;
  toolMs: number;
  finishReason: string;
}

/**
 * Where a model starts the output block it must not write. Both spellings are seen (Qwen2.5
 * writes "```output", some models "``` output"); a stop sequence cuts at either.
 */
export const MARKDOWN_STOP_SEQUENCES: ReadonlyArray<string> = ['```output', '``` output'];
// The same openers in text a provider returned with the stop sequence kept (or ignored).
const OUTPUT_OPENER = /```[ \t]*output\b/;
// A python block's opening line, as the markdown-tir codec reads it.
const PYTHON_OPENER = /```(?:python|py)[ \t]*\n/g;

interface PendingBlock {
  /** Where the code starts (after the opening line). */
  codeStart: number;
  /** Where the closing fence starts; null when the block was not closed. */
  fenceAt: number | null;
}

/**
 * The last ```python block in `text` that has no output block after it, when the model has not
 * answered after it: the model stopped to have it run (at the output stop or at the end of its
 * turn, the way ToRA runs a completion that ends in a code block). Null otherwise.
 */
function pendingPythonBlock(text: string): PendingBlock | null {
  let codeStart = -1;
  PYTHON_OPENER.lastIndex = 0;
  for (let m = PYTHON_OPENER.exec(text); m !== null; m = PYTHON_OPENER.exec(text))
    codeStart = m.index + m[0].length;
  if (codeStart < 0) return null;
  const fence = text.indexOf('```', codeStart);
  if (fence < 0) return { codeStart, fenceAt: null };
  const after = text.slice(fence + 3);
  if (OUTPUT_OPENER.test(after) || extractLastBoxed(after) !== null) return null;
  return { codeStart, fenceAt: fence };
}

/**
 * `text` with the pending block closed where the model left it (an unclosed one lost its fence
 * to the stop, as in "```python\nx = 1\n```output"), trailing whitespace dropped, and its code.
 */
function closePendingBlock(text: string, pending: PendingBlock): { text: string; code: string } {
  const head = text.slice(0, pending.codeStart);
  if (pending.fenceAt === null) {
    const code = text.slice(pending.codeStart).trimEnd();
    return { text: `${head}${code}\n\`\`\``, code };
  }
  // The codec reads a block's body without the newline before its fence.
  const code = text.slice(pending.codeStart, pending.fenceAt).replace(/\n$/, '');
  // What the model wrote between the fence and the stop ("Running it gives:") stays, as prose.
  const between = text.slice(pending.fenceAt + 3).trim();
  return {
    text: `${text.slice(0, pending.fenceAt + 3)}${between === '' ? '' : `\n${between}`}`,
    code,
  };
}

/**
 * The markdown TIR loop (Qwen2.5 / ToRA / ToRL): the model writes ```python blocks; generation
 * stops where it would open a ```output block (stop sequence), the `python` runtime runs the
 * last unexecuted block, "```output\n<out>\n```" is appended, and generation continues from
 * there (the partial assistant message as a prefill, as in the text-tag loop), until the model
 * ends without a block to run, the tool budget is spent, or a call hits the token limit.
 */
export async function runMarkdownLoop(options: {
  model: LanguageModelV4;
  generation: GenerateTrajectoryOptions;
  /** The system turn, if the prompt has one. */
  instructions: string | undefined;
  prompt: string;
  python: ToolRuntime;
  sessionId: string;
  prefixText: string;
  prefixCalls: number;
  results: ToolResultsByCall;
}): Promise<MarkdownLoopResult> {
  const { generation } = options;
  const maxToolCalls = generation.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls;
  let text = options.prefixText;
  let calls = options.prefixCalls;
  const usage: UsageTotals = {};
  let modelCalls = 0;
  let modelMs = 0;
  let toolMs = 0;
  let finishReason = 'unknown';
  const results = options.results;

  // One completion per block run, plus the final one; the bound stops a model that loops.
  for (let round = 0; round <= maxToolCalls + 1; round++) {
    // The output stop stays on when the budget is spent: a model that goes on to invent an
    // output block is cut there, so no invented output reads as a tool result.
    const completion = await continueAssistant({
      model: options.model,
      generation,
      instructions: options.instructions,
      prompt: options.prompt,
      text,
      stopSequences: [...MARKDOWN_STOP_SEQUENCES],
    });
    modelMs += completion.ms;
    modelCalls++;
    addUsage(usage, completion.usage);
    finishReason = completion.finishReason;
    let added = completion.text;
    // Providers strip the stop sequence; one that keeps it (or ignores it) wrote an output block
    // of its own: everything from its opener on is discarded, as the stop would have done.
    const opener = OUTPUT_OPENER.exec(added);
    if (opener !== null) {
      added = added.slice(0, opener.index);
      if (finishReason === 'length') finishReason = 'stop';
    }
    text += added;

    // A call cut by the token limit may hold half a program: it is not run.
    const pending = finishReason === 'length' ? null : pendingPythonBlock(text);
    if (pending === null) break;
    const closed = closePendingBlock(text, pending);
    text = closed.text;
    // Out of budget: the block stays unrun (a call without a result) and generation ends.
    if (calls >= maxToolCalls) break;
    const toolStarted = performance.now();
    let result: ToolRunOutput;
    try {
      result = await options.python.run(
        { code: closed.code },
        {
          sessionId: options.sessionId,
          ...(generation.signal === undefined ? {} : { signal: generation.signal }),
        },
      );
    } catch (error) {
      // A runtime that throws is a tool error the model sees, not a lost trajectory.
      result = {
        output: `tool python failed: ${error instanceof Error ? error.message : String(error)}`,
        isError: true,
        durationMs: performance.now() - toolStarted,
      };
    }
    toolMs += performance.now() - toolStarted;
    results.set(calls, result);
    calls++;
    text += `\n\`\`\`output\n${result.output}\n\`\`\`\n`;
  }
  return { text, results, usage, modelCalls, modelMs, toolMs, finishReason };
}

/**
 * The steps of a markdown loop's text (the markdown-tir codec): each python block a `tool-call`,
 * each output block a `tool-result` holding what the runtime really returned (its error flag
 * and timing included), the prose after the last block the answer step with its \boxed{}.
 */
export function markdownSteps(
  text: string,
  results: ToolResultsByCall,
): { steps: Step[]; issues: Array<{ code: string; message: string }> } {
  const parsed = markdownTirCodec.parse(text);
  let callIndex = 0;
  const callIndexById = new Map<string, number>();
  const steps = parsed.steps.map((step) => {
    if (step.type === 'tool-call') callIndexById.set(step.callId, callIndex++);
    if (step.type !== 'tool-result') return step;
    const result = results.get(callIndexById.get(step.callId) ?? -1);
    return result === undefined
      ? step
      : toolResultStep({ callId: step.callId, toolName: step.toolName, result });
  });
  return { steps, issues: parsed.issues.map(({ code, message }) => ({ code, message })) };
}
