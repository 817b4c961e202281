import { z } from 'zod';
import { entryInputParser } from '../entry-input.js';
import {
  type OpenRunDirOptions,
  type RecordedRunSettings,
  readRunSettings as readRunSettingsUnchecked,
} from '../run-dir/open-run-dir.js';
import { readRunJson as readRunJsonUnchecked } from '../run-dir/read-run-file.js';
import {
  diffRunSettings as diffUnchecked,
  type RunSettings,
  runSettingsSchema,
  type SettingDifference,
} from '../run-dir/run-settings.js';
import {
  claimShardDir as claimUnchecked,
  type ShardClaim,
  type ShardRecord,
} from '../run-dir/shard-claim.js';
import {
  writeFileAtomic as writeFileUnchecked,
  writeJsonAtomic as writeJsonUnchecked,
} from '../run-dir/write-atomic.js';

// The run-file helpers of the main entry check their arguments before anything is read or
// written (`ValidationError` naming the function and the field; keys strict): a shard claim
// with a misspelt `indx` recorded `undefined/4`, a setting holding a function compared as
// absent, and `writeJsonAtomic(path, undefined)` wrote the word "undefined".

const parse = entryInputParser((problem) => problem.error);
const path = z.string().min(1);
const zodSchema = z.custom<z.ZodType>(
  (v) => typeof v === 'object' && v !== null && typeof (v as z.ZodType).safeParse === 'function',
  { message: 'expected a zod schema' },
);
const aFunction = z.custom<unknown>((v) => typeof v === 'function', {
  message: 'expected a function',
});

/** The settings that differ between two runs (see run-dir/run-settings.ts), both checked. */
export function diffRunSettings(
  recorded: RunSettings,
  requested: RunSettings,
): SettingDifference[] {
  const entry = 'diffRunSettings';
  return diffUnchecked(
    parse(runSettingsSchema, recorded, entry, 'recorded'),
    parse(runSettingsSchema, requested, entry, 'requested'),
  );
}

const count = z.number().int().positive().refine(Number.isSafeInteger, 'expected a safe integer');
const shardClaim = z
  .strictObject({ index: z.number().int().nonnegative(), count, source: z.string().min(1) })
  .refine((shard) => shard.index < shard.count, {
    message: 'expected an index below count (indexes are 0-based)',
    path: ['index'],
  });
const claimOptions = z.strictObject({ outDir: path, shard: shardClaim.nullable() });

/** Record or check the shard a run directory covers (see run-dir/shard-claim.ts), checked. */
export function claimShardDir(options: { outDir: string; shard: ShardClaim | null }): ShardRecord {
  return claimUnchecked(parse(claimOptions, options, 'claimShardDir', 'options'));
}

/** A run directory's JSON file parsed with `schema` (see run-dir/read-run-file.ts), checked. */
export function readRunJson<S extends z.ZodType>(
  file: string,
  schema: S,
  what: string,
): z.output<S> | null {
  const entry = 'readRunJson';
  parse(path, file, entry, 'path');
  parse(zodSchema, schema, entry, 'schema');
  return readRunJsonUnchecked(file, schema, parse(z.string(), what, entry, 'what'));
}

/** The settings recorded in a run directory (see run-dir/open-run-dir.ts), arguments checked. */
export function readRunSettings(
  dir: string,
  legacy?: OpenRunDirOptions['legacySettings'],
): RecordedRunSettings | null {
  const entry = 'readRunSettings';
  parse(path, dir, entry, 'dir');
  parse(aFunction.optional(), legacy, entry, 'legacy');
  return readRunSettingsUnchecked(dir, legacy);
}

const bytes = z.union([
  z.string(),
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected a string or bytes' }),
]);

/** Replace a file atomically (see run-dir/write-atomic.ts), path and data checked. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const entry = 'writeFileAtomic';
  writeFileUnchecked(parse(path, file, entry, 'path'), parse(bytes, data, entry, 'data'));
}

// What `JSON.stringify` turns into no text at all (it returns undefined for these).
const jsonable = z.custom<unknown>(
  (v) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  { message: 'expected a value JSON can write' },
);

/** `value` as indented JSON, written atomically (see run-dir/write-atomic.ts), checked. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const entry = 'writeJsonAtomic';
  writeJsonUnchecked(parse(path, file, entry, 'path'), parse(jsonable, value, entry, 'value'));
}
