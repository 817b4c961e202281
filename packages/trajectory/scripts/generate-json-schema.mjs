// Writes JSON Schema for every record type, generated from the zod schemas (never by hand).
import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import * as trajectory from '../dist/index.js';

const schemas = {
  task: trajectory.taskSchema,
  step: trajectory.stepSchema,
  trajectory: trajectory.trajectorySchema,
  'sft-record': trajectory.sftRecordSchema,
  'preference-pair': trajectory.preferencePairSchema,
  'scored-trajectory': trajectory.scoredTrajectorySchema,
  'rollout-record': trajectory.rolloutRecordSchema,
};

const outDir = new URL('../schema/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const [name, schema] of Object.entries(schemas)) {
  // `input`: what a file on disk may hold (fields with defaults may be omitted).
  // JSON values are checked by a function; in JSON Schema they are simply unconstrained.
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  json.$id = `https://autotraj.dev/schema/${name}.json`;
  json.title = name;
  writeFileSync(new URL(`${name}.json`, outDir), `${JSON.stringify(json, null, 2)}\n`);
}
console.log(`json schema: wrote ${Object.keys(schemas).length} files to schema/`);
