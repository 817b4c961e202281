import type { ToolRuntime } from '@autotraj/trajectory';
import { taskSchema } from '@autotraj/trajectory';
import { objectWithMethods, rejecting } from '@autotraj/trajectory/internal';
import type { ToolSet } from 'ai';
import { z } from 'zod';
import {
  type RepairStepsInput,
  type RepairStepsResult,
  repairSteps as repairStepsUnchecked,
  runtimesFromAiTools as runtimesUnchecked,
} from '../repair/repair-steps.js';
import type { Repairer } from '../repair/repairer.js';
import { parseRepairerInput as parse } from './checked-repairer.js';

// `repairSteps` of the main entry checks its input before any model call: keys strictly, the
// task with `taskSchema` (defaults filled), the run's steps as `{ content: [{ type }] }`
// (messages are read leniently by parseAiSdkMessages, which records what it cannot read as
// issues), the repairer by kind.

const repairStepsArgs = z.strictObject({
  repairer: objectWithMethods<Repairer>('a repairer (createRepairer)', 'repair'),
  task: taskSchema,
  messages: z.array(z.unknown()).optional(),
  steps: z
    .array(z.looseObject({ content: z.array(z.looseObject({ type: z.string() })) }))
    .optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

/** Repair an `ai` SDK run (see repair/repair-steps.ts), its input checked first. */
export function repairSteps(input: RepairStepsInput): Promise<RepairStepsResult> {
  return rejecting(() => {
    const args = parse(repairStepsArgs, input, 'repairSteps', 'input');
    // The task as parsed (defaults filled); messages and steps as the caller gave them.
    return repairStepsUnchecked({ ...input, task: args.task } as RepairStepsInput);
  });
}

// Each tool must run in repairs: an `execute` function (a tool without one is named).
const aiTools = z.record(
  z.string(),
  z.looseObject({
    execute: z.custom<unknown>((v) => typeof v === 'function', {
      message: 'expected an execute function (repairs run the tool)',
    }),
  }),
);

/** `ToolRuntime`s for an `ai` SDK tool set (see repair/repair-steps.ts), each tool checked. */
export function runtimesFromAiTools(tools: ToolSet): ToolRuntime[] {
  parse(aiTools, tools, 'runtimesFromAiTools', 'tools');
  return runtimesUnchecked(tools);
}
