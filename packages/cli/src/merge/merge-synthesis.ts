import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { fieldOf, type Manifest, numberField, type RunDir, stringField } from './run-dir.js';
import { checkFileCount, checkShardSet, type ShardKind, shardOrigin } from './shard-set.js';

/**
 * Config fields that may differ between shards: throughput (`concurrency`) and paths that
 * differ between machines (`tasks`, `replay`; the task set itself is compared by digest).
 */
export const SYNTHESIS_PER_SHARD_CONFIG = ['concurrency', 'tasks', 'replay'] as const;

/** The settings every shard of a synthesis run must share, by manifest field. */
export function synthesisSettings(run: RunDir): Record<string, unknown> {
  const config = { ...((fieldOf(run.manifest, ['config']) as Record<string, unknown>) ?? {}) };
  for (const key of SYNTHESIS_PER_SHARD_CONFIG) delete config[key];
  return {
    evaluatorPreset: fieldOf(run.manifest, ['evaluatorPreset']),
    'versions.@autotraj/repairer': fieldOf(run.manifest, ['versions', '@autotraj/repairer']),
    ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`config.${key}`, value])),
    'coverage.run.count': fieldOf(run.manifest, ['coverage', 'run', 'count']),
    'coverage.run.digest': fieldOf(run.manifest, ['coverage', 'run', 'digest']),
    'coverage.run.contentDigest': fieldOf(run.manifest, ['coverage', 'run', 'contentDigest']),
  };
}

const COUNTS = [
  'tasks',
  'candidates',
  'kept',
  'repairAccepted',
  'hard',
  'discarded',
  'sft',
  'pairs',
  'droppedSft',
  'droppedPairs',
  'refusedKeptRepairs',
  'refusedKeptRepaired',
  'candidatesWithTextFormToolCalls',
  'candidatesWithFabricatedToolOutput',
] as const;

/** Counts a shard written before the admission gate lacks (it dropped nothing): read as 0. */
const GATE_COUNTS: ReadonlySet<string> = new Set(['droppedSft', 'droppedPairs']);
const hasGate = (run: RunDir) => fieldOf(run.manifest, ['counts', 'droppedSft']) !== undefined;
/** Counts that shards written before they existed lack (nothing to count then): read as 0. */
const LATER_COUNTS: ReadonlySet<string> = new Set([
  'candidatesWithTextFormToolCalls',
  'candidatesWithFabricatedToolOutput',
  'refusedKeptRepairs',
  'refusedKeptRepaired',
]);
const countOf = (run: RunDir, count: string) =>
  (GATE_COUNTS.has(count) && !hasGate(run)) ||
  (LATER_COUNTS.has(count) && fieldOf(run.manifest, ['counts', count]) === undefined)
    ? 0
    : numberField(run, ['counts', count]);

export interface MergeKindResult {
  tasks: number;
  counts: Record<string, number>;
  files: string[];
}

/**
 * What merge checks of synthesis shards: settings, every assigned task done, and each output
 * file against its manifest count (the journal holds one line per task).
 */
const SYNTHESIS_SHARDS: ShardKind = {
  command: 'synthesize',
  settings: synthesisSettings,
  progress(run) {
    const failed = numberField(run, ['run', 'failed']);
    const of = numberField(run, ['coverage', 'assigned', 'count']);
    const done = numberField(run, ['coverage', 'done', 'count']);
    return {
      field: 'coverage.done',
      unit: 'tasks',
      done,
      of,
      failed,
      // The digests only when nothing failed: a failed shard is unfinished whatever they say.
      finished:
        failed <= 0 &&
        stringField(run, ['coverage', 'done', 'digest']) ===
          stringField(run, ['coverage', 'assigned', 'digest']),
    };
  },
  files: [
    { file: RUN_FILES.journal, count: 'tasks' },
    { file: RUN_FILES.candidates, count: 'candidates' },
    { file: RUN_FILES.sft, count: 'sft' },
    { file: RUN_FILES.pairs, count: 'pairs' },
    { file: RUN_FILES.hard, count: 'hard' },
    { file: RUN_FILES.dropped, count: 'droppedSft' },
  ],
};

/** Joins synthesis shards into `tmp` (the caller renames it into place). */
export async function mergeSynthesis(
  input: ReadonlyArray<RunDir>,
  tmp: string,
): Promise<MergeKindResult & { manifest: Manifest }> {
  const runs = checkShardSet(input, SYNTHESIS_SHARDS);
  const first = runs[0]!;

  // Tasks: the journal of each shard, each id in its shard and in no other.
  const journals = new Map<RunDir, RecordLine[]>();
  const owner = new Map<string, RunDir>();
  for (const run of runs) {
    const journal = await readRecords({
      dir: run.dir,
      file: RUN_FILES.journal,
      keyOf: (v) => ({ key: v.taskId, id: v.taskId }),
    });
    journals.set(run, journal);
    for (const entry of journal) {
      if (!isInShard(entry.key, { index: run.shard.index, count: run.shard.count }))
        throw new RunMergeError({
          reason: 'task-outside-shard',
          dir: run.dir,
          field: `journal.jsonl line ${entry.line}`,
          message: `task ${entry.key} belongs to shard ${run.shard.count === 1 ? 0 : 'another'} of ${run.shard.count}, not ${run.shard.index}`,
        });
      const other = owner.get(entry.key);
      if (other !== undefined)
        throw new RunMergeError({
          reason: 'task-duplicate',
          dir: run.dir,
          field: `journal.jsonl line ${entry.line}`,
          message: `task ${entry.key} is also in ${other.dir}`,
        });
      owner.set(entry.key, run);
    }
    const digest = taskSetDigest(journal.map((e) => e.key));
    if (digest.digest !== stringField(run, ['coverage', 'done', 'digest']))
      throw new RunMergeError({
        reason: 'count-mismatch',
        dir: run.dir,
        field: RUN_FILES.journal,
        message: `holds ${digest.count} tasks, not the ${numberField(run, ['coverage', 'done', 'count'])} its manifest lists (coverage.done); the directory changed after the run finished`,
      });
  }
  const union = taskSetDigest(owner.keys());
  if (union.digest !== stringField(first, ['coverage', 'run', 'digest']))
    throw new RunMergeError({
      reason: 'task-missing',
      field: 'coverage.run',
      message: `the shards hold ${union.count} tasks but the run has ${numberField(first, ['coverage', 'run', 'count'])}`,
    });

  const counts = Object.fromEntries(COUNTS.map((c) => [c, 0])) as Record<string, number>;
  for (const run of runs) for (const c of COUNTS) counts[c]! += countOf(run, c);
  const droppedByReason: Record<string, number> = {};
  for (const run of runs) {
    const byReason = fieldOf(run.manifest, ['counts', 'droppedByReason']);
    if (typeof byReason !== 'object' || byReason === null) continue;
    for (const [code, n] of Object.entries(byReason))
      if (typeof n === 'number') droppedByReason[code] = (droppedByReason[code] ?? 0) + n;
  }

  for (const entry of SYNTHESIS_SHARDS.files) {
    const { file, count } = entry;
    const all: RecordLine[] = [];
    for (const run of runs) {
      // A shard from before the admission gate has no dropped.jsonl and no count for it.
      const absent = file === RUN_FILES.dropped && !hasGate(run);
      const records =
        file === RUN_FILES.journal
          ? journals.get(run)!
          : absent
            ? []
            : await readRecords({
                dir: run.dir,
                file,
                keyOf: (v) => ({
                  key: v.taskId,
                  id: v.id,
                  ...(file === RUN_FILES.candidates ? { index: v.index } : {}),
                }),
              });
      if (!absent) checkFileCount(run, entry, records.length);
      for (const record of records)
        if (owner.get(record.key) !== run)
          throw new RunMergeError({
            reason: 'record-stray',
            dir: run.dir,
            field: `${file} line ${record.line}`,
            message: `a record of task ${record.key}, which this shard did not run`,
          });
      all.push(...records);
    }
    checkUniqueIds(all, file);
    if (all.length !== counts[count])
      throw new RunMergeError({
        reason: 'count-mismatch',
        field: file,
        message: `${all.length} records joined, counts sum to ${counts[count]}`,
      });
    writeRecords(join(tmp, file), canonicalOrder(all));
  }
  writeFileSync(join(tmp, SHARD_FILE), `${JSON.stringify(shardRecord(null), null, 2)}\n`);

  const timings = runs.map((r) => fieldOf(r.manifest, ['timings']) as Record<string, number>);
  const sum = (key: string) => timings.reduce((s, t) => s + (t?.[key] ?? 0), 0);
  const wallMs = Math.max(0, ...timings.map((t) => t?.wallMs ?? 0));
  const run = fieldOf(first.manifest, ['coverage', 'run']) as Record<string, unknown>;
  const {
    concurrency: _c,
    tasks: _t,
    replay: _r,
    ...config
  } = fieldOf(first.manifest, ['config']) as Record<string, unknown>;
  const manifest: Manifest = {
    ...first.manifest,
    kind: 'synthesis',
    createdBy: 'autotraj merge',
    finishedAt: new Date().toISOString(),
    config,
    shard: null,
    coverage: {
      run,
      assigned: { count: run.count, digest: run.digest },
      done: { count: union.count, digest: union.digest },
    },
    counts: { ...counts, droppedByReason },
    run: { done: counts.tasks, resumed: 0, failed: 0, failures: [] },
    // Across shards: work summed, wall time the longest shard's (they ran side by side).
    timings: {
      wallMs,
      trajectories: sum('trajectories'),
      modelCalls: sum('modelCalls'),
      trajectoriesPerSecond: wallMs > 0 ? sum('trajectories') / (wallMs / 1000) : 0,
      modelCallsPerSecond: wallMs > 0 ? sum('modelCalls') / (wallMs / 1000) : 0,
    },
    merged: {
      shards: runs.map((r) => ({
        ...shardOrigin(r),
        finishedAt: fieldOf(r.manifest, ['finishedAt']) ?? null,
        tasks: numberField(r, ['counts', 'tasks']),
        counts: fieldOf(r.manifest, ['counts']),
        timings: fieldOf(r.manifest, ['timings']),
        config: Object.fromEntries(
          SYNTHESIS_PER_SHARD_CONFIG.map((k) => [k, fieldOf(r.manifest, ['config', k]) ?? null]),
        ),
      })),
    },
  };
  delete manifest.outDir;
  return { manifest, tasks: union.count, counts, files: SYNTHESIS_SHARDS.files.map((f) => f.file) };
}
