import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RUN_FILES, writeJsonAtomic } from '@autotraj/trajectory';
import { RunMergeError } from './merge-error.js';
import { mergeEval } from './merge-eval.js';
import { mergeSynthesis } from './merge-synthesis.js';
import { checkKinds, type Manifest, type RunDir, type RunKind, readRunDir } from './run-dir.js';

export interface MergeRunsOptions {
  /** Shard output directories (any order); one whole-run directory canonicalises it. */
  dirs: ReadonlyArray<string>;
  outDir: string;
}

export interface MergeRunsResult {
  kind: RunKind;
  outDir: string;
  shards: number;
  tasks: number;
  counts: Record<string, number>;
  /** The files written, besides manifest.json. */
  files: string[];
  /** Files in the inputs that merge does not join (named so nothing is dropped unseen). */
  skipped: string[];
}

/** Files a run of each kind writes that merge joins or rewrites itself. */
const KNOWN: Record<RunKind, ReadonlySet<string>> = {
  synthesis: new Set([
    RUN_FILES.manifest,
    RUN_FILES.settings,
    RUN_FILES.shard,
    RUN_FILES.journal,
    RUN_FILES.candidates,
    RUN_FILES.sft,
    RUN_FILES.pairs,
    RUN_FILES.hard,
    RUN_FILES.dropped,
  ]),
  eval: new Set([
    RUN_FILES.manifest,
    RUN_FILES.settings,
    RUN_FILES.shard,
    RUN_FILES.records,
    RUN_FILES.results,
    RUN_FILES.resultsMarkdown,
  ]),
};

type KindMerger = (
  runs: ReadonlyArray<RunDir>,
  tmp: string,
) => Promise<{
  manifest: Manifest;
  tasks: number;
  counts: Record<string, number>;
  files: string[];
}>;

const MERGERS: Record<RunKind, KindMerger> = {
  synthesis: mergeSynthesis,
  eval: mergeEval,
};

/**
 * Joins the outputs of the shards of one run into `outDir`, exactly: every shard 0..n-1 once,
 * settings equal, no task twice or missing, counts checked against every manifest. Written to
 * a temporary sibling directory and renamed into place, so `outDir` is either absent or
 * complete; a killed merge is simply run again.
 */
export async function mergeRuns(options: MergeRunsOptions): Promise<MergeRunsResult> {
  if (options.dirs.length === 0)
    throw new RunMergeError({ reason: 'shard-missing', message: 'no directories to merge' });
  const outDir = options.outDir;
  for (const dir of options.dirs)
    if (resolve(dir) === resolve(outDir))
      throw new RunMergeError({
        reason: 'out-exists',
        dir: outDir,
        message: '--out is one of the inputs; write the merge somewhere new',
      });
  const runs = options.dirs.map(readRunDir);
  const kind = checkKinds(runs);
  if (existsSync(outDir)) {
    if (readdirSync(outDir).length > 0)
      throw new RunMergeError({
        reason: 'out-exists',
        dir: outDir,
        message: 'already exists and is not empty; remove it or choose another --out',
      });
    rmSync(outDir, { recursive: true });
  }

  const parent = dirname(resolve(outDir));
  mkdirSync(parent, { recursive: true });
  // Leftovers of a killed merge into the same place go first.
  const prefix = `.${basename(outDir)}.merging-`;
  for (const name of readdirSync(parent))
    if (name.startsWith(prefix)) rmSync(join(parent, name), { recursive: true, force: true });
  const tmp = join(parent, `${prefix}${process.pid}`);
  mkdirSync(tmp);
  try {
    const merged = await MERGERS[kind](runs, tmp);
    writeJsonAtomic(join(tmp, RUN_FILES.manifest), { ...merged.manifest, outDir });
    // The shards' settings (merge checked they agree through their manifests), so the joined
    // directory refuses a rerun with other settings as each shard did.
    const settings = join(runs[0]!.dir, RUN_FILES.settings);
    if (existsSync(settings)) copyFileSync(settings, join(tmp, RUN_FILES.settings));
    renameSync(tmp, outDir);
    const skipped = new Set<string>();
    for (const run of runs)
      for (const name of readdirSync(run.dir))
        if (!KNOWN[kind].has(name)) skipped.add(join(run.dir, name));
    return {
      kind,
      outDir,
      shards: runs.length,
      tasks: merged.tasks,
      counts: merged.counts,
      files: merged.files,
      skipped: [...skipped].sort(),
    };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}
