import type { Step, Task, Trajectory } from '@autotraj/trajectory';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import type { Diagnostic, DimensionResult } from './types.js';

export interface ToolValidityOptions {
  /** Calls beyond this many are over budget. Default 3 (the paper's limit). */
  maxToolCalls?: number | undefined;
  /**
   * The task needed a tool: a trajectory without a call scores 0 (`tool/no-call`). Default
   * false here; `createEvaluator` decides per trajectory with `toolsOffered` unless this is set.
   */
  requireCall?: boolean | undefined;
}

/** A `tools` metadata entry: the names offered, or undefined when there is no list. */
function toolList(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/**
 * Whether a trajectory's task needed a tool, from what the evaluator sees: the tools the
 * trajectory or its task lists (`metadata.tools`; an empty list: no tool), else whether an
 * AutoTraj TIR loop generated it (`metadata.protocol`, set by `generateTrajectory`, which runs
 * with the run's tools and prompts the model to use them). Imported data sets, which carry
 * neither, are not held to it.
 */
export function toolsOffered(
  task: Pick<Task, 'metadata'>,
  trajectory: Pick<Trajectory, 'metadata'>,
): boolean {
  const listed = toolList(trajectory.metadata.tools) ?? toolList(task.metadata.tools);
  if (listed !== undefined) return listed.length > 0;
  return typeof trajectory.metadata.protocol === 'string';
}

/** Values a later step could reuse from a tool output: numbers and longer words. */
function salientTokens(output: string): string[] {
  const numbers = output.match(/-?\d+(?:\.\d+)?/g) ?? [];
  const tokens = numbers.map((n) => n.replace(/^-/, '').replace(/\.0+$/, ''));
  if (tokens.length > 0) return tokens.slice(-8);
  return (output.toLowerCase().match(/[a-z]{4,}/g) ?? []).slice(0, 20);
}

/**
 * What each step gives a later step to reuse: its text (reasoning, answer), its input as JSON
 * (a call), else null. Built once a trajectory: the text after each result was concatenated
 * (and every later input stringified) anew for every result.
 */
function modelTexts(steps: ReadonlyArray<Step>): Array<string | null> {
  const texts = new Array<string | null>(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    texts[i] =
      step.type === 'think' || step.type === 'answer'
        ? step.text
        : step.type === 'tool-call'
          ? JSON.stringify(step.input)
          : null;
  }
  return texts;
}

/**
 * Whether a token occurs in the model text after step `from`: in one of the texts, as in their
 * space-joined concatenation, since no token holds a space (digits and dots, or letters).
 */
function usedLater(
  tokens: ReadonlyArray<string>,
  texts: ReadonlyArray<string | null>,
  from: number,
): boolean {
  for (const token of tokens)
    for (let i = from; i < texts.length; i++) if (texts[i]?.includes(token)) return true;
  return false;
}

/**
 * Tool validity: each call should get a result that is not an error or a timeout, stay within
 * the call budget, and have its result used by a later step. Score = 1 - problems / calls;
 * without calls 1, or 0 when `requireCall`.
 */
export function toolValidityDimension(
  trajectory: Pick<Trajectory, 'steps'>,
  options: ToolValidityOptions = {},
): DimensionResult {
  const maxToolCalls = options.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls;
  const diagnostics: Diagnostic[] = [];
  const steps = trajectory.steps;
  const answered = new Set<string>();
  for (const step of steps) if (step.type === 'tool-result') answered.add(step.callId);
  let calls = 0;
  let problems = 0;
  let texts: Array<string | null> | undefined;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (step.type === 'tool-call') {
      calls++;
      if (calls === maxToolCalls + 1) {
        diagnostics.push({
          stepIndex: index,
          code: 'tool/over-budget',
          message: `call ${calls} exceeds the budget of ${maxToolCalls}`,
        });
      }
      if (calls > maxToolCalls) problems++;
      if (!answered.has(step.callId)) {
        problems++;
        diagnostics.push({
          stepIndex: index,
          code: 'tool/no-result',
          message: `${step.toolName} call ${step.callId} has no result`,
        });
      }
      continue;
    }
    if (step.type !== 'tool-result') continue;
    if (step.timedOut) {
      problems++;
      diagnostics.push({
        stepIndex: index,
        code: 'tool/timeout',
        message: `${step.toolName} timed out`,
      });
    } else if (step.isError) {
      problems++;
      diagnostics.push({
        stepIndex: index,
        code: 'tool/error',
        message: `${step.toolName} returned an error: ${step.output.slice(0, 120)}`,
      });
    } else {
      const tokens = salientTokens(step.output);
      if (tokens.length > 0) {
        texts ??= modelTexts(steps);
        if (!usedLater(tokens, texts, index + 1)) {
          problems += 0.5;
          diagnostics.push({
            stepIndex: index,
            code: 'tool/unused-result',
            message: `the ${step.toolName} result is never used afterwards`,
          });
        }
      }
    }
  }
  if (calls === 0 && options.requireCall === true) {
    // Answering a tool task without a tool is what TIR data must not teach; a made-up result
    // in the text is the usual way such trajectories look right.
    diagnostics.push({
      stepIndex: null,
      code: 'tool/no-call',
      message: 'the task offered tools and the trajectory made no tool call',
    });
    return { score: 0, diagnostics };
  }
  const score = calls === 0 ? 1 : Math.max(0, 1 - problems / calls);
  return { score, diagnostics };
}
