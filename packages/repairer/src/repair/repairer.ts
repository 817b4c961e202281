import {
  CassetteMissError,
  generateTrajectory,
  type ModelLike,
  type Protocol,
  type RetryOptions,
} from '@autotraj/generation';
import {
  createTagCodec,
  type EvaluationReport,
  type Evaluator,
  markdownTirCodec,
  type PromptTemplate,
  type Sampling,
  type Step,
  type Task,
  type ToolRuntime,
  type Trajectory,
} from '@autotraj/trajectory';
import { toolTagTable } from '@autotraj/trajectory/internal';
import { type AcceptanceOption, type AcceptanceVerdict, resolveAcceptance } from './acceptance.js';
import { repairNotes } from './repair-notes.js';
import { resolveRepairerOptions } from './repairer-options.js';

export type RepairStrategy = 'regenerate' | 'resume';

export interface RepairerOptions {
  model: ModelLike;
  tools: ReadonlyArray<ToolRuntime>;
  evaluator: Evaluator;
  /** `regenerate` (default): write a new trajectory; `resume`: keep the valid prefix before the first diagnosed step. */
  strategy?: RepairStrategy;
  /** Repair attempts per trajectory (default 1, as the paper); later attempts see the previous failed repair. */
  maxAttempts?: number;
  acceptance?: AcceptanceOption;
  protocol?: Protocol;
  maxToolCalls?: number;
  /** Repairs are greedy by default (the paper). */
  sampling?: Sampling;
  retry?: RetryOptions;
  modelName?: string;
  /**
   * The repair prompt template (default `repair-question` for text-tags): `repairInput:
   * 'question'` (the paper's) gives only the question, so the repairer regenerates;
   * `'trajectory'` also shows the earlier attempt and what to fix.
   */
  prompt?: PromptTemplate;
}

export interface RepairAttempt {
  attempt: number;
  strategy: RepairStrategy;
  /** Steps kept from the trajectory being repaired (resume). */
  keptSteps: number;
  trajectory: Trajectory | null;
  report: EvaluationReport | null;
  verdict: AcceptanceVerdict;
}

export interface RepairResult {
  status: 'accepted' | 'hard';
  attempts: number;
  original: Trajectory;
  /** The accepted repair, or the last attempt for a hard case (null when every attempt failed to generate). */
  repaired: Trajectory | null;
  before: EvaluationReport;
  after: EvaluationReport | null;
  reason: string;
  history: RepairAttempt[];
  /** Time spent in the evaluator (the original's report when not given, and every re-evaluation). */
  evaluationMs: number;
}

export interface RepairInput {
  task: Task;
  trajectory: Trajectory;
  /** The original's report; evaluated here when absent. */
  report?: EvaluationReport;
  /** The original's candidate group (length scoring is relative to the group's shortest). */
  group?: ReadonlyArray<Trajectory>;
  signal?: AbortSignal;
}

export interface Repairer {
  readonly options: Readonly<RepairerOptions>;
  repair(input: RepairInput): Promise<RepairResult>;
}

/**
 * The steps to keep for `resume`: everything before the first step a diagnostic points at,
 * never ending on a call without its result and never including an answer. Null when no
 * diagnostic names a step (then the repairer regenerates).
 */
export function validPrefix(
  steps: ReadonlyArray<Step>,
  diagnostics: EvaluationReport['diagnostics'],
): Step[] | null {
  const indices = diagnostics
    .map((d) => d.stepIndex)
    .filter((i): i is number => typeof i === 'number' && i >= 0);
  if (indices.length === 0) return null;
  let end = Math.min(Math.min(...indices), steps.length);
  const answerAt = steps.findIndex((s) => s.type === 'answer');
  if (answerAt >= 0) end = Math.min(end, answerAt);
  let prefix = steps.slice(0, end);
  // A call whose result was cut off would be re-run without the model seeing it: drop it.
  while (prefix.length > 0 && prefix[prefix.length - 1]!.type === 'tool-call')
    prefix = prefix.slice(0, -1);
  return prefix;
}

/** LLM-as-Repairer: regenerate or resume a flawed trajectory with real tools, re-evaluate, accept or mark hard. */
export function createRepairer(options: RepairerOptions): Repairer {
  const { strategy, maxAttempts, protocol, maxToolCalls, sampling, prompt } =
    resolveRepairerOptions(options);
  const accept = resolveAcceptance(options.acceptance, options.evaluator);
  const codec = createTagCodec({ toolTags: toolTagTable() });

  // The earlier attempt as the text a model reads, never as message JSON (a repairer shown
  // ai SDK messages copied them into its answer): tags, or markdown for the other protocols.
  const render = (trajectory: Trajectory) =>
    protocol === 'text-tags'
      ? codec.render(trajectory.steps)
      : markdownTirCodec.render(trajectory.steps);

  async function repair(input: RepairInput): Promise<RepairResult> {
    const { task } = input;
    const original = input.trajectory;
    let evaluationMs = 0;
    const evaluate = async (trajectory: Trajectory) => {
      const started = performance.now();
      try {
        return await options.evaluator.evaluate({
          task,
          trajectory,
          ...(input.group ? { group: input.group } : {}),
        });
      } finally {
        evaluationMs += performance.now() - started;
      }
    };
    const before = input.report ?? (await evaluate(original));
    const history: RepairAttempt[] = [];
    let subject = original;
    let subjectReport = before;

    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const prefix =
        strategy === 'resume' ? validPrefix(subject.steps, subjectReport.diagnostics) : null;
      const used: RepairStrategy = prefix === null ? 'regenerate' : 'resume';
      let repaired: Trajectory | null = null;
      let report: EvaluationReport | null = null;
      let verdict: AcceptanceVerdict;
      try {
        repaired = await generateTrajectory({
          model: options.model,
          task,
          tools: options.tools,
          protocol,
          maxToolCalls,
          promptTemplate: prompt,
          ...(prompt.repairInput === 'trajectory'
            ? {
                promptValues: {
                  attempt: render(subject),
                  notes: repairNotes(subjectReport, {
                    protocol,
                    maxToolCalls,
                    finalAnswer: subject.finalAnswer,
                  }),
                },
              }
            : {}),
          ...(prefix === null ? {} : { prefix }),
          sampling,
          ...(options.retry === undefined ? {} : { retry: options.retry }),
          ...(options.modelName === undefined ? {} : { modelName: options.modelName }),
          origin: 'repaired',
          salt: `repair:${original.id}:${attempt}`,
          parentId: original.id,
          metadata: { repair: { attempt, strategy: used, keptSteps: prefix?.length ?? 0 } },
          ...(input.signal === undefined ? {} : { signal: input.signal }),
        });
        report = await evaluate(repaired);
        verdict = accept({ original: before, repaired: report });
      } catch (error) {
        // A cassette miss says the replay setup is wrong, not that this repair failed.
        if (CassetteMissError.isInstance(error)) throw error;
        verdict = {
          accepted: false,
          reason: `repair attempt failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      history.push({
        attempt,
        strategy: used,
        keptSteps: prefix?.length ?? 0,
        trajectory: repaired,
        report,
        verdict,
      });
      if (verdict.accepted) {
        return {
          status: 'accepted',
          attempts: attempt,
          original,
          repaired,
          before,
          after: report,
          reason: verdict.reason,
          history,
          evaluationMs,
        };
      }
      if (repaired !== null && report !== null) {
        subject = repaired;
        subjectReport = report;
      }
    }
    const last = [...history].reverse().find((h) => h.trajectory !== null);
    return {
      status: 'hard',
      attempts: history.length,
      original,
      repaired: last?.trajectory ?? null,
      before,
      after: last?.report ?? null,
      reason: history[history.length - 1]?.verdict.reason ?? 'no attempt made',
      history,
      evaluationMs,
    };
  }

  return { options, repair };
}
