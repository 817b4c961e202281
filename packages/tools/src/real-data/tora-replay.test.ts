import { afterAll, describe, expect, it } from 'vitest';
import { createPythonPool } from '../python/pool.js';
import type { PythonExecutor } from '../python/types.js';
import { sharedDataPath } from '../test-support/shared-data.js';
import { replayTora } from './tora-replay.js';

const pool = createPythonPool({ size: 2, preload: ['sympy'] });
afterAll(() => pool.close());
const toraPath = sharedDataPath('tora/gsm8k.dev.jsonl');

/** `line N: reason` of every recorded ToRA cell whose re-execution differs. */
const KNOWN_REPLAY_FAILURES: string[] = [];

describe('re-executing every real ToRA GSM8K solution in the sandbox', () => {
  it('reproduces the recorded outputs (measured 1,320 / 1,320 exact)', async () => {
    const report = await replayTora({ path: toraPath, executor: pool, timeoutMs: 10_000 });
    expect(report.total).toBe(1320);
    // Pinned (sympy and numpy are pinned in python/requirements.txt): the lines whose output
    // no longer reproduces, none today; a new one fails.
    const failures = report.cases
      .filter((c) => c.verdict === 'mismatch')
      .map((c) => `line ${c.line}: ${c.reason}`);
    expect(failures).toEqual(KNOWN_REPLAY_FAILURES);
    expect(report.matched + report.numericMatched).toBe(
      report.total - KNOWN_REPLAY_FAILURES.length,
    );
    // The three recorded failures (SyntaxError, IndexError, NameError) fail the same way again.
    const errors = report.cases.filter((c) => /Error/.test(c.recorded));
    expect(errors.map((c) => c.verdict)).toEqual(['match', 'match', 'match']);
  });

  it('classifies mismatches by reason', async () => {
    const lying: PythonExecutor = {
      ...pool,
      run: async () => ({
        stdout: '41\n',
        stderr: '',
        error: null,
        timedOut: false,
        truncated: false,
        durationMs: 1,
      }),
      endSession: async () => {},
    };
    const report = await replayTora({ path: toraPath, executor: lying, limit: 20 });
    expect(report.total).toBe(20);
    expect(report.mismatched).toBeGreaterThan(15);
    expect(report.reasons['different numbers or number formatting']).toBeGreaterThan(15);
  });
});
