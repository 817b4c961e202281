import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '@autotraj/trajectory';
import { RunMergeError } from './merge-error.js';

/** The run kinds `autotraj merge` joins, as their manifests name them. */
export type RunKind = 'synthesis' | 'eval';

export type Manifest = Record<string, unknown>;

/** One input directory: its manifest, kind and shard (a whole run is shard 0/1). */
export interface RunDir {
  dir: string;
  manifest: Manifest;
  kind: RunKind;
  shard: { index: number; count: number; spec: string | null; source: string | null };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `kind`, or for synthesis manifests written before it existed, what created them. */
function kindOf(dir: string, manifest: Manifest): RunKind {
  if (manifest.kind === 'synthesis' || manifest.kind === 'eval') return manifest.kind;
  if (manifest.kind === undefined && manifest.createdBy === '@autotraj/repairer synthesize')
    return 'synthesis';
  throw new RunMergeError({
    reason: 'kind-unknown',
    dir,
    field: 'manifest.json kind',
    message: `not a run autotraj merge knows (kind ${JSON.stringify(manifest.kind ?? null)}; expected synthesis or eval)`,
  });
}

export function readRunDir(dir: string): RunDir {
  let text: string;
  try {
    text = readFileSync(join(dir, RUN_FILES.manifest), 'utf8');
  } catch {
    throw new RunMergeError({
      reason: 'manifest-missing',
      dir,
      field: RUN_FILES.manifest,
      message:
        'no manifest: a run writes it when it finishes, so this shard has not finished (rerun it to complete it)',
    });
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    manifest = undefined;
  }
  if (!isObject(manifest))
    throw new RunMergeError({
      reason: 'manifest-invalid',
      dir,
      field: RUN_FILES.manifest,
      message: 'not a JSON object',
    });
  const kind = kindOf(dir, manifest);
  const shard = manifest.shard;
  if (shard === null || shard === undefined)
    return { dir, manifest, kind, shard: { index: 0, count: 1, spec: null, source: null } };
  if (
    !isObject(shard) ||
    !Number.isInteger(shard.index) ||
    !Number.isInteger(shard.count) ||
    typeof shard.spec !== 'string'
  )
    throw new RunMergeError({
      reason: 'manifest-invalid',
      dir,
      field: 'shard',
      message: 'expected {index, count, spec, source} or null',
    });
  return {
    dir,
    manifest,
    kind,
    shard: {
      index: shard.index as number,
      count: shard.count as number,
      spec: shard.spec,
      source: typeof shard.source === 'string' ? shard.source : null,
    },
  };
}

/** A manifest value by dotted path (`coverage.run.digest`), undefined when absent. */
export function fieldOf(manifest: Manifest, path: ReadonlyArray<string>): unknown {
  let value: unknown = manifest;
  for (const key of path) value = isObject(value) ? value[key] : undefined;
  return value;
}

/** A field that must be a number, or a typed error naming it. */
export function numberField(run: RunDir, path: ReadonlyArray<string>): number {
  const value = fieldOf(run.manifest, path);
  if (typeof value !== 'number')
    throw new RunMergeError({
      reason: 'manifest-invalid',
      dir: run.dir,
      field: path.join('.'),
      message: `expected a number, got ${JSON.stringify(value ?? null)}`,
    });
  return value;
}

export function stringField(run: RunDir, path: ReadonlyArray<string>): string {
  const value = fieldOf(run.manifest, path);
  if (typeof value !== 'string')
    throw new RunMergeError({
      reason: 'manifest-invalid',
      dir: run.dir,
      field: path.join('.'),
      message: `expected a string, got ${JSON.stringify(value ?? null)}`,
    });
  return value;
}

/** One kind for every input. */
export function checkKinds(runs: ReadonlyArray<RunDir>): RunKind {
  const first = runs[0]!;
  for (const run of runs)
    if (run.kind !== first.kind)
      throw new RunMergeError({
        reason: 'kind-mixed',
        dir: run.dir,
        field: 'kind',
        message: `is a ${run.kind} run but ${first.dir} is a ${first.kind} run; merge one kind at a time`,
      });
  return first.kind;
}

/** Sorted-key JSON, so settings compare by value whatever order their keys were written in. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/** Nested objects as dotted fields (`settings.seed`), so a difference names its leaf. */
function flatten(settings: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (isObject(value) && Object.keys(value).length > 0)
      Object.assign(out, flatten(value, `${prefix}${key}.`));
    else out[`${prefix}${key}`] = value;
  }
  return out;
}

/** Every named setting equal in every input, else an error naming the dir and the field. */
export function checkSettings(
  runs: ReadonlyArray<RunDir>,
  settingsOf: (run: RunDir) => Record<string, unknown>,
): void {
  const first = runs[0]!;
  const reference = flatten(settingsOf(first));
  for (const run of runs.slice(1)) {
    const settings = flatten(settingsOf(run));
    for (const field of new Set([...Object.keys(reference), ...Object.keys(settings)])) {
      const a = stable(reference[field]);
      const b = stable(settings[field]);
      if (a !== b)
        throw new RunMergeError({
          reason: 'settings-differ',
          dir: run.dir,
          field,
          message: `${clip(b)} here but ${clip(a)} in ${first.dir}; shards of one run share every setting`,
        });
    }
  }
}

const clip = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text);

/** All shards 0..n-1 of one n, each exactly once; returns the inputs in shard order. */
export function checkShards(runs: ReadonlyArray<RunDir>): RunDir[] {
  const count = runs[0]!.shard.count;
  const byIndex = new Map<number, RunDir>();
  for (const run of runs) {
    if (run.shard.count !== count)
      throw new RunMergeError({
        reason: 'settings-differ',
        dir: run.dir,
        field: 'shard',
        message: `is shard ${run.shard.index}/${run.shard.count} but ${runs[0]!.dir} is one of ${count}; every shard of a run has the same n`,
      });
    const other = byIndex.get(run.shard.index);
    if (other !== undefined)
      throw new RunMergeError({
        reason: 'shard-duplicate',
        dir: run.dir,
        field: 'shard',
        message: `shard ${run.shard.index}/${count} is also ${other.dir}; pass each shard once`,
      });
    byIndex.set(run.shard.index, run);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    throw new RunMergeError({
      reason: 'shard-missing',
      field: 'shard',
      message: `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} of ${count} (got ${runs.map((r) => `${r.dir} = ${r.shard.index}/${count}`).join(', ')})`,
    });
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);
}
