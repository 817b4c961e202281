import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalRecordSchema } from '@autotraj/benchmarks';
import { fetchedModelPath, ModelNotFetchedError } from '@autotraj/llama-cpp';
import { describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

/** CI sets AUTOTRAJ_REQUIRE_MODELS=1 after `./dev models`: there a missing model fails the run. */
const requireModels = process.env.AUTOTRAJ_REQUIRE_MODELS === '1';

function smollm2(): string | undefined {
  try {
    return fetchedModelPath('smollm2');
  } catch (error) {
    if (requireModels || !ModelNotFetchedError.isInstance(error)) throw error;
    console.warn(`skipping the local:smollm2 eval test: ${error.message} (run ./dev models)`);
    return undefined;
  }
}

const model = smollm2();

describe.skipIf(model === undefined)(
  'autotraj eval --model local:smollm2 (the embedded model)',
  () => {
    it('evaluates 2 GSM8K questions end to end and writes valid records', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'autotraj-eval-local-'));
      try {
        const out = join(dir, 'out');
        const result = await run([
          'eval',
          '--benchmark',
          'gsm8k-test',
          '--limit',
          '2',
          '--model',
          'local:smollm2',
          '--max-tokens',
          '48',
          '--out',
          out,
          '--json',
        ]);
        expect(result.stderr).toMatch(/eval: 2\/2 samples/);
        expect(result.code).toBe(0);
        const records = readFileSync(join(out, 'records.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => evalRecordSchema.parse(JSON.parse(l)));
        expect(records.map((r) => r.questionId)).toEqual(['gsm8k-test-0', 'gsm8k-test-1']);
        for (const r of records) {
          expect(r.trajectory.provenance.model).toBe('local:smollm2');
          // The model really generated: tokens were counted, and at most the 48 asked for per call.
          expect(r.verdict.outputTokens).toBeGreaterThan(0);
          expect(r.trajectory.steps.length).toBeGreaterThan(0);
        }
        const results = JSON.parse(result.stdout);
        expect(results.benchmarks[0]).toMatchObject({
          benchmark: 'gsm8k-test',
          questions: 2,
          complete: true,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 600_000);
  },
);
