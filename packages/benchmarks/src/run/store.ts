import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JournalStore, openJournalStore, RUN_FILES, readJsonl } from '@autotraj/trajectory';
import { BenchmarkError } from '../errors.js';
import {
  type EvalManifest,
  type EvalRecord,
  evalManifestSchema,
  evalRecordSchema,
  recordKey,
} from './records.js';

/** Read `manifest.json` of an evaluation directory (null when there is none yet). */
export function readEvalManifest(dir: string): EvalManifest | null {
  const path = join(dir, RUN_FILES.manifest);
  if (!existsSync(path)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new BenchmarkError({
      code: 'bad_manifest',
      message: `not JSON: ${(cause as Error).message}`,
      location: { file: path },
      cause,
    });
  }
  const parsed = evalManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BenchmarkError({
      code: 'bad_manifest',
      message: `not an evaluation manifest: ${issue.message}`,
      location: { file: path, path: issue.path.join('.') },
    });
  }
  return parsed.data;
}

/**
 * Every record of a `records.jsonl` (validated; errors name file, line and field). A cut last
 * line (a writer killed mid-line) is skipped: that sample was never finished.
 */
export async function readEvalRecords(path: string): Promise<EvalRecord[]> {
  const out: EvalRecord[] = [];
  if (!existsSync(path)) return out;
  for await (const { value } of readJsonl(path, {
    schema: evalRecordSchema,
    mode: 'lenient',
    onReject: (error) => {
      if (error.kind !== 'truncated') throw error;
    },
  }))
    out.push(value as EvalRecord);
  return out;
}

/**
 * The records file of a run in progress, as a journal: one line per finished sample (the unit
 * of resumption), what earlier runs finished in `done`, keyed by `recordKey`.
 */
export type EvalStore = JournalStore<EvalRecord>;

export const openEvalStore = (outDir: string): Promise<EvalStore> =>
  openJournalStore({
    dir: outDir,
    journal: RUN_FILES.records,
    schema: evalRecordSchema,
    key: recordKey,
  });
