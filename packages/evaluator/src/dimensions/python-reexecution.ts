import type { PythonExecutor } from '@autotraj/tools';
import { formatPythonOutput } from '@autotraj/tools/internal';
import type { Step, Trajectory } from '@autotraj/trajectory';
import { toolInputText } from '@autotraj/trajectory/internal';
import type { Diagnostic } from './types.js';

export interface PythonReexecutionOptions {
  executor: PythonExecutor;
  /** Per-cell timeout. Default 10 s. */
  timeoutMs?: number;
}

export interface ReexecutionOutcome {
  checks: number;
  passed: number;
  diagnostics: Diagnostic[];
}

let sessions = 0;

/** Whitespace-insensitive, and numbers equal to 1e-6 relative (float printing differs across Pythons). */
export function pythonOutputsAgree(recorded: string, rerun: string): boolean {
  const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
  const a = normalize(recorded);
  const b = normalize(rerun);
  if (a === b) return true;
  const tokens = (text: string) => text.split(/([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)/);
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.length !== tb.length) return false;
  return ta.every((part, index) => {
    const other = tb[index]!;
    if (index % 2 === 0) return part === other;
    const x = Number(part);
    const y = Number(other);
    return Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
  });
}

/**
 * Re-run every Python call of a trajectory in one session (cells share state, as when the
 * trajectory was generated) and compare each recorded output with the new one.
 */
export async function reexecutePython(
  trajectory: Pick<Trajectory, 'steps'>,
  options: PythonReexecutionOptions,
): Promise<ReexecutionOutcome> {
  const outcome: ReexecutionOutcome = { checks: 0, passed: 0, diagnostics: [] };
  const sessionId = `evaluator-consistency-${process.pid}-${sessions++}`;
  const calls = new Map<string, Extract<Step, { type: 'tool-call' }>>();
  try {
    for (const [index, step] of trajectory.steps.entries()) {
      if (step.type === 'tool-call' && step.toolName === 'python') {
        calls.set(step.callId, step);
        continue;
      }
      if (step.type !== 'tool-result' || step.toolName !== 'python' || step.timedOut) continue;
      const call = calls.get(step.callId);
      if (call === undefined) continue;
      const result = await options.executor.run(toolInputText('python', call.input), {
        sessionId,
        timeoutMs: options.timeoutMs ?? 10_000,
      });
      const rerun = result.timedOut ? '(timed out)' : formatPythonOutput(result);
      outcome.checks++;
      if (!result.timedOut && pythonOutputsAgree(step.output, rerun)) {
        outcome.passed++;
      } else {
        outcome.diagnostics.push({
          stepIndex: index,
          code: 'consistency/python-mismatch',
          message: `recorded output ${JSON.stringify(step.output.slice(0, 80))}, re-execution gives ${JSON.stringify(rerun.slice(0, 80))}`,
        });
      }
    }
  } finally {
    await options.executor.endSession(sessionId).catch(() => undefined);
  }
  return outcome;
}
