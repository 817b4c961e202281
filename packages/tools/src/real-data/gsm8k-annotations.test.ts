import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../test-support/shared-data.js';
import { checkGsm8kAnnotations } from './gsm8k-annotations.js';

describe('calculator over every GSM8K annotation in the model solutions', () => {
  it('confirms the right recorded results and finds the wrong ones', async () => {
    const report = await checkGsm8kAnnotations({
      path: sharedDataPath('gsm8k/model-solutions.dev.jsonl'),
    });
    // Measured: 8,326 annotations; 8,287 confirmed, 25 recorded results wrong, 14 not arithmetic.
    expect(report).toMatchObject({ total: 8326, confirmed: 8287, wrong: 25, unevaluable: 14 });
    const wrong = report.checks.filter((c) => c.verdict === 'wrong');
    expect(wrong).toContainEqual(
      expect.objectContaining({
        expression: '15*100000*(1+.5)',
        recorded: '1700000',
        computed: '2250000',
      }),
    );
    expect(wrong).toContainEqual(
      expect.objectContaining({
        expression: '250+150+1,050+180',
        recorded: '2180',
        computed: '1630',
      }),
    );
    // Unevaluable ones are variables and words, never silently counted as confirmed.
    const unevaluable = report.checks.filter((c) => c.verdict === 'unevaluable');
    expect(unevaluable.map((c) => c.expression)).toContain('13-4*x');
    expect(unevaluable.every((c) => /^(UndefinedSymbol|SyntaxError)/.test(c.computed))).toBe(true);
  });
});
