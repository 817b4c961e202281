import type { Trajectory } from '../schemas/trajectory.js';

export interface IgnoredToolError {
  callId: string;
  toolName: string;
  /** The last non-empty line of what the tool returned (`NameError: name 'x' is not defined`). */
  error: string;
  message: string;
}

function lastLine(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return lines[lines.length - 1]?.trim() ?? '';
}

/**
 * Tool calls that failed with no call after them that ran: the trajectory answers from its
 * reasoning as if the tool had worked. Real Qwen2.5-Coder-1.5B records do this (code using a
 * name it never defined, `NameError`, then `\boxed{}` the answer the reasoning had); trained
 * on, they teach writing broken code and ignoring its error. A failed call followed by one that
 * ran is a recovery, not this.
 */
export function findIgnoredToolErrors(trajectory: Pick<Trajectory, 'steps'>): IgnoredToolError[] {
  const failed: IgnoredToolError[] = [];
  for (const step of trajectory.steps) {
    if (step.type !== 'tool-result') continue;
    // A call that ran makes every failure before it a recovered one.
    if (!step.isError) {
      failed.length = 0;
      continue;
    }
    const { callId, toolName } = step;
    const error = lastLine(step.output);
    failed.push({
      callId,
      toolName,
      error,
      message: `${toolName} call ${callId} failed (${error === '' ? 'an error with no message' : error}) and no call after it ran: the answer does not rest on the tool`,
    });
  }
  return failed;
}
