import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkPath, evalRecordSchema } from '@autotraj/benchmarks';
import { describe, expect, it } from 'vitest';
import { evalRecordsWithoutClock } from '../test-support/eval-records.js';
import { realModelPath } from '../test-support/real-model.js';
import { run } from '../test-support/run.js';

const model = realModelPath('smollm2', 'the local:smollm2 eval test');

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

    it('--local-batch decodes calls together and names the model so: a rerun without it is another run', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'autotraj-eval-batch-'));
      try {
        const out = join(dir, 'out');
        const args = ['eval', '--benchmark', 'gsm8k-test', '--limit', '2'];
        const flags = ['--model', 'local:smollm2', '--max-tokens', '24', '--out', out];
        const batched = await run([...args, ...flags, '--local-batch', '2']);
        expect(batched.code, batched.stderr).toBe(0);
        const records = evalRecordsWithoutClock(out);
        expect(records).toHaveLength(2);
        for (const r of records) {
          expect(r.trajectory.provenance.model).toBe('local:smollm2+batch:2');
          expect(r.verdict.outputTokens).toBeGreaterThan(0);
        }
        const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
        expect(JSON.stringify(manifest)).toContain('local:smollm2+batch:2');
        // Unbatched greedy outputs are not the batched ones: the directory holds another run.
        const unbatched = await run([...args, ...flags]);
        expect(unbatched.code).toBe(1);
        expect(unbatched.stderr).toMatch(/model \(--model\).*local:smollm2\+batch:2/s);
        // A server model cannot batch this way.
        const server = await run([
          ...args,
          '--model',
          'vllm:x',
          '--local-batch',
          '2',
          '--out',
          join(dir, 'x'),
        ]);
        expect(server.code).toBe(2);
        expect(server.stderr).toContain('--local-batch applies to a live local:<model> only');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 600_000);

    it('scores a question the same whatever the worker ran before (questions in reverse order)', async () => {
      // With the cached prefix re-used, Gemma-3-270M's greedy answer to MATH-500 #47 changed
      // after #46; eval evaluates every prompt whole, so resumed and sharded runs equal one run.
      const dir = mkdtempSync(join(tmpdir(), 'autotraj-eval-order-'));
      try {
        const lines = readFileSync(benchmarkPath('gsm8k-test'), 'utf8').split('\n').slice(0, 3);
        const outs: string[] = [];
        for (const [name, order] of [
          ['forward', lines],
          ['reverse', [...lines].reverse()],
        ] as const) {
          // The same file name, so both runs name the benchmark alike.
          mkdirSync(join(dir, name));
          const file = join(dir, name, 'gsm8k-first3.jsonl');
          writeFileSync(file, `${order.join('\n')}\n`);
          const out = join(dir, `${name}-out`);
          const result = await run([
            'eval',
            '--benchmark-file',
            file,
            '--model',
            'local:smollm2',
            '--max-tokens',
            '32',
            '--concurrency',
            '1',
            '--out',
            out,
          ]);
          expect(result.code, result.stderr).toBe(0);
          outs.push(out);
        }
        // Records follow the file's question order; compare them by question.
        const [forward, reverse] = outs.map((out) =>
          evalRecordsWithoutClock(out).sort((x, y) => x.questionId.localeCompare(y.questionId)),
        );
        expect(forward).toHaveLength(3);
        expect(reverse).toEqual(forward);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 600_000);
  },
);
