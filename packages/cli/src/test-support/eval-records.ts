import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CLOCK_KEYS = ['startedAt', 'finishedAt', 'durationMs', 'modelMs', 'toolMs', 'ms'];

/** An eval run's records without wall-clock fields (they differ between any two runs). */
export function evalRecordsWithoutClock(out: string) {
  return readFileSync(join(out, 'records.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) =>
      JSON.parse(line, (key, value) => (CLOCK_KEYS.includes(key) ? undefined : value)),
    );
}
