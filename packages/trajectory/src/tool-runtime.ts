import type { JsonValue } from './schemas/json-value.js';
import type { ToolResultStep } from './schemas/step.js';

/** Per-call context: calls sharing a `sessionId` share interpreter state (one trajectory). */
export interface ToolRunContext {
  sessionId?: string;
  signal?: AbortSignal;
}

/** What any tool runtime returns; it becomes the trajectory's `tool-result` step. */
export interface ToolRunOutput {
  output: string;
  isError: boolean;
  timedOut?: boolean;
  durationMs: number;
}

/**
 * The contract between tool implementations (`@autotraj/tools`, or your own) and the loops
 * that run them (generation, repair, RL rollouts).
 */
export interface ToolRuntime {
  /** Tool name as it appears in trajectories (`python`, `calculator`, `search`). */
  readonly name: string;
  run(input: JsonValue, context?: ToolRunContext): Promise<ToolRunOutput>;
  /** Release a session's state (e.g. a Python namespace) once its trajectory is done. */
  endSession?(sessionId: string): Promise<void>;
}

export function toolResultStep(options: {
  callId: string;
  toolName: string;
  result: ToolRunOutput;
}): ToolResultStep {
  const { result } = options;
  return {
    type: 'tool-result',
    callId: options.callId,
    toolName: options.toolName,
    output: result.output,
    isError: result.isError,
    ...(result.timedOut === undefined ? {} : { timedOut: result.timedOut }),
    durationMs: result.durationMs,
  };
}
