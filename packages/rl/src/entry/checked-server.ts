import type { ToolRuntime } from '@autotraj/trajectory';
import { objectWithMethods } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import type { TrajectoryScorer } from '../scorer.js';
import {
  createRewardServer as createUncheckedServer,
  type RewardServer,
  type RewardServerOptions,
} from '../server/reward-server.js';
import { calibration, createRewardOptionsSchema } from './checked-reward.js';
import { parseRlInput } from './parse-input.js';

// The reward server's options are checked before it is built: keys strictly (a misspelt
// `maxBatchSise` is an error naming it, not a server with the default), types by schema.
// Request bodies are parsed by the server itself, per request (400 naming the field).

const count = z.number().int().positive();
const rewardServerOptionsSchema = z.strictObject({
  scorer: objectWithMethods<TrajectoryScorer>('a trajectory scorer', 'score'),
  preset: z.enum(['paper', 'autotraj']).optional(),
  reward: createRewardOptionsSchema.omit({ trajectoryModel: true }).nullable().optional(),
  trajectoryModelCalibration: calibration.nullable().optional(),
  maxBodyBytes: count.optional(),
  maxItemsPerRequest: count.optional(),
  maxBatchSize: count.optional(),
  maxWaitMs: z.number().nonnegative().optional(),
  maxConcurrentBatches: count.optional(),
  // Two runtimes with one name: one would silently shadow the other on POST /tool.
  tools: z
    .array(objectWithMethods<ToolRuntime>('a tool runtime', 'run'))
    .refine((tools) => new Set(tools.map((t) => t.name)).size === tools.length, {
      message: 'two tool runtimes have the same name',
    })
    .optional(),
});

/**
 * The reward server (see server/reward-server.ts), its options checked first: bad input is
 * `RlConfigError` code `invalid_input` naming the field.
 */
export function createRewardServer(options: RewardServerOptions): RewardServer {
  const parsed = parseRlInput(rewardServerOptionsSchema, options, 'createRewardServer', 'options');
  return createUncheckedServer(parsed as RewardServerOptions);
}
