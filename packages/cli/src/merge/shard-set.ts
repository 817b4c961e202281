import { RunMergeError } from './merge-error.js';
import { checkSettings, checkShards, fieldOf, numberField, type RunDir } from './run-dir.js';

/** One JSONL file a run writes, with the manifest count of its records (`counts.<count>`). */
export interface ShardFile {
  file: string;
  count: string;
}

/** How far a shard got with its share of the run, as its manifest says. */
export interface ShardProgress {
  /** The manifest field a refusal names (`counts`, `coverage.done`). */
  field: string;
  /** What the shard counts its work in (`samples`, `tasks`). */
  unit: string;
  done: number;
  of: number;
  failed: number;
  finished: boolean;
}

/** What `autotraj merge` checks of the shards of one kind of run before it joins them. */
export interface ShardKind {
  /** The command that writes the run, which the user reruns (`eval`, `synthesize`). */
  command: string;
  /** The settings every shard of a run must share, by manifest field. */
  settings(run: RunDir): Record<string, unknown>;
  progress(run: RunDir): ShardProgress;
  /** The JSONL files the run writes, in the order they are joined. */
  files: ReadonlyArray<ShardFile>;
}

/**
 * The inputs in shard order, once every one is a finished shard written since sharding existed,
 * all share the kind's settings and together they are shards 0..n-1 of one n.
 */
export function checkShardSet(input: ReadonlyArray<RunDir>, kind: ShardKind): RunDir[] {
  for (const run of input) {
    if (fieldOf(run.manifest, ['coverage']) === undefined)
      throw new RunMergeError({
        reason: 'manifest-invalid',
        dir: run.dir,
        field: 'coverage',
        message: `the manifest predates sharding (no coverage): rerun the same autotraj ${kind.command} command on it (it resumes, redoes nothing) to rewrite the manifest`,
      });
    const progress = kind.progress(run);
    if (!progress.finished)
      throw new RunMergeError({
        reason: 'shard-incomplete',
        dir: run.dir,
        field: progress.field,
        message: `holds ${progress.done} of its ${progress.of} ${progress.unit}${progress.failed > 0 ? ` (${progress.failed} failed)` : ''}; rerun the same command on it to finish the shard`,
      });
  }
  checkSettings(input, kind.settings);
  return checkShards(input);
}

/** A shard's file holds as many records as its manifest counts, else an error naming both. */
export function checkFileCount(run: RunDir, { file, count }: ShardFile, records: number): void {
  const expected = numberField(run, ['counts', count]);
  if (records !== expected)
    throw new RunMergeError({
      reason: 'count-mismatch',
      dir: run.dir,
      field: file,
      message: `${records} records, but the manifest counts ${expected} (counts.${count})`,
    });
}

/** Where a merged manifest's `merged.shards` entry came from: the directory and its shard. */
export function shardOrigin(run: RunDir): { dir: string; shard: string; source: string | null } {
  return {
    dir: run.dir,
    shard: run.shard.spec ?? `${run.shard.index}/${run.shard.count}`,
    source: run.shard.source,
  };
}
