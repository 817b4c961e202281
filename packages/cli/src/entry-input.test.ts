import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@autotraj/trajectory';
import { afterEach, describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import { mergeRuns, PipelineOptionsError, RunMergeError, runPipeline } from './index.js';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function pipelineInvalid(options: unknown, field: string, parameter: string) {
  const out = (options as { outDir?: string }).outDir;
  const error = await runPipeline(options as never).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(PipelineOptionsError.isInstance(error), String(error)).toBe(true);
  const e = error as PipelineOptionsError;
  expect(e.code).toBe('invalid_input');
  expect(e.parameters).toEqual([parameter]);
  expect(e.message).toContain(`runPipeline: ${field}:`);
  expect(ValidationError.isInstance(e.cause)).toBe(true);
  // Refused before any work: nothing written.
  if (typeof out === 'string') expect(readdirSync(out)).toEqual([]);
}

describe('runPipeline entry input', () => {
  it('refuses a missing outDir, a wrong type and a misspelt option before any work', async () => {
    await pipelineInvalid({ limit: 1 }, 'options.outDir', 'outDir');
    await pipelineInvalid({ outDir: fresh(), limit: '1' }, 'options.limit', 'limit');
    await pipelineInvalid({ outDir: fresh(), limt: 1 }, 'options.limt', 'limt');
  });
});

describe('mergeRuns entry input', () => {
  async function invalid(options: unknown, field: string) {
    const error = await mergeRuns(options as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(RunMergeError.isInstance(error), String(error)).toBe(true);
    const e = error as RunMergeError;
    expect(e.reason).toBe('options-invalid');
    expect(e.field).toBe(field);
    expect(e.message).toContain(field);
  }

  it('refuses a missing field, a wrong type and a misspelt key', async () => {
    await invalid({ outDir: fresh() }, 'options.dirs');
    await invalid({ dirs: 'a,b', outDir: fresh() }, 'options.dirs');
    await invalid({ dirs: [], outDir: fresh(), force: true }, 'options.force');
  });
});
