import type { GenerateTrajectoryOptions } from '@autotraj/generation';
import type { ToolRuntime } from '@autotraj/trajectory';
import { z } from 'zod';
import {
  createPolicyModel as createPolicyModelUnchecked,
  createRolloutTools as createRolloutToolsUnchecked,
  type PolicyModelOptions,
} from '../policy.js';
import { parseRlInput } from './parse-input.js';

// The policy helpers check their options strictly (a misspelt `baseUrl` is an error naming it,
// not a policy without a server). Which combinations work (a base URL or a cassette) and which
// tool names exist stay with the helpers' own `RlConfigError`s.

const policyModelOptions = z.strictObject({
  model: z.string().min(1),
  baseURL: z.string().min(1).optional(),
  apiKey: z.string().optional(),
  cassette: z.string().min(1).optional(),
});
const rolloutToolsOptions = z.strictObject({
  pythonWorkers: z.number().int().positive().optional(),
});

/** The rollout policy (see policy.ts), its options checked. */
export function createPolicyModel(options: PolicyModelOptions): GenerateTrajectoryOptions['model'] {
  return createPolicyModelUnchecked(
    parseRlInput(policyModelOptions, options, 'createPolicyModel', 'options'),
  );
}

/** Tool runtimes by name for rollouts (see policy.ts), its arguments checked. */
export function createRolloutTools(
  names: ReadonlyArray<string>,
  options: { pythonWorkers?: number } = {},
): { tools: ToolRuntime[]; close(): Promise<void> } {
  const entry = 'createRolloutTools';
  return createRolloutToolsUnchecked(
    parseRlInput(z.array(z.string()), names, entry, 'names'),
    parseRlInput(rolloutToolsOptions, options, entry, 'options') as { pythonWorkers?: number },
  );
}
