import { afterAll, describe, expect, it } from 'vitest';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { stopComparisonWorker } from './deadline.js';
import type { ExtractionTarget } from './extract.js';
import { verifyAnswer } from './verify-answer.js';

interface MathVerifyCase {
  group: string;
  gold: string;
  pred: string;
  expected: boolean;
  match: ExtractionTarget[];
  precision: number;
  strict?: boolean;
  allowSetRelationComp?: boolean;
}

afterAll(() => stopComparisonWorker());

/** Cases whose verdict differs from Math-Verify's expected one (none today); a new one fails. */
const KNOWN_DISAGREEMENTS: string[] = [];

describe('Math-Verify test cases (shared/data/math-verify/cases.dev.jsonl)', () => {
  it('agrees with the expected verdict on every case but the pinned ones', () => {
    const cases = readSharedJsonl('math-verify/cases.dev.jsonl') as MathVerifyCase[];
    expect(cases).toHaveLength(139);
    const disagreements: string[] = [];
    cases.forEach((testCase, index) => {
      const result = verifyAnswer({
        gold: testCase.gold,
        pred: testCase.pred,
        match: testCase.match,
        precision: testCase.precision,
        ...(testCase.strict === undefined ? {} : { strict: testCase.strict }),
        ...(testCase.allowSetRelationComp === undefined
          ? {}
          : { allowSetRelationComp: testCase.allowSetRelationComp }),
      });
      if (result.equivalent !== testCase.expected) {
        disagreements.push(
          `#${index} ${testCase.group}: expected ${testCase.expected}, got ${result.equivalent} (${result.method}${result.timedOut ? ', timed out' : ''}); gold ${JSON.stringify(result.extractedGold)} pred ${JSON.stringify(result.extractedPred)}`,
        );
      }
    });
    const agreement = (cases.length - disagreements.length) / cases.length;
    console.log(
      `Math-Verify agreement: ${cases.length - disagreements.length}/${cases.length} (${(agreement * 100).toFixed(1)}%)`,
    );
    for (const line of disagreements) console.log(`  disagreement ${line}`);
    expect(disagreements).toEqual(KNOWN_DISAGREEMENTS);
  });
});
