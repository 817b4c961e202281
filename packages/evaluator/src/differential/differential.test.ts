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
    const byId = new Map(pinned.map((entry) => [entry.id, entry]));
    const unexpected: string[] = [];
    const found = new Set<string>();
    corpus.forEach((pair, index) => {
      const mathVerify = verdicts[index]!.equivalent;
      if (ours[index] === mathVerify) return;
      found.add(pair.id);
      const entry = byId.get(pair.id);
      if (entry === undefined || entry.mathVerify !== mathVerify || entry.ours !== ours[index])
        unexpected.push(
          JSON.stringify({
            id: pair.id,
            mathVerify,
            ours: ours[index],
            kind: 'open',
            reason: '?',
            gold: pair.gold,
            pred: pair.pred,
          }),
        );
    });
    const gone = pinned.filter((entry) => !found.has(entry.id)).map((entry) => entry.id);
    const agreement = (corpus.length - found.size) / corpus.length;
    console.log(
      `differential: ${corpus.length} pairs, ${corpus.length - found.size} agree (${(100 * agreement).toFixed(2)}%), ${found.size} pinned disagreements`,
    );
    // New disagreements, printed as lines to review and (with a reason) add to the list.
    for (const line of unexpected) console.log(`  new: ${line}`);
    expect(unexpected).toEqual([]);
    expect(gone).toEqual([]);
    expect(pinned.length / corpus.length).toBeLessThanOrEqual(0.01);
  });
});
