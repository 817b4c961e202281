import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** Judge verdicts by request hash: in memory, optionally backed by an append-only JSONL file. */
export interface JudgeCache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly size: number;
}

export function judgeCacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** In-memory cache; with `file`, earlier verdicts are loaded from and new ones appended to it. */
export function createJudgeCache(options: { file?: string } = {}): JudgeCache {
  const entries = new Map<string, unknown>();
  if (options.file !== undefined && existsSync(options.file)) {
    for (const line of readFileSync(options.file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const record = JSON.parse(line) as { key?: unknown; value?: unknown };
        if (typeof record.key === 'string') entries.set(record.key, record.value);
      } catch {
        // A line cut by a killed run: the verdict is simply asked again.
      }
    }
  }
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      entries.set(key, value);
      if (options.file !== undefined)
        appendFileSync(options.file, `${JSON.stringify({ key, value })}\n`);
    },
    get size() {
      return entries.size;
    },
  };
}
