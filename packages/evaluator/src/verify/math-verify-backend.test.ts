import { createPythonPool } from '@autotraj/tools';
import { tagCodec, taskSchema, trajectoryFromSteps } from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { EvaluatorError } from '../errors.js';
import { createEvaluator } from '../evaluate/create-evaluator.js';
import { createMathVerifyBackend } from './math-verify-backend.js';
import { verifyAnswerAsync } from './verify-answer.js';

// The real library, in the project venv (./dev sets AUTOTRAJ_PYTHON).
const backend = createMathVerifyBackend({ poolSize: 1 });
afterAll(() => backend.close());

describe('math-verify backend (Python Math-Verify in the tool pool)', () => {
  it("gives Math-Verify's verdicts, quirks included", async () => {
    const verdict = (gold: string, pred: string) =>
      verifyAnswerAsync({ gold, pred, backend }).then((r) => r.equivalent);
    expect(await verdict('$\\frac{1}{2}$', 'so the answer is $\\boxed{0.5}$')).toBe(true);
    expect(await verdict('$(0,9)$', '$[0,9)$')).toBe(false);
    // Where it differs from the built-in verifier: `5\,040` reads as 45, `\$20` in prose as nothing.
    expect(await verdict('$5040$', 'Hence the answer is $5\\,040$.')).toBe(false);
    expect(await verdict('$20$', 'She pays \\$20 in total.')).toBe(false);
    const result = await verifyAnswerAsync({
      gold: '$28\\%$',
      pred: 'The answer is $\\boxed{28}$.',
      backend,
    });
    expect(result).toMatchObject({
      equivalent: true,
      method: 'math-verify',
      extractedGold: ['28\\%'],
      extractedPred: ['28'],
      timedOut: false,
    });
  });

  it('passes the options on: match targets, precision and strict', async () => {
    const expr = await verifyAnswerAsync({
      gold: '1000.99',
      pred: '1,000.99m²',
      match: ['expr'],
      backend,
    });
    expect(expr.equivalent).toBe(true);
    const loose = await verifyAnswerAsync({
      gold: '$0.3333$',
      pred: '$1/3$',
      precision: 4,
      backend,
    });
    const tight = await verifyAnswerAsync({
      gold: '$0.3333$',
      pred: '$1/3$',
      precision: 6,
      backend,
    });
    expect([loose.equivalent, tight.equivalent]).toEqual([true, false]);
  });

  it('counts a comparison that overruns the pool limit as timed out, and keeps working', async () => {
    const pool = createPythonPool({ size: 1, preload: ['math_verify'] });
    const slow = createMathVerifyBackend({ executor: pool, timeoutMs: 1 });
    try {
      const result = await verifyAnswerAsync({ gold: '$1$', pred: '$1$', backend: slow });
      expect(result).toMatchObject({ equivalent: false, timedOut: true, method: 'math-verify' });
    } finally {
      await slow.close();
      await pool.close();
    }
    expect((await verifyAnswerAsync({ gold: '$1$', pred: '$1$', backend })).equivalent).toBe(true);
  });

  it('is selectable per evaluator; evaluateSync refuses it with a typed error', async () => {
    const task = taskSchema.parse({ id: 't', question: 'q', goldAnswers: ['$5040$'] });
    const trajectory = trajectoryFromSteps(
      tagCodec.parse(
        '<think>Add.</think>\n<answer>Hence the answer is $\\boxed{5\\,040}$.</answer>',
      ),
      { taskId: 't', id: 'a' },
    );
    const ours = createEvaluator({ preset: 'autotraj' });
    const theirs = createEvaluator({ preset: 'autotraj', correctness: { backend } });
    // The paper preset has its own checker: asking it for a backend is an error, not a no-op.
    expect(() => createEvaluator({ preset: 'paper', correctness: { backend } })).toThrow(
      /applies to the autotraj preset/,
    );
    expect((await ours.evaluate({ task, trajectory })).correct).toBe(true);
    const report = await theirs.evaluate({ task, trajectory });
    expect(report.correct).toBe(false);
    expect(report.dimensions.correctness?.diagnostics.map((d) => d.code)).toEqual([
      'correctness/wrong-answer',
    ]);
    let error: unknown;
    try {
      theirs.evaluateSync({ task, trajectory });
    } catch (caught) {
      error = caught;
    }
    expect(EvaluatorError.isInstance(error)).toBe(true);
    expect((error as EvaluatorError).code).toBe('async_backend');
  });

  it('rejects bad options with typed errors', () => {
    expect(() => createMathVerifyBackend({ timeoutMs: 0 })).toThrow(
      /timeoutMs must be a positive number/,
    );
  });
});
