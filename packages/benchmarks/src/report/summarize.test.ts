import { describe, expect, it } from 'vitest';
import type { EvalManifest, EvalRecord } from '../run/records.js';
import { compareEvals, comparisonMarkdown } from './compare.js';
import { resultsMarkdown } from './markdown.js';
import { evalComparisonSchema, evalResultsSchema } from './results-schema.js';
import { summarizeEval } from './summarize.js';

function manifest(n: number, benchmarks: EvalManifest['benchmarks']): EvalManifest {
  return {
    kind: 'eval',
    model: { name: 'vllm:test', mode: 'live' },
    settings: {
      protocol: 'text-tags',
      n,
      temperature: n > 1 ? 0.7 : 0,
      seed: 0,
      maxToolCalls: 3,
      maxTokens: null,
      tools: { math: ['python'], qa: ['search'] },
      search: { kind: 'bm25', source: 'corpus.jsonl' },
      mathChecker: 'builtin',
    },
    benchmarks,
    counts: { expected: 0, done: 0, failed: 0 },
    versions: {},
    startedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

function record(
  benchmark: string,
  questionId: string,
  sample: number,
  correct: boolean,
  extra: Partial<EvalRecord['verdict']> = {},
): EvalRecord {
  return {
    benchmark,
    questionId,
    sample,
    question: `q ${questionId}`,
    goldAnswers: ['1'],
    trajectory: {
      id: `t-${benchmark}-${questionId}-${sample}`,
      taskId: questionId,
      steps: [],
      finalAnswer: null,
      provenance: {},
      metadata: {},
    },
    verdict: {
      correct,
      extractedAnswer: correct ? '1' : '2',
      toolCalls: 1,
      toolErrors: 0,
      formatViolations: 0,
      outputTokens: 10,
      ms: 100,
      ...extra,
    },
  };
}

describe('summarizeEval: tool use the model only wrote', () => {
  it('counts samples with a call written as text and samples with tool output the model made up', () => {
    const m = manifest(1, [{ name: 'gsm8k-test', kind: 'math', source: 'x', questions: 3 }]);
    const withSteps = (id: string, steps: EvalRecord['trajectory']['steps']): EvalRecord => {
      const r = record('gsm8k-test', id, 0, false);
      return { ...r, trajectory: { ...r.trajectory, steps, metadata: { tools: ['python'] } } };
    };
    const records = [
      // Offered native tools, the model wrote the call as a fenced block and stated its output.
      withSteps('a', [
        { type: 'think', text: 'Compute it.\n```python\nprint(6 * 7)\n```\n```output\n42\n```' },
        { type: 'answer', text: '\\boxed{42}', answer: '42' },
      ]),
      // A <result> in reasoning that no call produced.
      withSteps('b', [
        { type: 'think', text: 'So 6 * 7 gives <result>42</result>.' },
        { type: 'answer', text: '\\boxed{42}', answer: '42' },
      ]),
      withSteps('c', [{ type: 'answer', text: '\\boxed{42}', answer: '42' }]),
    ];
    const [b] = summarizeEval(records, m).benchmarks;
    expect(b!.samplesWithTextFormToolCalls).toBe(1);
    expect(b!.samplesWithFabricatedToolOutput).toBe(2);
    expect(resultsMarkdown(summarizeEval(records, m))).toContain(
      '| text-form calls | made-up output |',
    );
  });
});

describe('summarizeEval', () => {
  const m = manifest(1, [
    { name: 'gsm8k-test', kind: 'math', source: 'x', questions: 4 },
    { name: 'bamboogle', kind: 'qa', source: 'y', questions: 2 },
  ]);
  const records = [
    record('gsm8k-test', 'a', 0, true),
    record('gsm8k-test', 'b', 0, false, { toolErrors: 1, formatViolations: 2 }),
    record('gsm8k-test', 'c', 0, true, { toolCalls: 3 }),
    record('bamboogle', 'x', 0, true, { em: 1, f1: 1 }),
    record('bamboogle', 'y', 0, false, { em: 0, f1: 0.5, extractedAnswer: null }),
  ];

  it('gives accuracy, EM/F1 and costs per benchmark, marking an unfinished benchmark partial', () => {
    const results = summarizeEval(records, m);
    expect(results.benchmarks.map((b) => b.benchmark)).toEqual(['gsm8k-test', 'bamboogle']);
    const [math, qa] = results.benchmarks;
    expect(math).toMatchObject({
      questions: 3,
      expectedQuestions: 4,
      complete: false,
      samples: 3,
      correctSamples: 2,
      toolErrors: 1,
      formatViolations: 2,
      samplesWithFormatViolations: 1,
    });
    expect(math!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(math!.toolCallsPerSample).toBeCloseTo(5 / 3, 12);
    expect(math!.em).toBeUndefined();
    expect(qa).toMatchObject({ complete: true, accuracy: 0.5, em: 0.5, f1: 0.75, answered: 0.5 });
    const md = resultsMarkdown(results);
    expect(md).toContain('| gsm8k-test (partial) | 3/4 | 66.7 |  |  |');
    expect(md).toContain('| bamboogle | 2 | 50.0 | 50.0 | 75.0 |');
  });

  it('does not depend on record order (merged shards summarise like one run) and refuses duplicates', () => {
    const shuffled = [records[3]!, records[1]!, records[4]!, records[0]!, records[2]!];
    expect(summarizeEval(shuffled, m)).toEqual(summarizeEval(records, m));
    expect(() => summarizeEval([...records, records[0]!], m)).toThrow(
      /two records for benchmark gsm8k-test, question a, sample 0/,
    );
  });

  it('writes results that the results.json schema reads back whole (no field it does not know)', () => {
    // The schema strips keys it lacks: a field summarizeEval added without it would be lost.
    for (const results of [summarizeEval(records, m), summarizeEval([], m)])
      expect(evalResultsSchema.parse(JSON.parse(JSON.stringify(results)))).toEqual(results);
  });

  it('reports pass@k and maj@n when n > 1', () => {
    const m4 = manifest(4, [{ name: 'aime24', kind: 'math', source: 'x', questions: 2 }]);
    const rs = [
      // q1: 1 of 4 correct; the majority answer "2" is wrong
      record('aime24', 'q1', 0, false),
      record('aime24', 'q1', 1, true),
      record('aime24', 'q1', 2, false),
      record('aime24', 'q1', 3, false),
      // q2: 3 of 4 correct
      record('aime24', 'q2', 3, true),
      record('aime24', 'q2', 0, true),
      record('aime24', 'q2', 2, false),
      record('aime24', 'q2', 1, true),
    ];
    const [b] = summarizeEval(rs, m4).benchmarks;
    expect(b!.complete).toBe(true);
    expect(b!.accuracy).toBeCloseTo((0.25 + 0.75) / 2, 12);
    // pass@1 = c/n; pass@2: q1 1 - C(3,2)/C(4,2) = 0.5, q2 1
    expect(b!.passAtK!['1']).toBeCloseTo(0.5, 12);
    expect(b!.passAtK!['2']).toBeCloseTo(0.75, 12);
    expect(b!.passAtK!['4']).toBe(1);
    expect(b!.majAtK).toEqual({ '4': 0.5 });
    expect(resultsMarkdown(summarizeEval(rs, m4))).toContain('pass@2 %');
  });
});

describe('compareEvals', () => {
  it('pairs runs over the shared question ids and renders deltas with intervals', () => {
    const m = manifest(1, [{ name: 'gsm8k-test', kind: 'math', source: 'x', questions: 4 }]);
    const base = ['a', 'b', 'c', 'd'].map((id, i) => record('gsm8k-test', id, 0, i === 0));
    const better = ['a', 'b', 'c'].map((id) => record('gsm8k-test', id, 0, true));
    const comparison = compareEvals(
      [
        { label: 'base', manifest: m, records: base },
        { label: 'sft', manifest: m, records: better },
      ],
      { seed: 1, resamples: 1000 },
    );
    const [b] = comparison.benchmarks;
    expect(b!.sharedQuestions).toBe(3);
    expect(b!.runs[0]).toMatchObject({ label: 'base', ownQuestions: 4, ownAccuracy: 0.25 });
    expect(b!.runs[0]!.accuracy).toBeCloseTo(1 / 3, 12);
    expect(b!.runs[1]!.delta!.delta).toBeCloseTo(2 / 3, 12);
    const md = comparisonMarkdown(comparison);
    expect(md).toContain('| gsm8k-test | 3 | 33.3 | 100.0 | +66.7 [');
    expect(md).toContain('1000 resamples, seed 1, 95% percentile interval');
    // What each run did, on the paired questions only (base's fourth question is left out).
    expect(b!.runs[0]!.behaviour).toEqual({
      samples: 3,
      correct: 1,
      inFormat: 3,
      toolCallsPerSample: 1,
      samplesWithoutToolCalls: 0,
      toolErrors: 0,
      samplesWithToolErrors: 0,
      outputTokensPerSample: 10,
    });
    expect(md).toContain('| gsm8k-test | base | 1/3 | 3/3 | 1.00 | 0 | 0 (0) | 10 |');
    expect(evalComparisonSchema.parse(JSON.parse(JSON.stringify(comparison)))).toEqual(comparison);
    const sloppy = compareEvals([
      { label: 'base', manifest: m, records: base },
      {
        label: 'sloppy',
        manifest: m,
        records: [
          record('gsm8k-test', 'a', 0, true, { toolErrors: 2, outputTokens: 30 }),
          record('gsm8k-test', 'b', 0, false, { toolCalls: 0, formatViolations: 1 }),
          record('gsm8k-test', 'c', 0, true, { toolCalls: 2, toolErrors: 1, outputTokens: 20 }),
        ],
      },
    ]);
    expect(comparisonMarkdown(sloppy)).toContain(
      '| gsm8k-test | sloppy | 2/3 | 2/3 | 1.00 | 1 | 3 (2) | 20 |',
    );
    // A comparison saved (`--json`) before the behaviour was recorded still renders its deltas.
    const older = {
      ...comparison,
      benchmarks: comparison.benchmarks.map((bench) => ({
        ...bench,
        runs: bench.runs.map(({ behaviour: _, ...run }) => run),
      })),
    };
    const olderMd = comparisonMarkdown(older);
    expect(olderMd).toContain('| gsm8k-test | 3 | 33.3 | 100.0 | +66.7 [');
    expect(olderMd).not.toContain('tool calls / sample');
    expect(() => compareEvals([{ label: 'one', manifest: m, records: base }])).toThrow(
      /at least two/,
    );
  });
});
