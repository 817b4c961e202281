import { renameSync, rmSync, writeFileSync } from 'node:fs';

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
    throw error;
  }
}

/** `value` as indented JSON with a final newline, written with `writeFileAtomic`. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
