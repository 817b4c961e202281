import { readFileSync } from 'node:fs';

let source: string | undefined;

/** The worker's Python source (`worker.py`, shipped beside the built module). */
export function workerSource(): string {
  source ??= readFileSync(new URL('./worker.py', import.meta.url), 'utf8');
  return source;
}
