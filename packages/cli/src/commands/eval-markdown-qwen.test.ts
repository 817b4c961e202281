import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalRecordSchema } from '@autotraj/benchmarks';
import { describe, expect, it } from 'vitest';
import { realModelPath } from '../test-support/real-model.js';
import { run } from '../test-support/run.js';

const model = realModelPath('qwen2.5-coder-1.5b', 'the markdown-protocol Qwen test');

// Qwen2.5-Coder-1.5B-Instruct, greedy, on the markdown protocol: it writes a ```python block
// and would go on to invent the output; the stop must cut that, the sandbox must run the block
// and the model must answer from the real output in \boxed{}. The question asks for a program:
// asked for a product, the model multiplied in prose with the rules and example in the user turn.
describe.skipIf(model === undefined)(
  'autotraj eval --protocol markdown (Qwen2.5-Coder-1.5B)',
  () => {
    it('runs the model’s python block for real and gets a boxed answer', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'autotraj-eval-markdown-'));
      try {
        const questions = join(dir, 'questions.jsonl');
        writeFileSync(
          questions,
          `${JSON.stringify({
            id: 'squares',
            question:
              'Compute with a Python program the sum of the squares of the whole numbers from 1 to 250.',
            answer: '5239625',
            kind: 'math',
          })}\n`,
        );
        const out = join(dir, 'out');
        const result = await run([
          'eval',
          ...['--benchmark-file', questions, '--protocol', 'markdown'],
          ...['--model', 'local:qwen2.5-coder-1.5b', '--max-tokens', '256', '--out', out],
        ]);
        expect(result.code, result.stderr).toBe(0);
        const [record] = readFileSync(join(out, 'records.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => evalRecordSchema.parse(JSON.parse(l)));
        const { trajectory } = record!;
        expect(trajectory.provenance.format).toBe('markdown-tir');
        // A block really ran in the sandbox: its output is the executed result, not the model's.
        expect(trajectory.metadata.generation).toMatchObject({ toolCalls: expect.any(Number) });
        expect(
          (trajectory.metadata.generation as { toolCalls: number }).toolCalls,
        ).toBeGreaterThanOrEqual(1);
        const results = trajectory.steps.filter((s) => s.type === 'tool-result');
        expect(results[0]).toMatchObject({
          isError: false,
          output: '5239625',
          durationMs: expect.any(Number),
        });
        // The answer is boxed in the prose after the output block.
        const answer = trajectory.steps.at(-1)!;
        expect(answer.type).toBe('answer');
        expect(answer.type === 'answer' && /\\boxed\s*\{/.test(answer.text)).toBe(true);
        expect(trajectory.finalAnswer).not.toBeNull();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 900_000);
  },
);
