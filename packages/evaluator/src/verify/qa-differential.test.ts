import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paperRefValues } from '../test-support/paper-ref.js';
import { sharedDataPath } from '../test-support/shared-data.js';
import { normalizeQaAnswer, qaExactMatch } from './qa.js';

// The oracle is the paper's `normalize_answer` (../shared/reference/paper_ref.py), which is
// SQuAD's normalisation in SQuAD's order. Inputs: every question and answer of the four shipped
// multi-hop QA test sets (real punctuation, numbers, accents, other scripts) and edge cases.
const QA_SETS = ['hotpotqa', '2wikimultihopqa', 'musique', 'bamboogle'];
const realTexts = QA_SETS.flatMap((name) =>
  readFileSync(sharedDataPath(`benchmarks/${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      const row = JSON.parse(line) as { question: string; answer: string };
      return [row.question, row.answer];
    }),
);
const edgeCases = [
  'N.Y.C.',
  '1.95 m',
  '1,000',
  "don't",
  'Jean-Paul Sartre',
  'The The',
  'a an the',
  'théâtre the end',
  'Ωthe',
  'the_end',
  'São Paulo – “the” city',
  'l’Oréal',
  '½ of \\frac{1}{2}',
  'tab\there\u00a0nbsp\u2003em\u3000ideographic',
  '\u001cfile separator',
  'ÉCOLE ΣΊΣΥΦΟΣ İstanbul',
  '',
  '   ',
  '!!!',
];

describe('normalizeQaAnswer is SQuAD normalisation exactly', () => {
  it('equals the reference on every real QA question and answer and the edge cases', () => {
    const texts = [...realTexts, ...edgeCases];
    expect(realTexts.length).toBe(2 * (200 + 200 + 200 + 125));
    const reference = paperRefValues(
      texts.map((text) => ({ fn: 'normalize_answer', args: [text] })),
    );
    const differences = texts
      .map((text, i) => ({ text, ours: normalizeQaAnswer(text), reference: reference[i] }))
      .filter((d) => d.ours !== d.reference);
    expect(differences).toEqual([]);
  });

  it('deletes punctuation rather than splitting on it, so exact match agrees with SQuAD', () => {
    expect(normalizeQaAnswer('1.95 m')).toBe('195 m');
    expect(qaExactMatch('NYC', 'N.Y.C.')).toBe(true);
    expect(qaExactMatch('Jean Paul', 'Jean-Paul')).toBe(false);
  });
});
