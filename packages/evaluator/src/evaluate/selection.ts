import type { Thresholds } from './presets.js';
import type { EvaluationReport, SelectionDecision } from './report.js';

export interface SelectOptions {
  thresholds: Thresholds;
  /** Rendered text per trajectory id: exact duplicates of an earlier candidate are discarded. */
  texts?: ReadonlyMap<string, string>;
  /** Trajectory ids without any step or answer (nothing to keep or repair). */
  empty?: ReadonlySet<string>;
}

/**
 * Per-query selection (the paper's rule): wrong answers go to repair; among correct ones, keep
 * all when every one scores >= keepAll, else keep the best if it scores >= keepBest and repair
 * the rest, else repair all. Empty trajectories and exact duplicates are discarded.
 * Unlabelled candidates (`correct: null`) are selected on quality alone.
 */
export function selectCandidates(
  reports: ReadonlyArray<EvaluationReport>,
  options: SelectOptions,
): SelectionDecision[] {
  const decisions = new Map<string, SelectionDecision>();
  const seen = new Set<string>();
  const eligible: EvaluationReport[] = [];
  for (const report of reports) {
    const id = report.trajectoryId;
    const text = options.texts?.get(id);
    if (options.empty?.has(id)) {
      decisions.set(id, {
        trajectoryId: id,
        action: 'discard',
        reason: 'empty trajectory: no steps or answer',
      });
    } else if (text !== undefined && seen.has(text)) {
      decisions.set(id, {
        trajectoryId: id,
        action: 'discard',
        reason: 'duplicate of an earlier candidate',
      });
    } else if (report.correct === false) {
      if (text !== undefined) seen.add(text);
      decisions.set(id, { trajectoryId: id, action: 'repair', reason: 'wrong-answer' });
    } else {
      if (text !== undefined) seen.add(text);
      eligible.push(report);
    }
  }
  const { keepAll, keepBest } = options.thresholds;
  const fmt = (value: number) => value.toFixed(3);
  if (eligible.length > 0 && eligible.every((report) => report.quality >= keepAll)) {
    for (const report of eligible) {
      decisions.set(report.trajectoryId, {
        trajectoryId: report.trajectoryId,
        action: 'keep',
        reason: `all correct candidates score >= ${keepAll} (${fmt(report.quality)})`,
      });
    }
  } else if (eligible.length > 0) {
    const best = eligible.reduce((a, b) => (b.quality > a.quality ? b : a));
    for (const report of eligible) {
      if (report === best && best.quality >= keepBest) {
        decisions.set(report.trajectoryId, {
          trajectoryId: report.trajectoryId,
          action: 'keep',
          reason: `best correct candidate, quality ${fmt(report.quality)} >= ${keepBest}`,
        });
      } else {
        decisions.set(report.trajectoryId, {
          trajectoryId: report.trajectoryId,
          action: 'repair',
          reason: `low-quality: ${fmt(report.quality)}${report === best ? ` < ${keepBest}` : ' (not the best)'}`,
        });
      }
    }
  }
  return reports.map((report) => decisions.get(report.trajectoryId)!);
}
