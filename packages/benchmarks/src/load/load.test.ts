import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchmarkError } from '../errors.js';
import { benchmarkNames, benchmarks } from '../registry.js';
import { goldAnswersOf } from './answers.js';
import { loadBenchmark, readBenchmarkFile } from './load-benchmark.js';

describe('goldAnswersOf', () => {
  it("removes the paper files' outer braces, keeping inner LaTeX braces", () => {
    expect(goldAnswersOf('{Frank Lowy}', 'qa')).toEqual(['Frank Lowy']);
    expect(goldAnswersOf('{\\dfrac{1}{9}}', 'math')).toEqual(['\\dfrac{1}{9}']);
    expect(goldAnswersOf('{\\text{4:30 p.m.}}', 'math')).toEqual(['\\text{4:30 p.m.}']);
    expect(goldAnswersOf('\\frac{14}{3}', 'math')).toEqual(['\\frac{14}{3}']);
    expect(goldAnswersOf('70', 'math')).toEqual(['70']);
    expect(goldAnswersOf('{Marion, South Australia}', 'qa')).toEqual(['Marion, South Australia']);
  });

  it('reads QA aliases from several groups or an array; a math answer stays one expression', () => {
    expect(goldAnswersOf('{New York City} {NYC}', 'qa')).toEqual(['New York City', 'NYC']);
    expect(goldAnswersOf('{NYC}, {New York}', 'qa')).toEqual(['NYC', 'New York']);
    expect(goldAnswersOf(['{NYC}', 'New York'], 'qa')).toEqual(['NYC', 'New York']);
    expect(goldAnswersOf('{1}{2}', 'math')).toEqual(['{1}{2}']);
    expect(goldAnswersOf('{a} and {b}', 'qa')).toEqual(['{a} and {b}']);
  });
});

describe('shipped benchmarks', () => {
  it('load with the counts of their licences file, every answer unbraced', () => {
    for (const name of benchmarkNames) {
      const questions = loadBenchmark(name);
      expect(questions.length, name).toBe(benchmarks.get(name)!.items);
      for (const q of questions) {
        expect(q.kind).toBe(benchmarks.get(name)!.kind);
        expect(q.goldAnswers.length).toBeGreaterThan(0);
        if (q.kind === 'qa') expect(q.goldAnswers.every((g) => !/^\{.*\}$/.test(g))).toBe(true);
      }
    }
    expect(loadBenchmark('math', { limit: 3 }).map((q) => q.id)).toEqual([
      'math-test-0',
      'math-test-1',
      'math-test-2',
    ]);
    expect(loadBenchmark('gsm8k-test', { limit: 2 })[0]).toMatchObject({
      benchmark: 'gsm8k-test',
      id: 'gsm8k-test-0',
      goldAnswers: ['18'],
    });
    expect(() => loadBenchmark('gsm8k')).toThrow(/unknown benchmark "gsm8k"; shipped: gsm8k-test/);
  });

  it('a bad line names file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    const file = join(dir, 'mine.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ id: 'a', question: 'q', answer: '1', kind: 'math' })}\n\n${JSON.stringify({ id: 'b', question: 'q', answer: '1', kind: 'maths' })}\n`,
    );
    let error: unknown;
    try {
      readBenchmarkFile(file, { benchmark: 'mine' });
    } catch (e) {
      error = e;
    }
    expect(BenchmarkError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`${file}, line 3, field kind`));
    writeFileSync(
      file,
      `${JSON.stringify({ id: 'a', question: 'q', answer: '1', kind: 'math' })}\n${JSON.stringify({ id: 'a', question: 'r', answer: '2', kind: 'math' })}\n`,
    );
    expect(() => readBenchmarkFile(file, { benchmark: 'mine' })).toThrow(
      /line 2, field id: duplicate question id "a"/,
    );
  });
});
