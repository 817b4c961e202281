/**
 * Differential test: our verifier against Hugging Face Math-Verify itself (Python, pinned in
 * python/requirements.txt) on the generated corpus. Every disagreement must be listed in
 * disagreements.jsonl with a reason; a new one fails, and so does a listed one that is gone.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDataPath } from '../test-support/shared-data.js';
import { stopComparisonWorker } from '../verify/deadline.js';
import { verifyAnswer } from '../verify/verify-answer.js';
import { buildCorpus } from './corpus.js';
import { readDisagreements } from './disagreements.js';
import { runMathVerifyOracle } from './oracle.js';
import { checkPinnedAgreement } from './pinned-agreement.js';

afterAll(() => stopComparisonWorker());

const listFile = new URL('./disagreements.jsonl', import.meta.url);

describe('differential: @autotraj/evaluator vs Math-Verify on the generated corpus', () => {
  it('disagrees exactly on the pinned list', { timeout: 900_000 }, async () => {
    const corpus = buildCorpus({ benchmarksDir: sharedDataPath('benchmarks') });
    expect(corpus.length).toBeGreaterThanOrEqual(20_000);
    // Python starts first and works in its own processes while this thread runs ours.
    const oracle = runMathVerifyOracle(corpus, { processes: 2 });
    const ours = corpus.map(
      (pair) => verifyAnswer({ gold: pair.gold, pred: pair.pred, isolation: 'inline' }).equivalent,
    );
    const { verdicts } = await oracle;

    const pinned = readDisagreements(readFileSync(listFile, 'utf8'), 'disagreements.jsonl');
    const { disagreements, unexpected, gone } = checkPinnedAgreement(
      corpus,
      ours,
      verdicts,
      pinned,
    );
    const agreement = (corpus.length - disagreements) / corpus.length;
    console.log(
      `differential: ${corpus.length} pairs, ${corpus.length - disagreements} agree (${(100 * agreement).toFixed(2)}%), ${disagreements} pinned disagreements`,
    );
    // New disagreements, printed as lines to review and (with a reason) add to the list.
    for (const line of unexpected) console.log(`  new: ${line}`);
    expect(unexpected).toEqual([]);
    expect(gone).toEqual([]);
    expect(pinned.length / corpus.length).toBeLessThanOrEqual(0.01);
  });
});
