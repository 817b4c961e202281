import {
  generationPromptTurns,
  type Limiter,
  type ModelLike,
  type Protocol,
  type RetryOptions,
  sampleCandidates,
} from '@autotraj/generation';
import {
  type AdmissionReason,
  checkAdmission,
  type EvaluationReport,
  type Evaluator,
  type PreferencePair,
  type PromptTemplate,
  type PromptTurns,
  renderWithLossMask,
  type Sampling,
  type SftRecord,
  type Task,
  type TextCodec,
  type ToolRuntime,
  type Trajectory,
} from '@autotraj/trajectory';
import type { Repairer } from '../repair/repairer.js';
import { type AdmissionMode, admitRecords } from './admission.js';
import { type CandidateSource, type TakenCandidate, takeCandidates } from './candidate-source.js';
import type { CandidateRecord, HardCase, JournalEntry } from './synthesis-records.js';

/** Task-independent settings of one synthesis run, resolved from its options by the driver. */
export interface TaskContext {
  model: ModelLike;
  tools: ReadonlyArray<ToolRuntime>;
  protocol: Protocol;
  maxToolCalls: number;
  sampling: Sampling;
  /** The policy's template, or null when `instructions` replaces it. */
  prompt: PromptTemplate | null;
  instructions: string | undefined;
  modelName: string;
  retry: RetryOptions;
  n: number;
  limiter: Limiter;
  evaluator: Evaluator;
  repairer: Repairer;
  codec: TextCodec;
  /** What may enter sft.jsonl and pairs.jsonl (the admission gate). */
  admission: AdmissionMode;
  /** Send kept candidates the gate refuses to the repairer (`repairRefused`). */
  repairRefused: boolean;
  /** Where candidates are taken from instead of sampled (`candidates.from`), or null. */
  candidates: CandidateSource | null;
  signal: AbortSignal;
  onCandidate: (taskId: string, index: number) => void;
  onRepair: (taskId: string, candidateId: string, status: 'accepted' | 'hard') => void;
}

const brief = (report: EvaluationReport) => ({
  correct: report.correct,
  quality: report.quality,
  diagnostics: report.diagnostics.map(({ stepIndex, code, message }) => ({
    stepIndex,
    code,
    message,
  })),
});

/**
 * The report a repairer sees for a kept candidate the admission gate refused: right, maybe
 * well scored, but worth nothing as training data, so its quality counts as 0 (the paper
 * preset's stored score too) and the gate's reasons are diagnostics (`admission/<code>`) the
 * repair notes turn into instructions.
 */
function unusableReport(
  report: EvaluationReport,
  refusedBy: ReadonlyArray<AdmissionReason>,
): EvaluationReport {
  return {
    ...report,
    quality: 0,
    ...(report.paper === undefined ? {} : { paper: { ...report.paper, stored: 0 } }),
    diagnostics: [
      ...report.diagnostics,
      ...refusedBy.map((reason) => ({
        stepIndex: null,
        code: `admission/${reason.code}`,
        message: reason.message,
      })),
    ],
  };
}

/**
 * One task end to end: sample N candidates, evaluate them as a group, keep / repair / discard,
 * and return everything the task produced as one journal entry. Writes nothing: the driver
 * records the entry, so a task that fails or is aborted leaves no trace in the outputs.
 */
export async function runTask(context: TaskContext, task: Task): Promise<JournalEntry> {
  const { limiter, signal } = context;
  // What the policy was asked, recorded on every SFT record and pair (repairs too), so a
  // trainer prompts the model as it will be prompted.
  const turns: PromptTurns | undefined =
    context.prompt === null
      ? undefined
      : (generationPromptTurns({
          question: task.question,
          toolNames: context.tools.map((t) => t.name),
          maxToolCalls: context.maxToolCalls,
          promptTemplate: context.prompt,
        }) ?? undefined);
  const instruction = turns === undefined ? context.instructions : turns.system;
  const stats = {
    modelCalls: 0,
    modelMs: 0,
    toolCalls: 0,
    toolMs: 0,
    evaluationMs: 0,
    trajectories: 0,
    discarded: 0,
    refusedKeptRepairs: 0,
  };
  const account = (trajectory: Trajectory | null) => {
    if (trajectory === null) return;
    const g = trajectory.metadata.generation as
      | { modelCalls?: number; modelMs?: number; toolCalls?: number; toolMs?: number }
      | undefined;
    stats.trajectories++;
    stats.modelCalls += g?.modelCalls ?? 0;
    stats.modelMs += g?.modelMs ?? 0;
    stats.toolCalls += g?.toolCalls ?? 0;
    stats.toolMs += g?.toolMs ?? 0;
  };
  const sample = () =>
    sampleCandidates({
      model: context.model,
      task,
      n: context.n,
      limiter,
      tools: context.tools,
      protocol: context.protocol,
      maxToolCalls: context.maxToolCalls,
      ...(context.prompt === null
        ? context.instructions === undefined
          ? {}
          : { instructions: context.instructions }
        : { promptTemplate: context.prompt }),
      sampling: context.sampling,
      retry: context.retry,
      modelName: context.modelName,
      signal,
      onCandidate: ({ index }) => context.onCandidate(task.id, index),
    });
  // Taken candidates were generated by an earlier run: none of their model calls are this run's.
  const taken: TakenCandidate[] | null =
    context.candidates === null ? null : takeCandidates(context.candidates, task, context.n);
  const candidates = taken !== null ? taken.map((c) => c.trajectory) : await sample();
  signal.throwIfAborted();
  if (taken === null) candidates.forEach(account);
  else for (const index of taken.keys()) context.onCandidate(task.id, index);
  const t = performance.now();
  const group = await context.evaluator.evaluateGroup({ task, candidates });
  stats.evaluationMs += performance.now() - t;
  const reportById = new Map(group.reports.map((r) => [r.trajectoryId, r]));
  const decisionById = new Map(group.decisions.map((d) => [d.trajectoryId, d]));

  const candidateRecords: CandidateRecord[] = [];
  const sft: SftRecord[] = [];
  const pairs: PreferencePair[] = [];
  const hard: HardCase[] = [];
  const sftRecord = (
    trajectory: Trajectory,
    origin: 'kept' | 'repaired',
    quality: number,
  ): SftRecord => ({
    id: `sft_${trajectory.id}`,
    taskId: task.id,
    ...(instruction === undefined ? {} : { instruction }),
    question: task.question,
    ...(turns === undefined ? {} : { prompt: turns }),
    trajectory,
    origin,
    quality,
    rendered: renderWithLossMask(trajectory.steps, context.codec),
    metadata: {},
  });

  // Checked before any repair starts, so a bad group leaves nothing running.
  for (const trajectory of candidates)
    if (!reportById.has(trajectory.id))
      throw new Error(`evaluator returned no report for candidate ${trajectory.id}`);
  const repairs: Array<Promise<void>> = [];
  candidates.forEach((trajectory, index) => {
    const report = reportById.get(trajectory.id)!;
    const decision = decisionById.get(trajectory.id) ?? {
      action: 'repair' as const,
      reason: 'no decision from the evaluator',
    };
    candidateRecords.push({
      id: trajectory.id,
      taskId: task.id,
      index,
      trajectory,
      ...brief(report),
      decision: { action: decision.action, reason: decision.reason },
      ...(taken === null
        ? {}
        : { takenFrom: { file: context.candidates!.file, line: taken[index]!.line } }),
    });
    if (decision.action === 'keep') {
      const kept = sftRecord(trajectory, 'kept', report.quality);
      // The kept record stays in: the gate below refuses it into dropped.jsonl as always.
      sft.push(kept);
      if (context.repairRefused) {
        const verdict = checkAdmission({
          trajectory,
          rendered: kept.rendered,
          question: task.question,
        });
        if (!verdict.admitted) {
          stats.refusedKeptRepairs++;
          repair(trajectory, report, verdict.reasons);
        }
      }
    } else if (decision.action === 'discard') stats.discarded++;
    else repair(trajectory, report, null);
  });

  /**
   * Repair one candidate. `refusedBy`: the gate's reasons for a kept candidate it refused; the
   * repairer then sees the original as worth nothing to train on (quality 0, the reasons as
   * diagnostics), so a correct, well-formed repair is accepted without having to beat the
   * evaluator's score of a record that cannot be used.
   */
  function repair(
    trajectory: Trajectory,
    report: EvaluationReport,
    refusedBy: ReadonlyArray<AdmissionReason> | null,
  ): void {
    const seen = refusedBy === null ? report : unusableReport(report, refusedBy);
    repairs.push(
      limiter.run(async () => {
        const result = await context.repairer.repair({
          task,
          trajectory,
          report: seen,
          group: candidates,
          signal,
        });
        stats.evaluationMs += result.evaluationMs;
        for (const attempt of result.history) account(attempt.trajectory);
        context.onRepair(task.id, trajectory.id, result.status);
        if (result.status === 'accepted' && result.repaired !== null && result.after !== null) {
          sft.push(sftRecord(result.repaired, 'repaired', result.after.quality));
          pairs.push({
            id: `pair_${result.repaired.id}`,
            taskId: task.id,
            ...(instruction === undefined ? {} : { instruction }),
            question: task.question,
            ...(turns === undefined ? {} : { prompt: turns }),
            chosen: result.repaired,
            rejected: trajectory,
            // `admission`: the rejected side is right but unfit to train on (the gate's reasons).
            source: refusedBy === null ? 'repair' : 'admission',
            chosenScore: result.after.quality,
            rejectedScore: report.quality,
            metadata: {
              attempts: result.attempts,
              reason: result.reason,
              ...(refusedBy === null ? {} : { refusedBy: refusedBy.map((r) => r.code) }),
            },
          });
        } else {
          hard.push({
            id: `hard_${trajectory.id}`,
            taskId: task.id,
            question: task.question,
            original: trajectory,
            originalReport: brief(report),
            lastAttempt: result.repaired,
            lastReport: result.after === null ? null : brief(result.after),
            attempts: result.attempts,
            reason:
              refusedBy === null
                ? result.reason
                : `kept, refused by the admission gate (${refusedBy.map((r) => r.code).join(', ')}); ${result.reason}`,
          });
        }
      }),
    );
  }
  // Wait for every repair, even after one failed, so none is still running once the task has
  // settled; the task then fails with the first failure.
  let firstFailure: { error: unknown } | undefined;
  await Promise.all(
    repairs.map((repair) =>
      repair.catch((error: unknown) => {
        firstFailure ??= { error };
      }),
    ),
  );
  if (firstFailure !== undefined) throw firstFailure.error;
  signal.throwIfAborted();
  // Records in a stable order whatever order repairs finished in.
  const order = new Map(candidates.map((c, i) => [c.id, i]));
  const rank = (id: string | undefined) => order.get(id ?? '') ?? -1;
  sft.sort(
    (a, b) =>
      rank(a.trajectory.provenance.parentId ?? a.trajectory.id) -
      rank(b.trajectory.provenance.parentId ?? b.trajectory.id),
  );
  pairs.sort((a, b) => rank(a.rejected.id) - rank(b.rejected.id));
  hard.sort((a, b) => rank(a.original.id) - rank(b.original.id));
  // The paper's decisions stand; the gate only keeps ill-formed records out of the outputs.
  const admitted = admitRecords(context.admission, task.question, sft, pairs);
  return {
    id: task.id,
    taskId: task.id,
    candidates: candidateRecords,
    sft: admitted.sft,
    pairs: admitted.pairs,
    hard,
    dropped: admitted.dropped,
    stats,
  };
}
