import type { z } from 'zod';
import {
  preferencePairSchema,
  rolloutRecordSchema,
  scoredTrajectorySchema,
  sftRecordSchema,
} from './records.js';
import { sealTrajectory } from './sealed.js';
import { type Trajectory, trajectorySchema } from './trajectory.js';

// Records the library reads (readJsonl with a contract schema) have just been parsed by that
// schema: each trajectory in the output is exactly the schema's output, in objects zod created
// for this read (no caller holds them). Sealing them there (see sealed.ts) lets the evaluation
// and reward entries take them without walking them again: candidates read back for
// `--candidates-from` and `evaluate`, rollouts, SFT records and pairs read for training.

type Sealer = (value: unknown) => void;
const sealField =
  (...fields: string[]): Sealer =>
  (value) => {
    const record = value as Record<string, Trajectory>;
    for (const field of fields) sealTrajectory(record[field]!);
  };

const sealers = new Map<z.ZodType, Sealer>([
  [trajectorySchema, (value) => sealTrajectory(value as Trajectory)],
  [scoredTrajectorySchema, sealField('trajectory')],
  [rolloutRecordSchema, sealField('trajectory')],
  [sftRecordSchema, sealField('trajectory')],
  [preferencePairSchema, sealField('chosen', 'rejected')],
]);

/**
 * Seal the trajectories of `value`, the output `schema` just returned for a record the library
 * read (never a caller's object: zod's output objects are new). Records of other schemas are
 * left as they are. Returns `value`.
 */
export function sealParsedRecord<T>(schema: z.ZodType, value: T): T {
  sealers.get(schema)?.(value);
  return value;
}
