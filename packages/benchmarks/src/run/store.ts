import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJsonlWriter, type JsonlWriter, readJsonl } from '@autotraj/trajectory';
import { BenchmarkError } from '../errors.js';
import {
  type EvalManifest,
  type EvalRecord,
  evalManifestSchema,
  evalRecordSchema,
  recordKey,
} from './records.js';

/** Write a file atomically: a temporary file, then a rename, so a kill leaves the old or the new. */
export function writeFileAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Read `manifest.json` of an evaluation directory (null when there is none yet). */
export function readEvalManifest(dir: string): EvalManifest | null {
  const path = join(dir, 'manifest.json');
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

/** The records file of a run in progress: what earlier runs finished, and an appender. */
export interface EvalStore {
  readonly done: ReadonlyMap<string, EvalRecord>;
  record(record: EvalRecord): void;
  close(): void;
}

export async function openEvalStore(outDir: string): Promise<EvalStore> {
  const path = join(outDir, 'records.jsonl');
  // Opening the writer first cuts a partial last line a kill left, so the read below is clean.
  const writer: JsonlWriter<unknown> = createJsonlWriter(path);
  const done = new Map<string, EvalRecord>();
  try {
    for (const record of await readEvalRecords(path)) done.set(recordKey(record), record);
  } catch (error) {
    writer.close();
    throw error;
  }
  return {
    done,
    record(record) {
      writer.write(record);
      done.set(recordKey(record), record);
    },
    close: () => writer.close(),
  };
}
