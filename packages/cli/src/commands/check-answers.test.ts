import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, sharedData } from '../test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-check-answers-'));

describe('autotraj check-answers', () => {
  it('writes every line back with equivalent and the extracted answers', async () => {
    const input = join(dir, 'cases.jsonl');
    writeFileSync(
      input,
      [
        { id: 1, gold: '$\\frac{1}{2}$', pred: 'so the answer is $\\boxed{0.5}$' },
        { id: 2, gold: '7425000', pred: '7,425,000', match: ['expr'] },
        { id: 3, gold: '$f(x)$', pred: '$f(y)$', strict: true },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const out = join(dir, 'out.jsonl');
    const result = await run(['check-answers', input, '--out', out]);
    expect(result.code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.id, line.equivalent])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(lines[0]).toMatchObject({ extractedGold: ['\\frac{1}{2}'], extractedPred: ['0.5'] });
    expect(result.stdout).toMatch(/equivalent\s+2/);
  });

  it('reports agreement on the Math-Verify cases', async () => {
    const out = join(dir, 'mv.jsonl');
    const result = await run([
      'check-answers',
      sharedData('math-verify/cases.dev.jsonl'),
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    // Every case agrees today (the evaluator pins its known disagreements, none).
    const agreement = /agreement with expected\s+(\d+)\/139/.exec(result.stdout);
    expect(agreement?.[1]).toBe('139');
  });

  it('names the file, line and field of a bad case', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"gold": "1", "pred": "1"}\n{"gold": "1"}\n');
    const result = await run(['check-answers', bad, '--out', join(dir, 'bad-out.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.jsonl, line 2.*pred/);
  });
});
