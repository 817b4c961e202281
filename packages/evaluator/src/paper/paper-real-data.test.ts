import { describe, expect, it } from 'vitest';
import { type PaperRefCall, paperRefValues } from '../test-support/paper-ref.js';
import { paperVariants, type RealQuestion, realQuestions } from '../test-support/paper-variants.js';
import { paperAcceptCorrectAnswerRepair, paperAcceptWrongAnswerRepair } from './accept.js';
import { paperIsQaCorrect } from './correctness.js';
import { paperScoreParts, paperWordCount } from './quality.js';
import { paperPipeline } from './selection.js';

interface RefPipelineEntry {
  correct: boolean;
  decision: string;
  raw: number | null;
  stored: number | null;
  ideal_len: number | null;
  group_size: number;
}
interface RefParts {
  confidence: number;
  length: number;
  repetition: number;
  score: number;
  words: number;
  ideal_len: number;
}
interface RefAccept {
  accepted: boolean;
  correct: boolean;
  score: number;
  ideal_len: number;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9;

/**
 * Every real dev trajectory (GSM8K model solutions and ToRA, in four presentations) through
 * paper_ref.py and through our implementation: any difference fails, listed.
 */
describe.each(paperVariants)('paper rules on all real dev data, %s variant', (variant) => {
  const questions: RealQuestion[] = realQuestions(variant);
  const texts = questions.flatMap((q) => q.texts);

  it('selection: correctness, C / L / E, quality, rounded score, ideal length and decision', () => {
    const pipelineCalls: PaperRefCall[] = questions.map((q) => ({
      fn: 'paper_pipeline',
      args: [q.gold, q.texts, 'math'],
    }));
    // Parts for every text (wrong ones too) against its question's shortest text.
    const partCalls: PaperRefCall[] = questions.flatMap((q) => {
      const ideal = Math.min(...q.texts.map(paperWordCount));
      return q.texts.map((text) => ({ fn: 'score_parts', args: [text, ideal] }));
    });
    const qaCalls: PaperRefCall[] = questions.flatMap((q) =>
      q.texts.map((text) => ({ fn: 'is_qa_correct', args: [q.gold, text] })),
    );
    const out = paperRefValues([...pipelineCalls, ...partCalls, ...qaCalls]);
    const refPipelines = out.slice(0, pipelineCalls.length) as RefPipelineEntry[][];
    const refParts = out.slice(
      pipelineCalls.length,
      pipelineCalls.length + partCalls.length,
    ) as RefParts[];
    const refQa = out.slice(pipelineCalls.length + partCalls.length) as boolean[];

    const differences: string[] = [];
    let decisions = 0;
    questions.forEach((q, qi) => {
      const ours = paperPipeline({ texts: q.texts, gold: q.gold });
      refPipelines[qi]!.forEach((ref, ti) => {
        const mine = ours[ti]!;
        decisions++;
        const where = `${q.source} #${q.index} text ${ti}`;
        if (mine.correct !== ref.correct)
          differences.push(`${where}: correct ${mine.correct} vs ${ref.correct}`);
        if (mine.decision !== ref.decision)
          differences.push(`${where}: decision ${mine.decision} vs ${ref.decision}`);
        if (mine.stored !== ref.stored)
          differences.push(`${where}: stored ${mine.stored} vs ${ref.stored}`);
        if (mine.groupSize !== ref.group_size)
          differences.push(`${where}: group ${mine.groupSize} vs ${ref.group_size}`);
        if ((mine.parts?.idealLength ?? null) !== ref.ideal_len)
          differences.push(`${where}: ideal ${mine.parts?.idealLength} vs ${ref.ideal_len}`);
        if (ref.raw !== null && !close(mine.parts!.score, ref.raw))
          differences.push(`${where}: score ${mine.parts!.score} vs ${ref.raw}`);
      });
    });
    let k = 0;
    for (const q of questions) {
      const ideal = Math.min(...q.texts.map(paperWordCount));
      q.texts.forEach((text, ti) => {
        const ref = refParts[k]!;
        const qa = refQa[k]!;
        k++;
        const mine = paperScoreParts(text, ideal);
        const where = `${q.source} #${q.index} text ${ti}`;
        for (const [name, a, b] of [
          ['C', mine.confidence, ref.confidence],
          ['L', mine.length, ref.length],
          ['E', mine.repetition, ref.repetition],
          ['quality', mine.score, ref.score],
        ] as const)
          if (!close(a, b)) differences.push(`${where}: ${name} ${a} vs ${b}`);
        if (mine.words !== ref.words)
          differences.push(`${where}: words ${mine.words} vs ${ref.words}`);
        if (paperIsQaCorrect(q.gold, text) !== qa) differences.push(`${where}: qa-correct differs`);
      });
    }
    expect(differences).toEqual([]);
    expect(decisions).toBe(texts.length);
    expect(texts.length).toBe(2640 + 1320);
  });

  it('repair acceptance: each text as the repair of the one before it', () => {
    const cases = questions.flatMap((q) =>
      q.texts.map((repaired, i) => {
        const original = q.texts[(i + q.texts.length - 1) % q.texts.length]!;
        // A stored score for the original as the selection would have it (its own length as ideal).
        const stored =
          Math.round(paperScoreParts(original, paperWordCount(repaired)).score * 1e4) / 1e4;
        return { gold: q.gold, original, repaired, stored };
      }),
    );
    const out = paperRefValues([
      ...cases.map((c) => ({
        fn: 'accept_ac_repair',
        args: [c.gold, c.original, c.stored, c.repaired],
      })),
      ...cases.map((c) => ({ fn: 'accept_aw_repair', args: [c.gold, c.repaired] })),
    ]) as RefAccept[];
    const differences: string[] = [];
    cases.forEach((c, i) => {
      const ac = paperAcceptCorrectAnswerRepair({
        gold: c.gold,
        original: c.original,
        originalStored: c.stored,
        repaired: c.repaired,
      });
      const aw = paperAcceptWrongAnswerRepair({ gold: c.gold, repaired: c.repaired });
      for (const [kind, mine, ref] of [
        ['ac', ac, out[i]!],
        ['aw', aw, out[cases.length + i]!],
      ] as const) {
        if (
          mine.accepted !== ref.accepted ||
          mine.correct !== ref.correct ||
          mine.idealLength !== ref.ideal_len ||
          !close(mine.score, ref.score)
        )
          differences.push(`${kind} case ${i}: ${JSON.stringify(mine)} vs ${JSON.stringify(ref)}`);
      }
    });
    expect(differences).toEqual([]);
    expect(cases).toHaveLength(texts.length);
  });
});
