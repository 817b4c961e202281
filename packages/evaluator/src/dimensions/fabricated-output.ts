import { findFabricatedToolOutput, type Trajectory } from '@autotraj/trajectory';
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
