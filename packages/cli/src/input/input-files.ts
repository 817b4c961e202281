import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import {
  RUN_FILES,
  RUN_STAGE_DIRS,
  readRunJson,
  synthesisManifestSchema,
} from '@autotraj/trajectory';
import { locateRunFiles } from '../report/run-files.js';

/** One file a reading command processes; `name` is its path inside the run directory. */
export interface InputFile {
  path: string;
  name: string;
}

export interface ResolvedInput {
  /** The run directory given as input, or null for a single file. */
  runDir: string | null;
  files: InputFile[];
}

// Files in a run directory that hold no records to read: the synthesis journal (a resume log)
// and rejects files written by earlier commands.
const notRecords = (name: string) => name === RUN_FILES.journal || name.endsWith('.rejects.jsonl');

function jsonlUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsonlUnder(path));
    else if (entry.name.endsWith('.jsonl') && !notRecords(entry.name)) out.push(path);
  }
  return out;
}

/**
 * A file, or a run directory's record files: the ones `autotraj run` writes first (candidates,
 * SFT, pairs, hard cases, records the admission gate dropped, rollouts, in pipeline order), then every other `.jsonl` under it (eval
 * results, ...), which the caller reads if their kind is detected.
 */
export function resolveInput(path: string): ResolvedInput {
  if (!existsSync(path) || !statSync(path).isDirectory())
    return { runDir: null, files: [{ path, name: basename(path) }] };
  const known = locateRunFiles(path);
  const first = [
    known.candidates,
    known.sft,
    known.pairs,
    known.hard,
    known.dropped,
    known.rollouts,
  ].filter((p): p is string => p !== null);
  const rest = jsonlUnder(path).filter((p) => !first.includes(p));
  return {
    runDir: path,
    files: [...first, ...rest].map((p) => ({ path: p, name: relative(path, p) })),
  };
}

/**
 * The tasks file a run's synthesis manifest names (`config.tasks`), found beside the input file,
 * in its `synthesis/` folder, or one level up: where `evaluate` and `reward` find gold answers
 * for a run's records without `--tasks`. Null when there is none or it no longer exists.
 */
export function runTasksFile(input: string): string | null {
  const dir = existsSync(input) && statSync(input).isDirectory() ? input : dirname(input);
  for (const manifest of [
    join(dir, RUN_FILES.manifest),
    join(dir, RUN_STAGE_DIRS.synthesis, RUN_FILES.manifest),
    join(dir, '..', RUN_STAGE_DIRS.synthesis, RUN_FILES.manifest),
  ]) {
    try {
      const tasks = readRunJson(manifest, synthesisManifestSchema, 'synthesis manifest')?.config
        ?.tasks;
      if (tasks === undefined) continue;
      for (const candidate of [tasks, join(dirname(manifest), tasks)])
        if (existsSync(candidate)) return candidate;
    } catch {
      // A manifest we cannot read gives no tasks; the caller says there is no gold.
    }
  }
  return null;
}

/** A file with nothing in it (synthesis writes `dropped.jsonl` whether or not it drops anything). */
export function isEmptyFile(path: string): boolean {
  return statSync(path).size === 0;
}

/** Where a per-file output goes: `out` itself for a file, `out/<name>` for a run directory. */
export function outputFor(input: ResolvedInput, file: InputFile, out: string): string {
  return input.runDir === null ? out : join(out, file.name);
}
