import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { OutputWriteError } from '../jsonl/output-write-error.js';

/**
 * Replace a file atomically: write a temporary sibling, then rename it over the file, so a
 * kill leaves the old content or the new, never a cut one. The temporary name carries the pid:
 * two processes never write the same temporary file.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    // A full disk is the one failure a user can act on (free space, rerun): say so, typed.
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT')
      throw new OutputWriteError({ file: path, cause: error });
    throw error;
  }
}

/** `value` as indented JSON with a final newline, written with `writeFileAtomic`. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
