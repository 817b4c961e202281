import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goldArb, samples, textArb, trajectoryArb } from '../test-support/paper-arbitraries.js';
import { type PaperRefCall, paperRefValues } from '../test-support/paper-ref.js';
import {
  paperAcceptCorrectAnswerRepair,
  paperAcceptWrongAnswerRepair,
  paperRepairAnswerCorrect,
} from './accept.js';
import { paperIsMathCorrect, paperIsQaCorrect, paperSelectionQaF1 } from './correctness.js';
import { pyRound } from './python-text.js';
import { paperScoreParts, paperWordCount } from './quality.js';
import { paperPipeline, paperSelectItem } from './selection.js';

/** Compare ours with paper_ref on every sample; returns the list of differences (must be empty). */
function differential<T>(
  cases: ReadonlyArray<T>,
  call: (c: T) => PaperRefCall,
  compare: (c: T, ref: unknown) => string | null,
): string[] {
  const refs = paperRefValues(cases.map(call));
  return cases.flatMap((c, i) => {
    const problem = compare(c, refs[i]);
    return problem === null ? [] : [`${problem} on ${JSON.stringify(c).slice(0, 400)}`];
  });
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9;
const texts = [...samples(textArb, 1500, 13), ...samples(trajectoryArb, 1500, 17)];

describe('paper rules on generated edge cases (fixed seeds)', () => {
  it('C, L, E and quality; word counts', () => {
    const cases = texts.map((text, i) => ({
      text,
      ideal: i % 3 === 0 ? paperWordCount(text) : i % 37,
    }));
    const differences = differential(
      cases,
      (c) => ({ fn: 'score_parts', args: [c.text, c.ideal] }),
      (c, ref) => {
        const r = ref as Record<string, number>;
        const m = paperScoreParts(c.text, c.ideal);
        if (m.words !== r.words) return `words ${m.words} vs ${r.words}`;
        if (!close(m.confidence, r.confidence!)) return `C ${m.confidence} vs ${r.confidence}`;
        if (!close(m.length, r.length!)) return `L ${m.length} vs ${r.length}`;
        if (!close(m.repetition, r.repetition!)) return `E ${m.repetition} vs ${r.repetition}`;
        return close(m.score, r.score!) ? null : `quality ${m.score} vs ${r.score}`;
      },
    );
    expect(differences).toEqual([]);
  });

  it('selection decisions and rounded scores, including scores next to 0.86 and 0.9', () => {
    const groups = samples(
      fc.array(fc.oneof(textArb, trajectoryArb), { minLength: 1, maxLength: 4 }),
      800,
      19,
    );
    // Distinct-word texts of chosen lengths: quality 0.7 + 0.3 L sweeps across both thresholds.
    const words = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');
    for (let a = 6; a <= 240; a += 3)
      for (let b = a; b <= a * 1.6; b += 1 + Math.floor(a / 40))
        groups.push([words(a, 'x'), words(b, 'y')]);
    const differences = differential(
      groups,
      (g) => ({ fn: 'select_item', args: [g] }),
      (g, ref) => {
        const r = ref as Array<{
          raw: number;
          stored: number;
          ideal_len: number;
          decision: string;
        }>;
        const m = paperSelectItem(g);
        for (let i = 0; i < g.length; i++) {
          if (m[i]!.decision !== r[i]!.decision)
            return `decision ${i}: ${m[i]!.decision} vs ${r[i]!.decision}`;
          if (m[i]!.stored !== r[i]!.stored)
            return `stored ${i}: ${m[i]!.stored} vs ${r[i]!.stored}`;
          if (m[i]!.idealLength !== r[i]!.ideal_len) return `ideal ${i}`;
          if (!close(m[i]!.score, r[i]!.raw)) return `raw ${i}`;
        }
        return null;
      },
    );
    expect(differences).toEqual([]);
    expect(groups.length).toBeGreaterThan(1500);
  });

  it('round(x, 4): exact ties go to even, everything else to the nearest', () => {
    const values = [
      ...Array.from({ length: 64 }, (_, i) => i / 32),
      ...samples(fc.double({ min: 0, max: 1, noNaN: true }), 2000, 23),
      ...samples(fc.integer({ min: 0, max: 20000 }), 2000, 29).flatMap((k) => [
        (k + 0.5) / 1e4,
        (k + 0.5) / 1e4 + Number.EPSILON,
        (k + 0.5) / 1e4 - Number.EPSILON,
      ]),
    ];
    const differences = differential(
      values,
      (x) => ({ fn: 'round', args: [x, 4] }),
      (x, ref) => (pyRound(x, 4) === ref ? null : `${pyRound(x, 4)} vs ${ref}`),
    );
    expect(differences).toEqual([]);
  });

  it('answer correctness (math and QA), the ac / aw split, and repair acceptance', () => {
    const cases = samples(
      fc.record({
        gold: goldArb,
        texts: fc.array(trajectoryArb, { minLength: 1, maxLength: 4 }),
        kind: fc.constantFrom('math', 'qa'),
        stored: fc.constantFrom(0, 0.5, 0.86, 0.8601, 0.9, 0.95, 1),
      }),
      1200,
      31,
    );
    const refs = paperRefValues(
      cases.flatMap((c) => [
        { fn: 'paper_pipeline', args: [c.gold, c.texts, c.kind] },
        { fn: 'is_math_correct', args: [c.gold, c.texts[0]] },
        { fn: 'is_qa_correct', args: [c.gold, c.texts[0]] },
        { fn: 'qa_f1', args: [c.texts[0], c.gold] },
        { fn: 'is_answer_correct', args: [c.gold, c.texts[0]] },
        {
          fn: 'accept_ac_repair',
          args: [c.gold, c.texts[c.texts.length - 1], c.stored, c.texts[0]],
        },
        { fn: 'accept_aw_repair', args: [c.gold, c.texts[0]] },
      ]),
    );
    const differences: string[] = [];
    cases.forEach((c, i) => {
      const [pipeline, math, qa, f1, repairCorrect, ac, aw] = refs.slice(i * 7, i * 7 + 7) as [
        Array<{ correct: boolean; decision: string; stored: number | null }>,
        boolean,
        boolean,
        number,
        boolean,
        { accepted: boolean; score: number; ideal_len: number },
        { accepted: boolean; score: number; ideal_len: number },
      ];
      const where = `case ${i} ${JSON.stringify(c).slice(0, 300)}`;
      const mine = paperPipeline({
        texts: c.texts,
        gold: c.gold,
        taskType: c.kind as 'math' | 'qa',
      });
      mine.forEach((m, k) => {
        if (
          m.correct !== pipeline[k]!.correct ||
          m.decision !== pipeline[k]!.decision ||
          m.stored !== pipeline[k]!.stored
        )
          differences.push(
            `pipeline ${k}: ${JSON.stringify(m)} vs ${JSON.stringify(pipeline[k])} ${where}`,
          );
      });
      const t = c.texts[0]!;
      if (paperIsMathCorrect(c.gold, t) !== math) differences.push(`math ${where}`);
      if (paperIsQaCorrect(c.gold, t) !== qa) differences.push(`qa ${where}`);
      if (!close(paperSelectionQaF1(t, c.gold), f1)) differences.push(`qa_f1 ${where}`);
      if (paperRepairAnswerCorrect(c.gold, t) !== repairCorrect)
        differences.push(`repair-correct ${where}`);
      const myAc = paperAcceptCorrectAnswerRepair({
        gold: c.gold,
        original: c.texts[c.texts.length - 1]!,
        originalStored: c.stored,
        repaired: t,
      });
      const myAw = paperAcceptWrongAnswerRepair({ gold: c.gold, repaired: t });
      if (
        myAc.accepted !== ac.accepted ||
        !close(myAc.score, ac.score) ||
        myAc.idealLength !== ac.ideal_len
      )
        differences.push(`ac ${JSON.stringify(myAc)} vs ${JSON.stringify(ac)} ${where}`);
      if (
        myAw.accepted !== aw.accepted ||
        !close(myAw.score, aw.score) ||
        myAw.idealLength !== aw.ideal_len
      )
        differences.push(`aw ${JSON.stringify(myAw)} vs ${JSON.stringify(aw)} ${where}`);
    });
    expect(differences).toEqual([]);
  });
});
