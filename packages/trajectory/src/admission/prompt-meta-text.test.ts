import { describe, expect, it } from 'vitest';
import { gsm8kModelSolutionTrajectories } from '../sources/gsm8k.js';
import { toraTrajectory } from '../sources/tora.js';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { findPromptMetaText, PROMPT_META_PHRASES } from './prompt-meta-text.js';

describe('PROMPT_META_PHRASES', () => {
  it('has unique ids, each naming the prompt it comes from', () => {
    const ids = PROMPT_META_PHRASES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const phrase of PROMPT_META_PHRASES) expect(phrase.from).not.toBe('');
  });

  it('finds each phrase once, in list order, and not when the question holds it', () => {
    const text =
      'To fix the flawed trajectory, see the evaluator diagnostics: [tool/error] and quality score 0.5.';
    expect(findPromptMetaText(text).map((m) => m.id)).toEqual([
      'to-fix-the',
      'qualified-trajectory',
      'evaluator',
      'diagnostics',
      'quality-score',
      'diagnostic-code',
    ]);
    expect(
      findPromptMetaText('The evaluator scored 3 essays.', {
        question: 'An evaluator scores essays. How many are left?',
      }),
    ).toEqual([]);
  });

  it('finds nothing in any real solution of shared/data (GSM8K train and model solutions, ToRA)', () => {
    const texts: string[] = [];
    const stepTexts = (steps: ReadonlyArray<{ type: string; text?: string }>) =>
      steps.flatMap((s) => (s.type === 'think' || s.type === 'answer' ? [s.text ?? ''] : []));
    for (const record of readSharedJsonl('gsm8k/train.jsonl'))
      texts.push((record as { answer: string }).answer);
    for (const record of readSharedJsonl('gsm8k/model-solutions.dev.jsonl'))
      for (const { trajectory } of gsm8kModelSolutionTrajectories(record).solutions)
        texts.push(...stepTexts(trajectory.steps));
    for (const record of readSharedJsonl('tora/gsm8k.dev.jsonl'))
      texts.push(...stepTexts(toraTrajectory(record).trajectory.steps));
    expect(texts.length).toBeGreaterThan(10_000);
    const found = texts.flatMap((text) => findPromptMetaText(text).map((m) => `${m.id}: ${text}`));
    expect(found).toEqual([]);
  });
});
