import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlArray, taskSchema, ValidationError } from '@autotraj/trajectory';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, describe, expect, it } from 'vitest';
import {
  evaluateArgs,
  evaluateGroupArgs,
  isEvaluateArgs,
  isEvaluateGroupArgs,
} from './evaluate/entry-input.js';
// The package's main entry, as a user imports it.
import {
  acceptRepair,
  checkPaperFormat,
  confidenceDimension,
  consistencyDimension,
  correctnessDimension,
  createEvaluator,
  createJudgeCache,
  createLlmJudge,
  createMathVerifyBackend,
  EvaluatorError,
  extractAnswers,
  formatDimension,
  isEquivalent,
  lengthDimension,
  normalizeQaAnswer,
  predictedAnswer,
  qaExactMatch,
  qaF1,
  qualityScore,
  repetitionDimension,
  selectCandidates,
  toolValidityDimension,
  verifyAnswer,
  verifyAnswerAsync,
} from './index.js';
import { stopComparisonWorker } from './verify/deadline.js';

afterAll(() => stopComparisonWorker());

// A task and a trajectory as a user writes them by hand: only the required fields.
const task = { id: 'q1', question: 'What is 6 * 7?' };
const trajectory = {
  id: 't1',
  taskId: 'q1',
  steps: [
    { type: 'think', text: 'Multiply.' },
    { type: 'tool-call', callId: 'c1', toolName: 'python', input: { code: 'print(6*7)' } },
    { type: 'tool-result', callId: 'c1', toolName: 'python', output: '42' },
    { type: 'answer', text: '\\boxed{42}', answer: '42' },
  ],
};

/** The call's typed error: class, code, the entry point and the field path in the message. */
function expectInvalid(call: () => unknown, entry: string, field: string): EvaluatorError {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(EvaluatorError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as EvaluatorError;
  expect(error.code).toBe('invalid_input');
  expect(error.message).toContain(`${entry}: ${field}:`);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
  expect((error.cause as ValidationError).issues[0]?.path).toBe(field);
  return error;
}

async function expectRejected(
  call: () => Promise<unknown>,
  entry: string,
  field: string,
): Promise<void> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expectInvalid(
    () => {
      if (error !== undefined) throw error;
    },
    entry,
    field,
  );
}

describe.each(['paper', 'autotraj'] as const)(
  'createEvaluator (%s preset) entry input',
  (preset) => {
    const evaluator = createEvaluator({ preset });

    it('scores a task given without its defaulted fields (was a TypeError inside dist)', async () => {
      const report = await evaluator.evaluate({ task, trajectory } as never);
      // No gold answer: correctness is unknown, never a crash on the missing goldAnswers.
      expect(report.correct).toBeNull();
      expect(report.trajectoryId).toBe('t1');
      expect(evaluator.evaluateSync({ task, trajectory } as never).trajectoryId).toBe('t1');
      const group = await evaluator.evaluateGroup({
        task: { ...task, goldAnswers: ['42'] },
        candidates: [trajectory, { ...trajectory, id: 't2' }],
      } as never);
      expect(group.reports.map((r) => r.correct)).toEqual([true, true]);
    });

    it('refuses a missing field, naming it', async () => {
      await expectRejected(
        () => evaluator.evaluate({ task: { id: 'q1' }, trajectory } as never),
        'evaluator.evaluate',
        'task.question',
      );
      const { steps: _steps, ...noSteps } = trajectory;
      await expectRejected(
        () => evaluator.evaluateGroup({ task, candidates: [trajectory, noSteps] } as never),
        'evaluator.evaluateGroup',
        'candidates[1].steps',
      );
      expectInvalid(
        () => evaluator.evaluateSync({ task } as never),
        'evaluator.evaluateSync',
        'trajectory',
      );
    });

    it('refuses a wrong type, naming the field', async () => {
      await expectRejected(
        () => evaluator.evaluate({ task: { ...task, goldAnswers: '42' }, trajectory } as never),
        'evaluator.evaluate',
        'task.goldAnswers',
      );
      const badStep = {
        ...trajectory,
        steps: trajectory.steps.map((s, i) => (i === 2 ? { ...s, output: 42 } : s)),
      };
      await expectRejected(
        () => evaluator.evaluate({ task, trajectory: badStep } as never),
        'evaluator.evaluate',
        'trajectory.steps[2].output',
      );
      expectInvalid(
        () => evaluator.evaluateSync({ task, trajectory, group: [trajectory, { id: 7 }] } as never),
        'evaluator.evaluateSync',
        'group[1].id',
      );
    });

    it('refuses an unknown argument or option key; ignores unknown record keys as the JSONL readers do', async () => {
      await expectRejected(
        () => evaluator.evaluate({ task, trajectory, gruop: [] } as never),
        'evaluator.evaluate',
        'gruop',
      );
      expectInvalid(
        () => createEvaluator({ preset, treshold: {} } as never),
        'createEvaluator',
        'options.treshold',
      );
      expectInvalid(
        () => createEvaluator({ preset, correctness: { answerKnd: 'qa' } } as never),
        'createEvaluator',
        'options.correctness.answerKnd',
      );
      // A task record with a field the contract does not know: read from a tasks file it is
      // dropped, so it is here too (same record in, same record scored).
      const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
      try {
        const extra = { ...task, goldAnswers: ['42'], difficulty: 'easy' };
        writeFileSync(join(dir, 'tasks.jsonl'), `${JSON.stringify(extra)}\n`);
        const [fromFile] = await readJsonlArray(join(dir, 'tasks.jsonl'), { schema: taskSchema });
        expect(fromFile).not.toHaveProperty('difficulty');
        const direct = await evaluator.evaluate({ task: extra, trajectory } as never);
        const viaFile = await evaluator.evaluate({ task: fromFile!, trajectory } as never);
        expect(direct).toEqual(viaFile);
        expect(direct.correct).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('acceptRepair checks the reports it is given', () => {
      const report = { correct: true, quality: 0.9, dimensions: {} };
      expect(() => evaluator.acceptRepair({ original: report, repaired: report })).not.toThrow();
      expectInvalid(
        () => evaluator.acceptRepair({ original: report, repaired: { correct: true } } as never),
        'evaluator.acceptRepair',
        'repaired.quality',
      );
      // The shared contract's request may carry more (trajectories, for rules that read them).
      const withMore = { original: report, repaired: report, repairedTrajectory: trajectory };
      expect(evaluator.acceptRepair(withMore as never)).toEqual(
        evaluator.acceptRepair({ original: report, repaired: report }),
      );
    });
  },
);

describe('acceptRepair entry input', () => {
  const report = { correct: false, quality: 0.5 };
  it('refuses a missing field, a wrong type and an unknown key', () => {
    expectInvalid(() => acceptRepair({ original: report } as never), 'acceptRepair', 'repaired');
    expectInvalid(
      () => acceptRepair({ original: report, repaired: { ...report, quality: '0.9' } } as never),
      'acceptRepair',
      'repaired.quality',
    );
    expectInvalid(
      () => acceptRepair({ original: report, repaired: report, threshold: {} } as never),
      'acceptRepair',
      'threshold',
    );
    expect(
      acceptRepair({ original: report, repaired: { correct: true, quality: 0.95 } }).accepted,
    ).toBe(true);
  });
});

describe('the hand-written argument checks agree with their schemas', () => {
  // Each may say no to a valid argument object (zod then parses it), never yes to one zod refuses.
  const values: unknown[] = [
    undefined,
    null,
    'x',
    0,
    [],
    ['a'],
    ['a', 1],
    // biome-ignore lint/suspicious/noSparseArray: a hole is one of the cases
    ['a', , 'b'],
    {},
    () => 1,
  ];
  const keys = ['task', 'trajectory', 'group', 'text', 'candidates', 'texts', 'gruop'];
  it('for every key set to every value, singly and in pairs', () => {
    let accepted = 0;
    const check = (input: Record<string, unknown>) => {
      for (const [guard, schema] of [
        [isEvaluateArgs, evaluateArgs],
        [isEvaluateGroupArgs, evaluateGroupArgs],
      ] as const) {
        if (!guard(input)) continue;
        accepted++;
        expect(schema.safeParse(input).success, JSON.stringify(input)).toBe(true);
      }
    };
    for (const a of keys)
      for (const va of values) {
        check({ task: {}, trajectory: {}, candidates: [], [a]: va });
        for (const b of keys) for (const vb of values) check({ task: {}, [a]: va, [b]: vb });
      }
    expect(accepted).toBeGreaterThan(50);
  });
});

describe('dimension functions and answer checks: entry input', () => {
  const gold = { ...task, goldAnswers: ['42'] };

  it('take records given without their defaulted fields', () => {
    // No finalAnswer: defaulted to null, so the answer comes from the answer step.
    const { finalAnswer: _f, ...noFinal } = { ...trajectory, finalAnswer: '42' };
    expect(predictedAnswer(noFinal as never)).toBe('42');
    expect(correctnessDimension(gold as never, noFinal as never).correct).toBe(true);
    expect(toolValidityDimension({ steps: trajectory.steps } as never).score).toBe(1);
    expect(consistencyDimension(trajectory as never).score).toBeGreaterThan(0);
    expect(verifyAnswer({ gold: '42', pred: 'so \\boxed{42}' }).equivalent).toBe(true);
  });

  it('refuse a missing field, naming it', async () => {
    expectInvalid(
      () => correctnessDimension({ goldAnswers: ['42'] } as never, trajectory as never),
      'correctnessDimension',
      'task.id',
    );
    expectInvalid(
      () => confidenceDimension({} as never),
      'confidenceDimension',
      'trajectory.steps',
    );
    expectInvalid(() => verifyAnswer({ gold: '42' } as never), 'verifyAnswer', 'options.pred');
    await expectRejected(
      () => verifyAnswerAsync({ pred: '42' } as never),
      'verifyAnswerAsync',
      'options.gold',
    );
  });

  it('refuse a wrong type, naming the field', () => {
    expectInvalid(
      () => toolValidityDimension({ steps: [{ type: 'think', text: 7 }] } as never),
      'toolValidityDimension',
      'trajectory.steps[0].text',
    );
    expectInvalid(() => checkPaperFormat(null as never), 'checkPaperFormat', 'text');
    expectInvalid(
      () => formatDimension('x', { maxToolCalls: '3' } as never),
      'formatDimension',
      'options.maxToolCalls',
    );
    expectInvalid(() => lengthDimension('10' as never, 5), 'lengthDimension', 'words');
    expectInvalid(() => repetitionDimension(['a', 1] as never), 'repetitionDimension', 'words[1]');
    expectInvalid(() => isEquivalent('1', 1 as never), 'isEquivalent', 'b');
    expectInvalid(
      () => verifyAnswer({ gold: ['42', 42], pred: '42' } as never),
      'verifyAnswer',
      'options.gold',
    );
  });

  it('refuse a misspelt option key', () => {
    expectInvalid(
      () => correctnessDimension(gold as never, trajectory as never, { answerKnd: 'qa' } as never),
      'correctnessDimension',
      'options.answerKnd',
    );
    expectInvalid(
      () => consistencyDimension(trajectory as never, { reexecute: false } as never),
      'consistencyDimension',
      'options.reexecute',
    );
    expectInvalid(
      () => verifyAnswer({ gold: '1', pred: '1', precison: 2 } as never),
      'verifyAnswer',
      'options.precison',
    );
    expectInvalid(
      () => isEquivalent('1', '1', { strcit: false } as never),
      'isEquivalent',
      'options.strcit',
    );
  });
});

describe('extractAnswers and the QA helpers: entry input', () => {
  it('work on their arguments as given', () => {
    expect(extractAnswers('so \\boxed{42}', { sources: ['boxed'] })[0]?.text).toBe('42');
    expect(normalizeQaAnswer('The  Eiffel Tower!')).toBe('eiffel tower');
    expect(qaExactMatch('the eiffel tower', ['Eiffel Tower', 'Paris'])).toBe(true);
    expect(qaF1('eiffel', 'Eiffel Tower')).toBeCloseTo(2 / 3);
  });

  it('refuse a missing argument, naming it', () => {
    expectInvalid(() => (extractAnswers as () => unknown)(), 'extractAnswers', 'input');
    expectInvalid(() => (normalizeQaAnswer as () => unknown)(), 'normalizeQaAnswer', 'text');
    expectInvalid(() => (qaF1 as (p: string) => unknown)('x'), 'qaF1', 'golds');
    expectInvalid(() => (qaExactMatch as () => unknown)(), 'qaExactMatch', 'pred');
  });

  it('refuse a wrong type, naming the field', () => {
    expectInvalid(
      () => extractAnswers('x', { sources: ['boxd'] } as never),
      'extractAnswers',
      'options.sources[0]',
    );
    expectInvalid(
      () => extractAnswers('x', { targets: 'latex' } as never),
      'extractAnswers',
      'options.targets',
    );
    expectInvalid(() => qaF1(42 as never, ['42']), 'qaF1', 'pred');
    // A list with a hole or a number is refused, not read as a shorter list.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
    expectInvalid(() => qaExactMatch('a', ['a', , 'b'] as never), 'qaExactMatch', 'golds');
    expectInvalid(() => qaF1('a', ['a', 1] as never), 'qaF1', 'golds');
  });

  it('refuse a misspelt option key', () => {
    expectInvalid(
      () => extractAnswers('x', { source: ['boxed'] } as never),
      'extractAnswers',
      'options.source',
    );
  });
});

describe('selectCandidates entry input', () => {
  const thresholds = { keepAll: 0.9, keepBest: 0.7, acceptLowQuality: 0.7, acceptWrongAnswer: 0.7 };
  const report = {
    trajectoryId: 't1',
    correct: true,
    quality: 0.95,
    dimensions: {},
    diagnostics: [],
  };

  it('selects on reports as the contract defines them; refuses a missing field, a wrong type and a misspelt option', () => {
    expect(selectCandidates([report], { thresholds })[0]?.action).toBe('keep');
    const { quality: _q, ...noQuality } = report;
    expectInvalid(
      () => selectCandidates([report, noQuality] as never, { thresholds }),
      'selectCandidates',
      'reports[1].quality',
    );
    expectInvalid(
      () => selectCandidates([report], { thresholds: { ...thresholds, keepAll: '0.9' } } as never),
      'selectCandidates',
      'options.thresholds.keepAll',
    );
    expectInvalid(
      () => selectCandidates([report], { thresholds, emtpy: new Set() } as never),
      'selectCandidates',
      'options.emtpy',
    );
  });
});

describe('judge, Math-Verify backend, judge cache and qualityScore: entry input', () => {
  let calls = 0;
  const model = () =>
    new MockLanguageModelV4({
      doGenerate: async () => {
        calls++;
        return {
          content: [
            {
              type: 'text',
              text: JSON.stringify({ reasoningQuality: 5, toolUse: 4, clarity: 5, issues: [] }),
            },
          ],
          finishReason: { unified: 'stop', raw: undefined },
          usage: {
            inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: 1, text: 1, reasoning: undefined },
          },
          warnings: [],
        };
      },
    });

  it('take a task and trajectory without their defaulted fields, and well-formed options', async () => {
    const judged = await createLlmJudge({ model: model(), temperature: 0 }).judge({
      task,
      trajectory,
    } as never);
    expect(judged.verdict.reasoningQuality).toBe(5);
    expect(
      qualityScore({ confidence: 1, length: 0 }, { confidence: 0.4, length: 0.6 }),
    ).toBeCloseTo(0.4);
    expect(createJudgeCache().size).toBe(0);
  });

  it('refuse a missing field, naming it', async () => {
    expectInvalid(() => createLlmJudge({} as never), 'createLlmJudge', 'options.model');
    const before = calls;
    await expectRejected(
      () => createLlmJudge({ model: model() }).judge({ task: { id: 'q1' }, trajectory } as never),
      'judge.judge',
      'task.question',
    );
    await expectRejected(
      () => createLlmJudge({ model: model() }).judge({ task } as never),
      'judge.judge',
      'trajectory',
    );
    expect(calls).toBe(before);
  });

  it('refuse a wrong type, naming the field', () => {
    expectInvalid(
      () => createLlmJudge({ model: model(), temperature: '0' } as never),
      'createLlmJudge',
      'options.temperature',
    );
    expectInvalid(
      () => createMathVerifyBackend({ poolSize: 0 }),
      'createMathVerifyBackend',
      'options.poolSize',
    );
    expectInvalid(
      () => createMathVerifyBackend({ executor: {} as never }),
      'createMathVerifyBackend',
      'options.executor',
    );
    expectInvalid(
      () => qualityScore({ length: '1' } as never, {}),
      'qualityScore',
      'scores.length',
    );
    expectInvalid(() => createJudgeCache({ file: 7 } as never), 'createJudgeCache', 'options.file');
  });

  it('refuse a misspelt key before anything is built, naming it', async () => {
    expectInvalid(
      () => createLlmJudge({ model: model(), temprature: 0 } as never),
      'createLlmJudge',
      'options.temprature',
    );
    // Refused before a Python pool is started.
    expectInvalid(
      () => createMathVerifyBackend({ timeout: 100 } as never),
      'createMathVerifyBackend',
      'options.timeout',
    );
    expectInvalid(
      () => qualityScore({ length: 1 }, { lenght: 1 } as never),
      'qualityScore',
      'weights.lenght',
    );
    await expectRejected(
      () => createLlmJudge({ model: model() }).judge({ task, trajectory, note: 1 } as never),
      'judge.judge',
      'note',
    );
  });
});
