import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopComparisonWorker } from '@autotraj/evaluator';
import { ValidationError } from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  BenchmarkError,
  checkAnswer,
  compareEvals,
  comparisonMarkdown,
  type EvalManifest,
  goldAnswersOf,
  loadBenchmark,
  majorityVote,
  pairedBootstrap,
  passAtK,
  questionScores,
  readBenchmarkFile,
  readEvalManifest,
  readEvalRecords,
  reportedKs,
  resultsMarkdown,
  runEval,
  summarizeEval,
} from './index.js';

afterAll(() => stopComparisonWorker());

async function invalid(call: () => unknown, entry: string, field: string): Promise<void> {
  let thrown: unknown;
  try {
    await call();
  } catch (error) {
    thrown = error;
  }
  expect(BenchmarkError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as BenchmarkError;
  expect(error.code).toBe('invalid_input');
  expect(error.message).toContain(`${entry}: ${field}:`);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
  expect((error.cause as ValidationError).issues[0]?.path).toBe(field);
}

const manifest: EvalManifest = {
  kind: 'eval',
  model: { name: 'vllm:test', mode: 'live' },
  settings: {
    protocol: 'text-tags',
    n: 1,
    temperature: 0,
    seed: 0,
    maxToolCalls: 3,
    maxTokens: null,
    tools: { math: ['python'], qa: ['search'] },
    search: { kind: 'bm25', source: 'corpus.jsonl' },
    mathChecker: 'builtin',
  },
  benchmarks: [{ name: 'gsm8k-test', kind: 'math', source: 'x', questions: 1 }],
  counts: { expected: 1, done: 1, failed: 0 },
  versions: {},
  startedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
// A record as a user might write it: its trajectory without the defaulted fields.
const record = {
  benchmark: 'gsm8k-test',
  questionId: 'q1',
  sample: 0,
  question: 'What is 6 * 7?',
  goldAnswers: ['42'],
  trajectory: { id: 't1', taskId: 'q1', steps: [{ type: 'answer', text: '\\boxed{42}' }] },
  verdict: {
    correct: true,
    extractedAnswer: '42',
    toolCalls: 0,
    toolErrors: 0,
    formatViolations: 0,
    outputTokens: 3,
    ms: 1,
  },
};

describe('benchmarks entry input', () => {
  it('scores records and trajectories given without their defaulted fields', async () => {
    expect(summarizeEval([record] as never, manifest).benchmarks[0]).toMatchObject({
      questions: 1,
    });
    expect(questionScores([record] as never, 'gsm8k-test').get('q1')).toBe(1);
    const check = await checkAnswer({
      kind: 'math',
      goldAnswers: ['42'],
      trajectory: { steps: [{ type: 'answer', text: '\\boxed{42}' }] },
    } as never);
    expect(check.correct).toBe(true);
  });

  it('refuses a missing field, naming it', async () => {
    const { verdict: _v, ...noVerdict } = record;
    await invalid(
      () => summarizeEval([noVerdict] as never, manifest),
      'summarizeEval',
      'records[0].verdict',
    );
    await invalid(
      () => checkAnswer({ kind: 'math', trajectory: { steps: [] } } as never),
      'checkAnswer',
      'options.goldAnswers',
    );
  });

  it('refuses a wrong type, naming the field', async () => {
    await invalid(
      () => questionScores([{ ...record, sample: '0' }] as never, 'gsm8k-test'),
      'questionScores',
      'records[0].sample',
    );
    await invalid(
      () => majorityVote([{ answer: 42, correct: true }] as never, 'math'),
      'majorityVote',
      'samples[0].answer',
    );
    await invalid(() => majorityVote([], 'maths' as never), 'majorityVote', 'kind');
  });

  it('refuses a misspelt option key; ignores unknown record keys as the JSONL readers do', async () => {
    await invalid(
      () =>
        checkAnswer({
          kind: 'math',
          goldAnswers: ['1'],
          trajectory: { steps: [] },
          backend: {},
        } as never),
      'checkAnswer',
      'options.backend',
    );
    await invalid(
      () => majorityVote([], 'math', { equivalence: () => true } as never),
      'majorityVote',
      'options.equivalence',
    );
    expect(summarizeEval([{ ...record, note: 'x' }] as never, manifest)).toEqual(
      summarizeEval([record] as never, manifest),
    );
  });
});

describe('runEval entry input', () => {
  // Refused before any model call: the model and tools are only checked for their methods.
  const options = (outDir: string) => ({
    questions: [
      {
        benchmark: 'gsm8k-test',
        id: 'q1',
        question: 'What is 6 * 7?',
        kind: 'math',
        goldAnswers: ['42'],
      },
    ],
    sources: { 'gsm8k-test': 'x' },
    model: { doGenerate: async () => ({}) },
    modelName: 'test',
    modelMode: 'live',
    tools: { math: [], qa: [] },
    settings: manifest.settings,
    outDir,
  });

  it('refuses a missing field, a wrong type and a misspelt key before touching outDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    const outDir = join(dir, 'eval');
    try {
      const { modelName: _m, ...noName } = options(outDir);
      await invalid(() => runEval(noName as never), 'runEval', 'options.modelName');
      await invalid(
        () => runEval({ ...options(outDir), settings: { ...manifest.settings, n: '1' } } as never),
        'runEval',
        'options.settings.n',
      );
      await invalid(
        () => runEval({ ...options(outDir), concurency: 2 } as never),
        'runEval',
        'options.concurency',
      );
      await invalid(
        () => runEval({ ...options(outDir), questions: [{ id: 'q1' }] } as never),
        'runEval',
        'options.questions[0].benchmark',
      );
      expect(existsSync(outDir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('comparison and statistics: entry input', () => {
  const run = (label: string) => ({ label, manifest, records: [record] });

  it('take runs whose records lack their defaulted fields, and well-formed numbers', () => {
    const comparison = compareEvals([run('a'), run('b')] as never, { resamples: 10 });
    expect(comparison.benchmarks[0]?.runs[1]?.delta?.delta).toBe(0);
    expect(pairedBootstrap([0, 1], [1, 1], { resamples: 10 }).delta).toBe(0.5);
    expect(passAtK(4, 1, 1)).toBe(0.25);
    expect(reportedKs(4)).toEqual([1, 2, 4]);
  });

  it('refuse a missing field, naming it', async () => {
    const { manifest: _m, ...noManifest } = run('b');
    await invalid(
      () => compareEvals([run('a'), noManifest] as never),
      'compareEvals',
      'runs[1].manifest',
    );
    const { verdict: _v, ...noVerdict } = record;
    await invalid(
      () => compareEvals([run('a'), { ...run('b'), records: [noVerdict] }] as never),
      'compareEvals',
      'runs[1].records[0].verdict',
    );
    await invalid(() => pairedBootstrap([0, 1], undefined as never), 'pairedBootstrap', 'b');
  });

  it('refuse a wrong type, naming the field', async () => {
    await invalid(() => pairedBootstrap([0, '1'] as never, [1, 1]), 'pairedBootstrap', 'a[1]');
    await invalid(() => pairedBootstrap([0, Number.NaN], [1, 1]), 'pairedBootstrap', 'a[1]');
    await invalid(
      () => pairedBootstrap([0], [1], { level: 95 }),
      'pairedBootstrap',
      'options.level',
    );
    await invalid(() => passAtK(4, 5, 1), 'passAtK', 'c');
    await invalid(() => passAtK(4, 1, '2' as never), 'passAtK', 'k');
    await invalid(() => reportedKs(2.5), 'reportedKs', 'n');
    await invalid(
      () => compareEvals([run('a'), run('b')] as never, { resamples: 0 }),
      'compareEvals',
      'options.resamples',
    );
  });

  it('refuse a misspelt key, naming it', async () => {
    await invalid(
      () => compareEvals([run('a'), run('b')] as never, { resample: 10 } as never),
      'compareEvals',
      'options.resample',
    );
    await invalid(
      () => compareEvals([{ ...run('a'), lable: 'x' }, run('b')] as never),
      'compareEvals',
      'runs[0].lable',
    );
    await invalid(
      () => pairedBootstrap([0], [1], { sed: 1 } as never),
      'pairedBootstrap',
      'options.sed',
    );
  });
});

describe('benchmark loaders: entry input', () => {
  it('load with well-formed arguments', () => {
    expect(loadBenchmark('gsm8k-test', { limit: 2 })).toHaveLength(2);
    expect(goldAnswersOf(['1', '2'], 'math')).toEqual(['1', '2']);
  });

  it('refuse a missing field, naming it', async () => {
    await invalid(
      () => readBenchmarkFile('x.jsonl', {} as never),
      'readBenchmarkFile',
      'options.benchmark',
    );
    await invalid(() => goldAnswersOf('1', undefined as never), 'goldAnswersOf', 'kind');
  });

  it('refuse a wrong type, naming the field', async () => {
    await invalid(
      () => loadBenchmark('gsm8k-test', { limit: '2' } as never),
      'loadBenchmark',
      'options.limit',
    );
    await invalid(() => goldAnswersOf(['1', 2] as never, 'math'), 'goldAnswersOf', 'answer');
    await invalid(
      () => readBenchmarkFile(7 as never, { benchmark: 'b' }),
      'readBenchmarkFile',
      'path',
    );
  });

  it('refuse a misspelt option key, naming it', async () => {
    await invalid(
      () => loadBenchmark('gsm8k-test', { limt: 2 } as never),
      'loadBenchmark',
      'options.limt',
    );
    await invalid(
      () => readBenchmarkFile('x.jsonl', { benchmark: 'b', takes: 1 } as never),
      'readBenchmarkFile',
      'options.takes',
    );
  });
});

describe('results tables and run readers: entry input', () => {
  const results = () => summarizeEval([record] as never, manifest);
  const comparison = () =>
    compareEvals(
      [
        { label: 'a', manifest, records: [record] },
        { label: 'b', manifest, records: [record] },
      ] as never,
      {
        resamples: 10,
      },
    );

  it('take what summarizeEval and compareEvals make; ignore unknown keys as results.json read back', async () => {
    expect(resultsMarkdown(results())).toContain('| gsm8k-test | 1 | 100.0 |');
    expect(comparisonMarkdown(comparison())).toContain(
      '| gsm8k-test | 1 | 100.0 | 100.0 | +0.0 [+0.0, +0.0] |',
    );
    const noted = { ...results(), note: 'x' };
    expect(resultsMarkdown(noted as never)).toBe(resultsMarkdown(results()));
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      writeFileSync(join(dir, 'records.jsonl'), `${JSON.stringify(record)}\n`);
      expect(readEvalManifest(dir)?.model.name).toBe('vllm:test');
      expect(await readEvalRecords(join(dir, 'records.jsonl'))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuse a missing field, naming it (was a table with "undefined" cells or a TypeError)', async () => {
    const r = results();
    const { samplesWithTextFormToolCalls: _s, ...noCount } = r.benchmarks[0]!;
    await invalid(
      () => resultsMarkdown({ ...r, benchmarks: [noCount] } as never),
      'resultsMarkdown',
      'results.benchmarks[0].samplesWithTextFormToolCalls',
    );
    const c = comparison();
    const { delta: _d, ...noDelta } = c.benchmarks[0]!.runs[1]!;
    await invalid(
      () =>
        comparisonMarkdown({
          ...c,
          benchmarks: [{ ...c.benchmarks[0]!, runs: [c.benchmarks[0]!.runs[0]!, noDelta] }],
        }),
      'comparisonMarkdown',
      'comparison.benchmarks[0].runs[1].delta',
    );
    await invalid(() => readEvalManifest(undefined as never), 'readEvalManifest', 'dir');
    await invalid(() => readEvalRecords(undefined as never), 'readEvalRecords', 'path');
  });

  it('refuse a wrong type, naming the field', async () => {
    await invalid(
      () => resultsMarkdown({ ...results(), settings: { ...manifest.settings, n: '1' } } as never),
      'resultsMarkdown',
      'results.settings.n',
    );
    await invalid(
      () => comparisonMarkdown({ ...comparison(), level: '95%' } as never),
      'comparisonMarkdown',
      'comparison.level',
    );
    await invalid(() => readEvalRecords({ path: 'r.jsonl' } as never), 'readEvalRecords', 'path');
  });
});
