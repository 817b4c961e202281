import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type EvalManifest,
  type EvalRecord,
  evalManifestSchema,
  evalRecordSchema,
  resultsMarkdown,
  summarizeEval,
} from '@autotraj/benchmarks';
import { isInShard } from '@autotraj/generation';
import { RUN_FILES, taskSetDigest } from '@autotraj/trajectory';
import { SHARD_FILE, shardRecord } from '@autotraj/trajectory/internal';
import {
  canonicalOrder,
  checkUniqueIds,
  type RecordLine,
  readRecords,
  writeRecords,
} from './jsonl-records.js';
import { RunMergeError } from './merge-error.js';
import type { MergeKindResult } from './merge-synthesis.js';
import { fieldOf, type Manifest, numberField, type RunDir, stringField } from './run-dir.js';
import {
  checkFileCount,
  checkShardSet,
  type ShardFile,
  type ShardKind,
  shardOrigin,
} from './shard-set.js';

/**
 * The settings every shard of an eval run must share: the model, every eval setting (protocol,
 * n, temperature, seed, tool budget, max tokens, tools, search, math checker), the seed rule
 * (`seedDerivation`), the benchmarks
 * (names and kinds, in order; their source paths may differ between machines), the package
 * version and the run's question set (count, ids and content digests).
 */
export function evalSettings(run: RunDir): Record<string, unknown> {
  const benchmarks = fieldOf(run.manifest, ['benchmarks']);
  return {
    'model.name': fieldOf(run.manifest, ['model', 'name']),
    'model.mode': fieldOf(run.manifest, ['model', 'mode']),
    settings: fieldOf(run.manifest, ['settings']),
    seedDerivation: fieldOf(run.manifest, ['seedDerivation']),
    'versions.@autotraj/benchmarks': fieldOf(run.manifest, ['versions', '@autotraj/benchmarks']),
    benchmarks: Array.isArray(benchmarks)
      ? benchmarks.map((b: { name?: unknown; kind?: unknown }) => ({ name: b.name, kind: b.kind }))
      : benchmarks,
    'coverage.run.count': fieldOf(run.manifest, ['coverage', 'run', 'count']),
    'coverage.run.digest': fieldOf(run.manifest, ['coverage', 'run', 'digest']),
    'coverage.run.contentDigest': fieldOf(run.manifest, ['coverage', 'run', 'contentDigest']),
  };
}

const RECORDS: ShardFile = { file: RUN_FILES.records, count: 'done' };

/** What merge checks of eval shards: settings, samples done, `records.jsonl` against `counts.done`. */
const EVAL_SHARDS: ShardKind = {
  command: 'eval',
  settings: evalSettings,
  progress(run) {
    const of = numberField(run, ['counts', 'expected']);
    const done = numberField(run, ['counts', 'done']);
    const failed = numberField(run, ['counts', 'failed']);
    return {
      field: 'counts',
      unit: 'samples',
      done,
      of,
      failed,
      finished: done === of && failed <= 0,
    };
  },
  files: [RECORDS],
};

/** Joins eval shards into `tmp`: records in canonical order, results re-derived from them. */
export async function mergeEval(
  input: ReadonlyArray<RunDir>,
  tmp: string,
): Promise<MergeKindResult & { manifest: Manifest }> {
  const runs = checkShardSet(input, EVAL_SHARDS);
  const first = runs[0]!;
  const n = numberField(first, ['settings', 'n']);

  const all: RecordLine[] = [];
  const owner = new Map<string, RunDir>();
  for (const run of runs) {
    const records = await readRecords({
      dir: run.dir,
      file: RUN_FILES.records,
      keyOf: (v) => ({
        key:
          typeof v.benchmark === 'string' && typeof v.questionId === 'string'
            ? `${v.benchmark}/${v.questionId}`
            : undefined,
        id: `${String(v.benchmark)}\u0000${String(v.questionId)}\u0000${String(v.sample)}`,
        index: v.sample,
      }),
    });
    checkFileCount(run, RECORDS, records.length);
    const keys = new Set<string>();
    for (const record of records) {
      const parsed = evalRecordSchema.safeParse(record.value);
      if (!parsed.success || record.index >= n)
        throw new RunMergeError({
          reason: 'record-invalid',
          dir: run.dir,
          field: `records.jsonl line ${record.line}`,
          message: parsed.success
            ? `sample ${record.index} of a run with n = ${n}`
            : `not an eval record: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
        });
      if (!isInShard(record.key, { index: run.shard.index, count: run.shard.count }))
        throw new RunMergeError({
          reason: 'task-outside-shard',
          dir: run.dir,
          field: `records.jsonl line ${record.line}`,
          message: `question ${record.key} belongs to another shard of ${run.shard.count}, not ${run.shard.index}`,
        });
      const other = owner.get(record.key);
      if (other !== undefined && other !== run)
        throw new RunMergeError({
          reason: 'task-duplicate',
          dir: run.dir,
          field: `records.jsonl line ${record.line}`,
          message: `question ${record.key} is also in ${other.dir}`,
        });
      owner.set(record.key, run);
      keys.add(record.key);
    }
    if (taskSetDigest(keys).digest !== stringField(run, ['coverage', 'assigned', 'digest']))
      throw new RunMergeError({
        reason: 'count-mismatch',
        dir: run.dir,
        field: RUN_FILES.records,
        message: `records for ${keys.size} questions, not the ${numberField(run, ['coverage', 'assigned', 'count'])} this shard was assigned (coverage.assigned)`,
      });
    all.push(...records);
  }
  checkUniqueIds(all, RUN_FILES.records);
  const union = taskSetDigest(owner.keys());
  const run = fieldOf(first.manifest, ['coverage', 'run']) as { count: number; digest: string };
  if (union.digest !== run.digest)
    throw new RunMergeError({
      reason: 'task-missing',
      field: 'coverage.run',
      message: `the shards hold ${union.count} questions but the run has ${run.count}`,
    });

  const questions = new Map<string, number>();
  for (const r of runs)
    for (const b of fieldOf(r.manifest, ['benchmarks']) as Array<{
      name: string;
      questions: number;
    }>)
      questions.set(b.name, (questions.get(b.name) ?? 0) + b.questions);
  const counts = { expected: 0, done: 0, failed: 0 };
  for (const r of runs) {
    counts.expected += numberField(r, ['counts', 'expected']);
    counts.done += numberField(r, ['counts', 'done']);
  }
  if (all.length !== counts.done || counts.done !== union.count * n)
    throw new RunMergeError({
      reason: 'count-mismatch',
      field: RUN_FILES.records,
      message: `${all.length} records joined for ${union.count} questions x ${n} samples; counts sum to ${counts.done}`,
    });
  const startedAt = runs.map((r) => String(fieldOf(r.manifest, ['startedAt']) ?? '')).sort()[0];
  const manifest: Manifest = {
    ...first.manifest,
    kind: 'eval',
    benchmarks: (first.manifest.benchmarks as Array<Record<string, unknown>>).map((b) => ({
      ...b,
      questions: questions.get(b.name as string) ?? 0,
    })),
    counts,
    startedAt,
    updatedAt: new Date().toISOString(),
    shard: null,
    coverage: { run, assigned: { count: run.count, digest: run.digest } },
    merged: {
      shards: runs.map((r) => ({
        ...shardOrigin(r),
        updatedAt: fieldOf(r.manifest, ['updatedAt']) ?? null,
        counts: fieldOf(r.manifest, ['counts']),
        benchmarks: fieldOf(r.manifest, ['benchmarks']),
      })),
    },
  };
  const parsed = evalManifestSchema.safeParse(manifest);
  if (!parsed.success)
    throw new RunMergeError({
      reason: 'manifest-invalid',
      dir: first.dir,
      field: parsed.error.issues[0]?.path.join('.') ?? RUN_FILES.manifest,
      message: `the merged manifest is not an eval manifest: ${parsed.error.issues[0]?.message}`,
    });
  const records = canonicalOrder(all);
  writeRecords(join(tmp, RUN_FILES.records), records);
  // Results from the joined records with the eval's own summary, never summed from shards.
  const results = summarizeEval(
    records.map((r) => r.value as unknown as EvalRecord),
    parsed.data as EvalManifest,
  );
  writeFileSync(join(tmp, RUN_FILES.results), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(tmp, RUN_FILES.resultsMarkdown), resultsMarkdown(results));
  writeFileSync(join(tmp, SHARD_FILE), `${JSON.stringify(shardRecord(null), null, 2)}\n`);
  return {
    manifest,
    tasks: union.count,
    counts: { questions: union.count, samples: counts.done },
    files: [RUN_FILES.records, RUN_FILES.results, RUN_FILES.resultsMarkdown],
  };
}
