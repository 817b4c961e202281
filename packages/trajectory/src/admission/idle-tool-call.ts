import type { Trajectory } from '../schemas/trajectory.js';

export interface IdleToolCall {
  callId: string;
  toolName: string;
  message: string;
}

// Python that only binds numbers it was given and prints them back (`J = 4` / `print(J)`):
// every line must be one of these, or blank, or a comment. Anything else (an operator, a call
// other than print, an import, an f-string) counts as work, so the rule refuses only the plain
// echo and never a call that computes. Printing a name this code did not bind reads what an
// earlier call computed in the persistent session: not an echo either.
const NUMBER = String.raw`[-+]?\d[\d_]*(?:\.\d+)?`;
const BIND_NUMBER = new RegExp(String.raw`^([A-Za-z_]\w*)\s*=\s*${NUMBER}$`);
const PRINT_ATOM = new RegExp(
  String.raw`^print\(\s*(?:([A-Za-z_]\w*)|${NUMBER}|"[^"\\]*"|'[^'\\]*')\s*\)$`,
);
// A calculator expression that is a number, perhaps in parentheses.
const BARE_NUMBER = new RegExp(String.raw`^\(*\s*${NUMBER}\s*\)*$`);

function withoutComment(line: string): string {
  // A `#` after code is a comment only where no string could hold it.
  return /["']/.test(line) ? line : line.replace(/#.*$/, '');
}

/** Whether Python code only binds number literals and prints them or literals back. */
export function pythonComputesNothing(code: string): boolean {
  const bound = new Set<string>();
  let prints = 0;
  for (const raw of code.split('\n')) {
    const line = withoutComment(raw).trim();
    if (line === '') continue;
    const bind = BIND_NUMBER.exec(line);
    if (bind) {
      bound.add(bind[1]!);
      continue;
    }
    const print = PRINT_ATOM.exec(line);
    if (print === null) return false;
    if (print[1] !== undefined && !bound.has(print[1])) return false;
    prints++;
  }
  return prints > 0;
}

/**
 * Tool calls that compute nothing: Python that prints back numbers it was given, a calculator
 * asked for a bare number. A model that has done the arithmetic in its reasoning and then runs
 * `J = 4; print(J)` (a real Qwen2.5-Coder-1.5B repair) would teach that the tool is decoration.
 */
export function findIdleToolCalls(trajectory: Pick<Trajectory, 'steps'>): IdleToolCall[] {
  const idle: IdleToolCall[] = [];
  for (const step of trajectory.steps) {
    if (step.type !== 'tool-call') continue;
    const input = step.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) continue;
    if (step.toolName === 'python' && typeof input.code === 'string') {
      if (pythonComputesNothing(input.code))
        idle.push({
          callId: step.callId,
          toolName: step.toolName,
          message: `python call ${step.callId} only prints numbers it was given (${JSON.stringify(input.code.trim())})`,
        });
    } else if (step.toolName === 'calculator' && typeof input.expression === 'string') {
      if (BARE_NUMBER.test(input.expression.trim()))
        idle.push({
          callId: step.callId,
          toolName: step.toolName,
          message: `calculator call ${step.callId} is asked for a bare number (${JSON.stringify(input.expression.trim())})`,
        });
    }
  }
  return idle;
}
