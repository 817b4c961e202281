import { existsSync } from 'node:fs';
import type { JsonlLineError } from '../errors.js';
import { readJsonl } from './read-jsonl.js';

export interface ExistingIds {
  ids: Set<string>;
  /** Lines that could not be read (a cut last line, corrupt lines), so the caller can report them. */
  skipped: JsonlLineError[];
}

/**
 * Ids already present in a JSONL output, for resuming a job: records whose id is here are
 * done. A missing file means nothing is done; a cut last line is skipped and reported.
 */
export async function readExistingIds(
  path: string,
  options: { key?: string | undefined } = {},
): Promise<ExistingIds> {
  const key = options.key ?? 'id';
  const ids = new Set<string>();
  const skipped: JsonlLineError[] = [];
  if (!existsSync(path)) return { ids, skipped };
  for await (const { value } of readJsonl(path, {
    mode: 'lenient',
    onReject: (error) => void skipped.push(error),
  })) {
    const id = (value as Record<string, unknown> | null)?.[key];
    if (typeof id === 'string') ids.add(id);
  }
  return { ids, skipped };
}
