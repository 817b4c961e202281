import type { Trajectory } from '@autotraj/trajectory';
// Unchecked: the evaluator checked the trajectory at its own entry (once per candidate).
import { findFabricatedToolOutputUnchecked as findFabricatedToolOutput } from '@autotraj/trajectory/internal';
import type { Diagnostic } from './types.js';

/** `fabricated-tool-output` diagnostics: tool output the model wrote itself (see `findFabricatedToolOutput`). */
export function fabricatedOutputDiagnostics(
  trajectory: Pick<Trajectory, 'steps'> & Partial<Pick<Trajectory, 'metadata'>>,
): Diagnostic[] {
  return findFabricatedToolOutput(trajectory).map(({ stepIndex, code, message }) => ({
    stepIndex,
    code,
    message,
  }));
}

/**
 * `fabricatedOutputDiagnostics` pushed onto `diagnostics` (no array of its own: evaluators add
 * these to every candidate's report, and most have none).
 */
export function appendFabricatedOutput(
  diagnostics: Diagnostic[],
  trajectory: Pick<Trajectory, 'steps'> & Partial<Pick<Trajectory, 'metadata'>>,
): void {
  for (const { stepIndex, code, message } of findFabricatedToolOutput(trajectory))
    diagnostics.push({ stepIndex, code, message });
}
