import { type CalculatorResult, calculate, calculatorResultMatches } from '@autotraj/tools';
import type { Step, Trajectory } from '@autotraj/trajectory';
import { toolInputText } from '@autotraj/trajectory/internal';
import { parsePlainNumber } from '../verify/numbers.js';
import { fabricatedOutputDiagnostics } from './fabricated-output.js';
import type { Diagnostic, DimensionResult } from './types.js';

export interface ConsistencyOptions {
  /** Re-run every recorded calculator call and compare its result. Default true. */
  reexecuteCalculator?: boolean;
  /** Check that a numeric final answer appears in the last tool result or the text after it. Default true. */
  answerSupport?: boolean;
  /**
   * Re-execution results by expression, shared across calls (candidates for the same query
   * repeat expressions). The evaluator passes one per instance; pass your own to share more.
   */
  calculatorCache?: Map<string, CalculatorResult>;
}

const CALCULATOR_CACHE_LIMIT = 50_000;

function calculateCached(
  expression: string,
  cache: Map<string, CalculatorResult> | undefined,
): CalculatorResult {
  if (cache === undefined) return calculate(expression);
  let result = cache.get(expression);
  if (result === undefined) {
    result = calculate(expression);
    if (cache.size >= CALCULATOR_CACHE_LIMIT) cache.clear();
    cache.set(expression, result);
  }
  return result;
}

function finalAnswerText(trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>): string | null {
  if (trajectory.finalAnswer !== null) return trajectory.finalAnswer;
  for (let i = trajectory.steps.length - 1; i >= 0; i--) {
    const step = trajectory.steps[i]!;
    if (step.type === 'answer') return step.answer ?? step.text;
  }
  return null;
}

function numbersIn(text: string): number[] {
  return (text.match(/-?\d[\d,]*(?:\.\d+)?/g) ?? [])
    .map((token) => Number(token.replaceAll(',', '')))
    .filter(Number.isFinite);
}

/**
 * `\\boxed{x}` -> `x`, else the answer as it is. The prefix test first: the anchored replace
 * cannot match without it, and it ran on every candidate's answer (few are boxed).
 */
function unboxed(answer: string): string {
  return answer.startsWith('\\boxed{') ? answer.replace(/^\\boxed\{(.*)\}$/, '$1') : answer;
}

/** Is the answer value among the numbers of the last tool result or of the model text after it? */
function answerSupported(steps: ReadonlyArray<Step>, answer: number): boolean | null {
  let last = -1;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i]!.type === 'tool-result') {
      last = i;
      break;
    }
  }
  if (last < 0) return null;
  const lastResult = steps[last] as Extract<Step, { type: 'tool-result' }>;
  let later = '';
  for (let i = last + 1; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.type === 'think') later += ` ${step.text}`;
  }
  const close = (value: number) => Math.abs(value - answer) <= 1e-6 * Math.max(1, Math.abs(answer));
  return numbersIn(lastResult.output).some(close) || numbersIn(later).some(close);
}

/** What consistency looks at: the steps, the answer, and the parse issues recorded in metadata. */
export type ConsistencyInput = Pick<Trajectory, 'steps' | 'finalAnswer'> &
  Partial<Pick<Trajectory, 'metadata'>>;

export interface ConsistencyChecks {
  checks: number;
  passed: number;
  /** Tool outputs the model wrote itself (`fabricated-tool-output` diagnostics). */
  fabricated: number;
  diagnostics: Diagnostic[];
}

/**
 * Passed checks / checks (1 when there is nothing to check), and 0 with any fabricated tool
 * output. A result the model wrote itself is not one failed check among many: no tool backs
 * it, the answer may rest on it, and training on it teaches a model to invent tool output. With
 * the `autotraj` weights (consistency 0.2) a 0 here caps quality at 0.8, below keepBest (0.86)
 * and not above acceptWrongAnswer (0.8), so such a trajectory is neither kept nor accepted as
 * a repair, while it still ranks among its group's candidates.
 */
export function consistencyScore(result: Omit<ConsistencyChecks, 'diagnostics'>): number {
  if (result.fabricated > 0) return 0;
  return result.checks === 0 ? 1 : result.passed / result.checks;
}

/**
 * Consistency: recorded tool results agree with re-execution (every GSM8K `<<expr=result>>`
 * is recomputed by the @autotraj/tools calculator), a numeric final answer is supported by
 * the last results, and no tool output is written by the model itself. See `consistencyScore`.
 */
export function consistencyDimension(
  trajectory: ConsistencyInput,
  options: ConsistencyOptions = {},
): DimensionResult {
  const result = consistencyChecks(trajectory, options);
  return { score: consistencyScore(result), diagnostics: result.diagnostics };
}

/** The checks behind `consistencyDimension`, so asynchronous ones (Python re-execution) can be added. */
export function consistencyChecks(
  trajectory: ConsistencyInput,
  options: ConsistencyOptions = {},
): ConsistencyChecks {
  const diagnostics: Diagnostic[] = [];
  let checks = 0;
  let passed = 0;
  const steps = trajectory.steps;
  if (options.reexecuteCalculator ?? true) {
    const calls = new Map<string, Extract<Step, { type: 'tool-call' }>>();
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      if (step.type === 'tool-call') {
        calls.set(step.callId, step);
        continue;
      }
      if (step.type !== 'tool-result' || step.toolName !== 'calculator' || step.isError) continue;
      const call = calls.get(step.callId);
      if (call === undefined) continue;
      const expression = toolInputText('calculator', call.input);
      const result = calculateCached(expression, options.calculatorCache);
      checks++;
      if (calculatorResultMatches(step.output, result)) {
        passed++;
      } else {
        // A valid expression with another value is a wrong recorded result; one the calculator
        // cannot evaluate (`W+28`, `50k`) is a result nobody can reproduce.
        diagnostics.push(
          result.ok
            ? {
                stepIndex: index,
                code: 'consistency/calculator-mismatch',
                message: `recorded ${expression} = ${step.output.trim()}, re-execution gives ${result.text}`,
              }
            : {
                stepIndex: index,
                code: 'consistency/calculator-unverifiable',
                message: `recorded ${expression} = ${step.output.trim()}, but the expression does not evaluate (${result.error.message})`,
              },
        );
      }
    }
  }
  if (options.answerSupport ?? true) {
    const answer = finalAnswerText(trajectory);
    const value = answer === null ? null : parsePlainNumber(unboxed(answer));
    if (value !== null) {
      const supported = answerSupported(steps, value);
      if (supported !== null) {
        checks++;
        if (supported) passed++;
        else {
          diagnostics.push({
            stepIndex: null,
            code: 'consistency/answer-unsupported',
            message: `the final answer ${answer} appears neither in the last tool result nor in the reasoning after it`,
          });
        }
      }
    }
  }
  const fabricated = fabricatedOutputDiagnostics(trajectory);
  diagnostics.push(...fabricated);
  return { checks, passed, fabricated: fabricated.length, diagnostics };
}
