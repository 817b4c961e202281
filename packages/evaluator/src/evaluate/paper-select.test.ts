import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paperClassify } from '../paper/selection.js';
import { samples } from '../test-support/paper-arbitraries.js';
import { paperIdealLengths, paperSelect } from './paper-mode.js';
import { PAPER_THRESHOLDS } from './presets.js';
import type { EvaluationReport, SelectionDecision } from './report.js';

/** The selection written on paperClassify's items, as the paper's scripts group them. */
function byItems(reports: ReadonlyArray<EvaluationReport>): SelectionDecision[] {
  const { keepAll, keepBest } = PAPER_THRESHOLDS;
  const { correctItems } = paperClassify(reports.map((r) => r.correct !== false));
  const decisions = reports.map<SelectionDecision>((r) => ({
    trajectoryId: r.trajectoryId,
    action: 'repair',
    reason: 'wrong-answer',
  }));
  for (const item of correctItems) {
    const stored = item.map((i) => reports[i]!.paper!.stored!);
    const all = Math.min(...stored) >= keepAll;
    let best = 0;
    for (let k = 1; k < item.length; k++) if (stored[k]! > stored[best]!) best = k;
    item.forEach((index, k) => {
      const s = stored[k]!.toFixed(4);
      const trajectoryId = reports[index]!.trajectoryId;
      decisions[index] = all
        ? {
            trajectoryId,
            action: 'keep',
            reason: `all correct candidates score >= ${keepAll} (stored ${s})`,
          }
        : k === best && stored[k]! >= keepBest
          ? {
              trajectoryId,
              action: 'keep',
              reason: `best correct candidate, stored score ${s} >= ${keepBest}`,
            }
          : {
              trajectoryId,
              action: 'repair',
              reason: `low-quality: stored score ${s}${k === best ? ` < ${keepBest}` : ' (not the best)'}`,
            };
    });
  }
  return decisions;
}

const groupArb = fc.array(
  fc.record({
    correct: fc.constantFrom(true, false, null),
    stored: fc.constantFrom(0.5, 0.85, 0.86, 0.8599, 0.9, 0.8999, 0.95, 1),
    words: fc.integer({ min: 0, max: 40 }),
  }),
  { maxLength: 8 },
);

describe('paper selection in one pass over a group', () => {
  it("decides and words every reason as paperClassify's items do (partly, all and none correct)", () => {
    for (const [g, group] of samples(groupArb, 3000, 91).entries()) {
      const reports = group.map<EvaluationReport>((c, i) => ({
        trajectoryId: `g${g}-${i}`,
        correct: c.correct,
        quality: c.stored,
        dimensions: {},
        diagnostics: [],
        paper: { stored: c.correct === false ? null : c.stored, looseCorrect: null },
      }));
      expect(paperSelect(reports, PAPER_THRESHOLDS)).toEqual(byItems(reports));
      // Ideal lengths: the shortest of all, except a correct text of a partly correct group.
      const { correctItems } = paperClassify(group.map((c) => c.correct !== false));
      const shortest = group.length === 0 ? 0 : Math.min(...group.map((c) => c.words));
      const whole = correctItems.length === 1 && correctItems[0]!.length === group.length;
      expect(paperIdealLengths(group)).toEqual(
        group.map((c) => (whole || c.correct === false ? shortest : c.words)),
      );
    }
  });
});
