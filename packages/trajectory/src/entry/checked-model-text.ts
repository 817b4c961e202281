import { z } from 'zod';
import {
  findIdleToolCalls as findIdleUnchecked,
  type IdleToolCall,
} from '../admission/idle-tool-call.js';
import {
  findPromptMetaText as findPromptMetaUnchecked,
  type PromptMetaMatch,
} from '../admission/prompt-meta-text.js';
import {
  findProseArithmeticErrors as findProseUnchecked,
  type ProseArithmeticError,
} from '../admission/prose-arithmetic.js';
import { entryInputParser } from '../entry-input.js';
import { findFabricatedToolOutput as findFabricatedUnchecked } from '../model-text/fabricated-tool-output.js';
import type {
  FABRICATED_TOOL_OUTPUT,
  ModelTextFinding,
  TEXT_FORM_TOOL_CALL,
} from '../model-text/finding.js';
import { sourceTextOf as sourceTextUnchecked } from '../model-text/source-text.js';
import {
  findTextFormToolCalls as findTextFormUnchecked,
  findTrajectoryTextFormToolCalls as findTrajectoryTextFormUnchecked,
  type TextFormToolCallOptions,
} from '../model-text/text-form-tool-calls.js';
import { type Metadata, metadataSchema } from '../schemas/json-value.js';
import { isSealedTrajectory } from '../schemas/sealed.js';
import { type Step, stepListSchema } from '../schemas/step.js';
import type { Trajectory } from '../schemas/trajectory.js';

// The model-text readers of the main entry check what they are given (`ValidationError`
// naming the function and the field; options strict, a trajectory's other keys kept): a step
// without its text, or metadata that is not JSON, threw a TypeError or was read as no finding.
// A trajectory the library sealed is taken as it is. The evaluator, the reward and the other
// packages call the unchecked readers (`@autotraj/trajectory/internal`) on trajectories they
// already checked, so the per-trajectory hot paths pay nothing here.

const parse = entryInputParser((problem) => problem.error);

const metadataHolder = z.looseObject({ metadata: metadataSchema });
const stepsHolder = z.looseObject({ steps: stepListSchema, metadata: metadataSchema.optional() });
// `findTrajectoryTextFormToolCalls` reads only `metadata.tools` (its strings).
const stepsAndAnyMetadata = z.looseObject({
  steps: stepListSchema,
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const textFormOptions = z.strictObject({ tools: z.array(z.string()).optional() });
const promptMetaOptions = z.strictObject({ question: z.string().optional() });
const stepsOnly = z.looseObject({ steps: stepListSchema });

/** The text a trajectory was written as (see model-text/source-text.ts), its metadata checked. */
export function sourceTextOf(trajectory: Pick<Trajectory, 'metadata'>): string | undefined {
  return sourceTextUnchecked(
    isSealedTrajectory(trajectory)
      ? trajectory
      : parse(metadataHolder, trajectory, 'sourceTextOf', 'trajectory'),
  );
}

/** Tool output the model wrote itself (see model-text/fabricated-tool-output.ts), checked. */
export function findFabricatedToolOutput(trajectory: {
  steps: ReadonlyArray<Step>;
  metadata?: Metadata | undefined;
}): ModelTextFinding<typeof FABRICATED_TOOL_OUTPUT>[] {
  return findFabricatedUnchecked(
    isSealedTrajectory(trajectory)
      ? trajectory
      : parse(stepsHolder, trajectory, 'findFabricatedToolOutput', 'trajectory'),
  );
}

/** Tool calls a model wrote as text (see model-text/text-form-tool-calls.ts), checked. */
export function findTextFormToolCalls(
  steps: ReadonlyArray<Step>,
  options: TextFormToolCallOptions = {},
): ModelTextFinding<typeof TEXT_FORM_TOOL_CALL>[] {
  const entry = 'findTextFormToolCalls';
  return findTextFormUnchecked(
    parse(stepListSchema, steps, entry, 'steps'),
    parse(textFormOptions, options, entry, 'options'),
  );
}

/** `findTextFormToolCalls` with the tools the trajectory's run offered, the trajectory checked. */
export function findTrajectoryTextFormToolCalls(trajectory: {
  steps: ReadonlyArray<Step>;
  metadata?: Record<string, unknown> | undefined;
}): ModelTextFinding<typeof TEXT_FORM_TOOL_CALL>[] {
  return findTrajectoryTextFormUnchecked(
    isSealedTrajectory(trajectory)
      ? trajectory
      : parse(stepsAndAnyMetadata, trajectory, 'findTrajectoryTextFormToolCalls', 'trajectory'),
  );
}

/** Prompt text copied into model text (see admission/prompt-meta-text.ts), arguments checked. */
export function findPromptMetaText(
  text: string,
  options: { question?: string | undefined } = {},
): PromptMetaMatch[] {
  const entry = 'findPromptMetaText';
  return findPromptMetaUnchecked(
    parse(z.string(), text, entry, 'text'),
    parse(promptMetaOptions, options, entry, 'options'),
  );
}

/** Wrong arithmetic stated in prose (see admission/prose-arithmetic.ts), the steps checked. */
export function findProseArithmeticErrors(
  trajectory: Pick<Trajectory, 'steps'>,
): ProseArithmeticError[] {
  return findProseUnchecked(
    isSealedTrajectory(trajectory)
      ? trajectory
      : parse(stepsOnly, trajectory, 'findProseArithmeticErrors', 'trajectory'),
  );
}

/** Tool calls that compute nothing (see admission/idle-tool-call.ts), the steps checked. */
export function findIdleToolCalls(trajectory: Pick<Trajectory, 'steps'>): IdleToolCall[] {
  return findIdleUnchecked(
    isSealedTrajectory(trajectory)
      ? trajectory
      : parse(stepsOnly, trajectory, 'findIdleToolCalls', 'trajectory'),
  );
}
