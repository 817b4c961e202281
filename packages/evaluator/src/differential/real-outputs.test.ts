/**
 * Agreement with Hugging Face Math-Verify on real model outputs: whole solutions (GSM8K model
 * solutions ending in `A: x` without a box, ToRA tool-integrated solutions, SmolLM2's no-tool
 * chain of thought), gold against the full text; and each solution against the answer this
 * verifier extracts from it, so any solution where Math-Verify extracts something else shows,
 * right or wrong. Every disagreement is pinned in real-output-disagreements.jsonl with its
 * reason; a new one fails, and so does a pinned one that went away.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvaluatorError } from '../errors.js';
import { sharedDataDir } from '../test-support/shared-data.js';
import { stopComparisonWorker } from '../verify/deadline.js';
import { verifyAnswer } from '../verify/verify-answer.js';
import { readDisagreements } from './disagreements.js';
import { runMathVerifyOracle } from './oracle.js';
import { checkPinnedAgreement } from './pinned-agreement.js';
import { buildRealOutputCorpus, extractionPairs } from './real-outputs.js';

afterAll(() => stopComparisonWorker());

const listFile = new URL('./real-output-disagreements.jsonl', import.meta.url);

describe('agreement with Math-Verify on real model outputs', () => {
  it('disagrees exactly on the pinned list', { timeout: 600_000 }, async () => {
    const solutions = buildRealOutputCorpus({ dataDir: sharedDataDir });
    // 660 GSM8K problems x 4 model solutions, 1,320 ToRA solutions, 27 SmolLM2 answers.
    const count = (family: string) => solutions.filter((pair) => pair.family === family).length;
    expect([count('gsm8k-model-solution'), count('tora-solution'), count('smollm2-cot')]).toEqual([
      2640, 1320, 27,
    ]);
    const extracted = extractionPairs(solutions);
    // One SmolLM2 answer names no value at all ("the one who runs the fastest").
    expect(extracted).toHaveLength(solutions.length - 1);
    const corpus = [...solutions, ...extracted];
    const oracle = runMathVerifyOracle(corpus, { processes: 2 });
    const ours = corpus.map(
      (pair) => verifyAnswer({ gold: pair.gold, pred: pair.pred, isolation: 'inline' }).equivalent,
    );
    const { verdicts } = await oracle;
    const pinned = readDisagreements(
      readFileSync(listFile, 'utf8'),
      'real-output-disagreements.jsonl',
    );
    const { disagreements, unexpected, gone } = checkPinnedAgreement(
      corpus,
      ours,
      verdicts,
      pinned,
    );
    console.log(
      `real outputs: ${solutions.length} solutions and ${extracted.length} extraction pairs, ${corpus.length - disagreements} of ${corpus.length} agree with Math-Verify, ${disagreements} pinned disagreements`,
    );
    for (const line of unexpected) console.log(`  new: ${line}`);
    expect(unexpected).toEqual([]);
    expect(gone).toEqual([]);
  });

  it('names the file, line and field of a reference solution without its final answer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-real-outputs-'));
    try {
      mkdirSync(join(dir, 'gsm8k'));
      mkdirSync(join(dir, 'tora'));
      const row = (answer: string) =>
        JSON.stringify({
          index: 0,
          answer,
          '6b_finetuning': { is_correct: true, solution: 'So 2 + 2 = 4.\nA: 4' },
        });
      writeFileSync(
        join(dir, 'gsm8k', 'model-solutions.dev.jsonl'),
        `${row('2 + 2 = 4\nA: 4')}\n${row('2 + 2 = 4, no final line')}\n`,
      );
      writeFileSync(join(dir, 'tora', 'gsm8k.dev.jsonl'), '');
      let caught: unknown;
      try {
        buildRealOutputCorpus({ dataDir: dir });
      } catch (error) {
        caught = error;
      }
      expect(EvaluatorError.isInstance(caught)).toBe(true);
      expect(caught).toMatchObject({ code: 'invalid_fixture' });
      expect((caught as Error).message).toContain('model-solutions.dev.jsonl:2: field "answer"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
