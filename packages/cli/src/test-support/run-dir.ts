import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { run } from './run.js';

/** Every file under `dir` (recursively) with its bytes, to show a refusal changed nothing. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return out;
}

/**
 * Rerun a command into `dir` with one setting changed: it must exit 1 naming the setting with
 * both values (as JSON), suggest --out / --force-new, and leave every byte of `dir` as it was.
 */
export async function expectRefused(
  dir: string,
  args: string[],
  setting: string,
  recorded: unknown,
  requested: unknown,
): Promise<void> {
  const before = snapshotDir(dir);
  const result = await run(args);
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toContain(
    `${setting}: recorded ${JSON.stringify(recorded)}, now ${JSON.stringify(requested)}`,
  );
  expect(result.stderr).toContain('--force-new');
  expect(snapshotDir(dir)).toEqual(before);
}
