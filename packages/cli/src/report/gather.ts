import { readFile } from 'node:fs/promises';
import { candidateRecordSchema, hardCaseSchema } from '@autotraj/repairer';
import { createOnnxScorer } from '@autotraj/reward-model';
import {
  type AdmissionTally,
  type Diagnostic,
  type PreferencePair,
  preferencePairSchema,
  type RolloutRecord,
  readJsonl,
  readRunJson,
  rewardModelTrainingReportSchema,
  rolloutRecordSchema,
  type SftRecord,
  type SftTrainingReport,
  type Step,
  sftRecordSchema,
  sftTrainingReportSchema,
  synthesisManifestSchema,
} from '@autotraj/trajectory';
import { z } from 'zod';
import { type RunSummary, readRunSummary } from '../pipeline/run-summary.js';
import { type AdmissionFigures, admissionFigures } from '../pipeline/stage-notes.js';
import { locateRunFiles, type RunFiles } from './run-files.js';

// The report reads only the fields it shows (picked from the records' own schemas), so it keeps
// working as record types grow.
const candidateSchema = candidateRecordSchema
  .pick({ id: true, taskId: true, trajectory: true, correct: true, quality: true, decision: true })
  .extend({ diagnostics: candidateRecordSchema.shape.diagnostics.default([]) });

const hardSchema = hardCaseSchema.pick({
  id: true,
  taskId: true,
  question: true,
  original: true,
  lastAttempt: true,
  attempts: true,
  reason: true,
});

export interface ShownTrajectory {
  id: string;
  steps: Step[];
  finalAnswer: string | null;
  quality: number | null;
  correct: boolean | null;
  diagnostics: Diagnostic[];
  decision?: { action: string; reason: string };
}

export interface TaskView {
  taskId: string;
  question: string;
  candidates: ShownTrajectory[];
  repairs: { original: ShownTrajectory; repaired: ShownTrajectory }[];
  hard: {
    original: ShownTrajectory;
    lastAttempt: ShownTrajectory | null;
    attempts: number;
    reason: string;
  }[];
}

export interface RolloutGroupView {
  groupId: string;
  taskId: string;
  rollouts: {
    index: number;
    total: number;
    components: Record<string, number>;
    advantage: number | null;
    finalAnswer: string | null;
  }[];
}

/** `grpo-report.json` of `./dev experiment grpo` (scripts/experiment/grpo.py): TRL's GRPO with our rewards. */
const grpoReportSchema = z.object({
  policy: z.string(),
  steps: z.number().int().nonnegative(),
  groupSize: z.number().int().positive(),
  promptsPerStep: z.number().int().positive(),
  trainSeconds: z.number().nonnegative(),
  /** trl_rollout.py's counts since the run (re)started; null: completions in one pass, no tools. */
  tools: z
    .object({
      completions: z.number().int().nonnegative(),
      toolCalls: z.number().int().nonnegative(),
      toolErrors: z.number().int().nonnegative(),
      budgetCut: z.number().int().nonnegative(),
    })
    .nullable()
    .optional(),
  rewards: z.array(
    z.object({
      step: z.number().int().positive(),
      reward: z.number(),
      rewardStd: z.number().nullable().optional(),
      completionLength: z.number().nullable().optional(),
      /** The share of the step's groups whose completions all got one reward (TRL's `frac_reward_zero_std`). */
      zeroStdShare: z.number().min(0).max(1).nullable().optional(),
      /** The share of completions cut at the length limit. */
      clippedShare: z.number().min(0).max(1).nullable().optional(),
    }),
  ),
});
export type GrpoReport = z.infer<typeof grpoReportSchema>;

export interface ReportData {
  runDir: string;
  files: RunFiles;
  funnel: { label: string; value: number }[];
  qualityBefore: number[];
  qualityAfter: number[];
  rewardModel: {
    chosen: number[];
    rejected: number[];
    accuracy: number;
    heldOutAccuracy: number | null;
    lengthBaseline: number | null;
    /** What train-rm's admission gate left out (null: the report predates it, or none). */
    admission: AdmissionTally | null;
  } | null;
  /** Why there is no reward model, when the run says it skipped training (shown instead of figures). */
  rewardModelSkipped: string | null;
  rl: {
    groups: RolloutGroupView[];
    componentNames: string[];
    /** Groups where every rollout got the same total: zero advantages. */
    zeroVarianceGroups: number;
  } | null;
  /** `autotraj run`'s summary (model, sampling, how each stage ended), when the run wrote one. */
  summary: RunSummary | null;
  /** The presets that ran: the evaluator's (synthesis manifest) and the reward's (rollouts). */
  presets?: { evaluator: string | null; reward: string | null };
  /** What the admission gate kept out of the SFT set and pairs (synthesis manifest), if recorded. */
  admission?: AdmissionFigures | null;
  tasks: TaskView[];
  /** A GRPO run's reward per step (`./dev experiment grpo`), when the directory holds one. */
  grpo?: GrpoReport | null;
  /** `autotraj train-sft`'s report (loss curve), when the directory holds one. */
  sftTraining?: SftTrainingReport | null;
  /** Lines the report could not read, by file (also printed by the command). */
  unreadable: { file: string; line: number | undefined; message: string }[];
}

/**
 * What the report shows of a synthesis manifest: the evaluator preset (`evaluatorPreset`, else
 * `config.preset`) and the admission gate's figures.
 */
async function manifestFacts(
  path: string | null,
): Promise<{ preset: string | null; admission: AdmissionFigures | null }> {
  if (path === null) return { preset: null, admission: null };
  try {
    const manifest = readRunJson(path, synthesisManifestSchema, 'synthesis manifest');
    return {
      preset: manifest?.evaluatorPreset ?? manifest?.config?.preset ?? null,
      admission: admissionFigures(manifest),
    };
  } catch {
    return { preset: null, admission: null };
  }
}

function rolloutPreset(rollouts: ReadonlyArray<RolloutRecord>): string | null {
  const names = new Set(
    rollouts.map((r) => r.metadata.rewardPreset).filter((p): p is string => typeof p === 'string'),
  );
  return names.size === 0 ? null : [...names].sort().join(', ');
}

async function readAll<T>(
  path: string | null,
  schema: z.ZodType<T>,
  unreadable: ReportData['unreadable'],
): Promise<T[]> {
  if (path === null) return [];
  const out: T[] = [];
  const onReject = (error: { location: { file?: string; line?: number }; message: string }) => {
    unreadable.push({ file: path, line: error.location.line, message: error.message });
  };
  for await (const { value } of readJsonl(path, { schema, mode: 'lenient', onReject }))
    out.push(value as T);
  return out;
}

function shown(
  trajectory: { id: string; steps: unknown[]; finalAnswer?: string | null | undefined },
  extra: Partial<ShownTrajectory> = {},
): ShownTrajectory {
  return {
    id: trajectory.id,
    steps: trajectory.steps as Step[],
    finalAnswer: trajectory.finalAnswer ?? null,
    quality: null,
    correct: null,
    diagnostics: [],
    ...extra,
  };
}

/** Read every artefact of a run directory into what the report shows. */
export async function gatherReportData(runDir: string): Promise<ReportData> {
  const files = locateRunFiles(runDir);
  const unreadable: ReportData['unreadable'] = [];
  const candidates = await readAll(files.candidates, candidateSchema, unreadable);
  const sft: SftRecord[] = await readAll(files.sft, sftRecordSchema, unreadable);
  const pairs: PreferencePair[] = await readAll(files.pairs, preferencePairSchema, unreadable);
  const hard = await readAll(files.hard, hardSchema, unreadable);
  const rollouts: RolloutRecord[] = await readAll(files.rollouts, rolloutRecordSchema, unreadable);
  let summary: RunSummary | null = null;
  if (files.summary !== null) {
    const read = readRunSummary(files.summary);
    if ('summary' in read) summary = read.summary;
    else unreadable.push({ file: files.summary, line: undefined, message: read.error });
  }
  const rmSkipped =
    summary?.stages['train-rm'].status === 'skipped'
      ? (summary.stages['train-rm'].notes[0] ?? 'train-rm was skipped')
      : null;

  const tasks = new Map<string, TaskView>();
  const task = (taskId: string, question: string | undefined): TaskView => {
    let view = tasks.get(taskId);
    if (view === undefined) {
      view = { taskId, question: question ?? '', candidates: [], repairs: [], hard: [] };
      tasks.set(taskId, view);
    }
    if (view.question === '' && question) view.question = question;
    return view;
  };
  const candidateById = new Map<string, ShownTrajectory>();
  for (const c of candidates) {
    const view = shown(c.trajectory, {
      quality: c.quality,
      correct: c.correct,
      diagnostics: c.diagnostics,
      decision: c.decision,
    });
    candidateById.set(c.trajectory.id, view);
    task(c.taskId, c.trajectory.question).candidates.push(view);
  }
  for (const pair of pairs) {
    const original =
      candidateById.get(pair.rejected.id) ??
      shown(pair.rejected, { quality: pair.rejectedScore ?? null });
    const repaired = shown(pair.chosen, { quality: pair.chosenScore ?? null, correct: true });
    task(pair.taskId, pair.question).repairs.push({ original, repaired });
  }
  for (const h of hard) {
    const original = candidateById.get(h.original.id) ?? shown(h.original);
    task(h.taskId, h.question).hard.push({
      original,
      lastAttempt: h.lastAttempt === null ? null : shown(h.lastAttempt),
      attempts: h.attempts,
      reason: h.reason,
    });
  }

  const facts = await manifestFacts(files.manifest);
  const count = (action: string) => candidates.filter((c) => c.decision.action === action).length;
  const repairedSft = sft.filter((r) => r.origin === 'repaired');
  const fromGate = pairs.filter((p) => p.source === 'admission').length;
  const funnel = [
    { label: 'tasks', value: new Set(candidates.map((c) => c.taskId)).size },
    { label: 'candidates', value: candidates.length },
    { label: 'correct candidates', value: candidates.filter((c) => c.correct).length },
    { label: 'kept', value: count('keep') },
    { label: 'sent to repair', value: count('repair') },
    { label: 'discarded', value: count('discard') },
    { label: 'repairs accepted', value: repairedSft.length },
    { label: 'hard cases', value: hard.length },
    { label: 'SFT records', value: sft.length },
    { label: 'preference pairs', value: pairs.length },
    // Repairs of kept candidates the gate refused (`synthesize --repair-refused`).
    ...(fromGate === 0 ? [] : [{ label: 'pairs over a refused kept candidate', value: fromGate }]),
    ...(facts.admission === null || facts.admission.droppedSft + facts.admission.droppedPairs === 0
      ? []
      : [
          { label: 'dropped by admission (SFT)', value: facts.admission.droppedSft },
          { label: 'dropped by admission (pairs)', value: facts.admission.droppedPairs },
        ]),
    ...(rollouts.length > 0 ? [{ label: 'RL rollouts', value: rollouts.length }] : []),
  ];

  let rewardModel: ReportData['rewardModel'] = null;
  // A model file the run did not use (train-rm skipped) is never scored or shown.
  if (files.rewardModel !== null && pairs.length > 0 && rmSkipped === null) {
    const scorer = await createOnnxScorer({ path: files.rewardModel });
    try {
      const chosen = Array.from(
        await scorer.score(pairs.map((p) => ({ question: p.question, trajectory: p.chosen }))),
      );
      const rejected = Array.from(
        await scorer.score(pairs.map((p) => ({ question: p.question, trajectory: p.rejected }))),
      );
      const wins = chosen.filter((c, i) => c > rejected[i]!).length;
      let heldOutAccuracy: number | null = null;
      let lengthBaseline: number | null = null;
      let admission: AdmissionTally | null = null;
      if (files.trainingReport !== null) {
        const report = readRunJson(
          files.trainingReport,
          rewardModelTrainingReportSchema,
          'reward model training report',
        );
        heldOutAccuracy = report?.heldOut?.pairwiseAccuracy ?? null;
        lengthBaseline = report?.heldOut?.lengthBaselineAccuracy ?? null;
        admission = report?.admission ?? null;
      }
      rewardModel = {
        chosen,
        rejected,
        accuracy: wins / pairs.length,
        heldOutAccuracy,
        lengthBaseline,
        admission,
      };
    } finally {
      await scorer.close();
    }
  }

  let rl: ReportData['rl'] = null;
  if (rollouts.length > 0) {
    const groups = new Map<string, RolloutGroupView>();
    const componentNames = new Set<string>();
    for (const r of rollouts) {
      let group = groups.get(r.groupId);
      if (group === undefined) {
        group = { groupId: r.groupId, taskId: r.taskId, rollouts: [] };
        groups.set(r.groupId, group);
      }
      for (const name of Object.keys(r.reward.components)) componentNames.add(name);
      group.rollouts.push({
        index: r.rolloutIndex,
        total: r.reward.total,
        components: r.reward.components,
        advantage: r.advantage,
        finalAnswer: r.trajectory.finalAnswer,
      });
    }
    for (const group of groups.values()) group.rollouts.sort((a, b) => a.index - b.index);
    const zeroVarianceGroups = [...groups.values()].filter((g) =>
      g.rollouts.every((r) => r.total === g.rollouts[0]!.total),
    ).length;
    rl = {
      groups: [...groups.values()],
      componentNames: [...componentNames].sort(),
      zeroVarianceGroups,
    };
  }

  let sftTraining: SftTrainingReport | null = null;
  if (files.sftTrainingReport !== null) {
    const parsed = sftTrainingReportSchema.safeParse(
      JSON.parse(await readFile(files.sftTrainingReport, 'utf8')),
    );
    if (parsed.success) sftTraining = parsed.data;
    else
      unreadable.push({
        file: files.sftTrainingReport,
        line: undefined,
        message: `${files.sftTrainingReport}: not a train-sft report (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
      });
  }

  let grpo: GrpoReport | null = null;
  if (files.grpoReport !== null) {
    const parsed = grpoReportSchema.safeParse(JSON.parse(await readFile(files.grpoReport, 'utf8')));
    if (parsed.success) grpo = parsed.data;
    else
      unreadable.push({
        file: files.grpoReport,
        line: undefined,
        message: `${files.grpoReport}: not a GRPO report (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
      });
  }

  return {
    runDir,
    files,
    sftTraining,
    grpo,
    presets: {
      evaluator: facts.preset,
      reward: rolloutPreset(rollouts),
    },
    admission: facts.admission,
    funnel,
    qualityBefore: candidates.map((c) => c.quality),
    qualityAfter: [...sft.map((r) => r.quality).filter((q): q is number => q !== undefined)],
    rewardModel,
    rewardModelSkipped: rmSkipped,
    rl,
    summary,
    tasks: [...tasks.values()],
    unreadable,
  };
}
