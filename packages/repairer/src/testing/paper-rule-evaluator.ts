import type {
  EvaluationReport,
  Evaluator,
  SelectionDecision,
  Task,
  Trajectory,
} from '@autotraj/trajectory';

const UNCERTAIN = /\b(maybe|unsure|guess|seems|perhaps|probably|might|likely|recheck)\b/i;

function words(trajectory: Trajectory): string[] {
  return trajectory.steps
    .filter((s) => s.type === 'think' || s.type === 'answer')
    .flatMap((s) => (s.type === 'think' || s.type === 'answer' ? s.text.split(/\s+/) : []))
    .filter(Boolean);
}

/**
 * A stand-in with the evaluator's shape and the paper's scoring rules (quality = 0.4
 * confidence + 0.3 length + 0.3 repetition, a penalty for tool errors; numeric answer
 * equality; the paper's keep / repair selection), for tests and offline demos that must not
 * depend on the full `@autotraj/evaluator`. Use `createEvaluator` from there for real work.
 */
export function paperRuleEvaluator(): Evaluator & { evaluated: string[] } {
  const evaluated: string[] = [];
  const evaluate = ({
    task,
    trajectory,
    group,
  }: {
    task: Task;
    trajectory: Trajectory;
    group?: ReadonlyArray<Trajectory>;
  }): EvaluationReport => {
    evaluated.push(trajectory.id);
    const diagnostics: Array<{ stepIndex: number | null; code: string; message: string }> = [];
    trajectory.steps.forEach((step, index) => {
      if (step.type === 'think' && UNCERTAIN.test(step.text))
        diagnostics.push({
          stepIndex: index,
          code: 'uncertainty',
          message: 'hedging word in reasoning',
        });
      if (step.type === 'tool-result' && step.isError)
        diagnostics.push({
          stepIndex: index,
          code: 'tool-error',
          message: `tool error: ${step.output.slice(0, 80)}`,
        });
    });
    const answer = trajectory.finalAnswer?.replace(/[,$\s]/g, '');
    if (answer === undefined)
      diagnostics.push({ stepIndex: null, code: 'no-answer', message: 'no final answer' });
    const correct =
      task.goldAnswers.length === 0
        ? null
        : answer !== undefined && task.goldAnswers.some((g) => Number(g) === Number(answer));
    const confidence = diagnostics.some((d) => d.code === 'uncertainty') ? 0 : 1;
    const w = words(trajectory);
    const l0 = Math.max(1, Math.min(w.length, ...(group ?? []).map((t) => words(t).length)));
    const length = Math.exp(-((w.length - l0) ** 2) / (2 * (0.5 * l0) ** 2));
    const grams = w.slice(2).map((_, i) => w.slice(i, i + 3).join(' '));
    const countBy = new Map<string, number>();
    for (const g of grams) countBy.set(g, (countBy.get(g) ?? 0) + 1);
    const repeated = grams.filter((g) => (countBy.get(g) ?? 0) > 1).length;
    const repetition = w.length < 6 ? 1 : 1 - repeated / Math.max(1, grams.length);
    const quality =
      0.4 * confidence +
      0.3 * length +
      0.3 * repetition -
      (diagnostics.some((d) => d.code === 'tool-error') ? 0.2 : 0);
    return {
      trajectoryId: trajectory.id,
      correct,
      quality: Math.max(0, quality),
      dimensions: {},
      diagnostics,
    };
  };
  return {
    evaluated,
    evaluate,
    evaluateGroup({ task, candidates }) {
      const reports = candidates.map((trajectory) =>
        evaluate({ task, trajectory, group: candidates }),
      );
      const correct = reports.filter((r) => r.correct === true);
      const decisions: SelectionDecision[] = reports.map((r) => ({
        trajectoryId: r.trajectoryId,
        action: 'repair',
        reason: 'wrong answer',
      }));
      if (correct.length > 0) {
        const all = correct.every((r) => r.quality >= 0.9);
        const best = correct.reduce((a, b) => (b.quality > a.quality ? b : a));
        for (const d of decisions) {
          const r = reports.find((x) => x.trajectoryId === d.trajectoryId)!;
          if (r.correct !== true) continue;
          if (all || (r === best && r.quality >= 0.86))
            Object.assign(d, { action: 'keep', reason: 'high quality' });
          else Object.assign(d, { reason: 'correct but low quality' });
        }
      }
      return { reports, decisions };
    },
  };
}
