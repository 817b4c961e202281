import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Protocol } from '@autotraj/generation';
import {
  type AdmissionMode,
  demoFixtures,
  type SynthesisEvent,
  type SynthesisSummary,
} from '@autotraj/repairer';
import type { RolloutSummary } from '@autotraj/rl';
import {
  openRunDir,
  promptRef,
  type RolloutRecord,
  RUN_FILES,
  RUN_STAGE_DIRS,
  type RunSettings,
  readRunJson,
  rewardModelTrainingReportSchema,
  synthesisManifestSchema,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { resolveCliPrompt } from '../prompt-options.js';
import { PipelineOptionsError } from './pipeline-options-error.js';
import { type RewardModelStageResult, runRewardModelStage } from './reward-model-stage.js';
import { runRolloutStage } from './rollout-stage.js';
import { fileDigest, modelRunSettings } from './run-settings.js';
import {
  RUN_SUMMARY_FILE,
  type RunSummary,
  type StageStatus,
  writeRunSummary,
} from './run-summary.js';
import {
  admissionNote,
  candidateFigures,
  rolloutFigures,
  rolloutNotes,
  synthesisNotes,
  tooFewPairsNote,
} from './stage-notes.js';
import { type ResolvedPipelineOptions, resolvePipelineOptions } from './stage-options.js';
import { runSynthesisStage } from './synthesis-stage.js';

export type PipelineStage = 'synthesize' | 'train-rm' | 'rollout';

export interface PipelineOptions {
  /** The run directory: `synthesis/`, `reward-model/` and `rl/` go inside. */
  outDir: string;
  /** Tasks JSONL (AutoTraj tasks or GSM8K lines); default: the 40 demo GSM8K problems. */
  tasks?: string;
  /** Candidates per task (default `CLI_CANDIDATES`, 4: the demo cassette's). */
  n?: number;
  /** RL rollouts per prompt (default 4). */
  groupSize?: number;
  /** Live policy: `openai:<id>`, or `<id>` with `baseURL`. Without it the run is offline. */
  model?: string;
  baseURL?: string;
  /** `local:` policies: a LoRA adapter (GGUF) applied to the model. */
  lora?: string;
  /** Offline: answer from this cassette instead of the demo cassette. */
  replay?: string;
  /** Trajectories generated at once (default 8). */
  concurrency?: number;
  /** Only the first n tasks. */
  limit?: number;
  /** RL rollouts on only the first n tasks (default: `limit`). */
  rolloutLimit?: number;
  /**
   * Candidate and rollout sampling temperature (default 0.3, the paper's); sample i of a task
   * gets `sampleSeed({ runSeed: 0, taskId, index: i })`.
   */
  temperature?: number;
  /** Output tokens per model call (default: the server's; 512 for local: models). */
  maxTokens?: number;
  /** The TIR protocol of candidates, repairs and rollouts (default text-tags). */
  protocol?: Protocol;
  /** The policy's prompt template, by name or JSON file (synthesis and rollouts). */
  prompt?: string;
  /** The repairer's prompt template, by name or JSON file. */
  repairPrompt?: string;
  /**
   * Fewest preference pairs to train a reward model on (default 4). With fewer, train-rm is
   * skipped (and says so) and rollouts are scored with format + outcome only.
   */
  minPairs?: number;
  /** What may enter the SFT set and pairs (default `well-formed`; `none`: raw output). */
  admission?: AdmissionMode;
  /** Send kept candidates the admission gate refuses to the repairer (`synthesize --repair-refused`). */
  repairRefused?: boolean;
  /** Start afresh even if `outDir` holds a run with other settings (it is moved aside first). */
  forceNew?: boolean;
  onProgress?: (event: PipelineEvent) => void;
}

export type PipelineEvent =
  /** `command` is the `autotraj` command that runs the same stage on its own. */
  | { type: 'stage-start'; stage: PipelineStage; title: string; command: string[] }
  | { type: 'stage-kept'; stage: PipelineStage; message: string }
  | { type: 'notice'; stage: PipelineStage; message: string }
  /** A stage ended: how (`completed`, `kept`, `skipped`) and plain statements of what happened. */
  | { type: 'stage-done'; stage: PipelineStage; status: StageStatus; notes: string[] }
  | { type: 'synthesis'; event: SynthesisEvent }
  | { type: 'synthesis-done'; summary: SynthesisSummary; outDir: string }
  | { type: 'reward-model-done'; result: RewardModelStageResult }
  | { type: 'rollout-group'; records: RolloutRecord[] }
  | { type: 'rollout-done'; summary: RolloutSummary };

export interface PipelineArtefacts {
  /** The run directory (what `autotraj report` reads). */
  runDir: string;
  sft: string;
  pairs: string;
  hard: string;
  /** What the admission gate kept out of `sft` and `pairs`, with reasons. */
  dropped: string;
  candidates: string;
  synthesisManifest: string;
  rewardModel: string;
  rewardModelReport: string;
  rollouts: string;
  /** `run-summary.json`: model, sampling and how each stage ended (what the report states). */
  summary: string;
}

export interface PipelineResult {
  artefacts: PipelineArtefacts;
  synthesis: SynthesisSummary;
  /** Preference pairs the reward model is trained on. */
  pairs: number;
  /** The training figures, or null when the model on disk was current and kept, or skipped. */
  rewardModel: RewardModelStageResult | null;
  rollout: RolloutSummary;
  /** What `run-summary.json` holds. */
  summary: RunSummary;
}

function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length;
}

/** The reward model is current when it was trained on exactly the pairs now on disk. */
function rewardModelIsCurrent(dir: string, pairs: number): boolean {
  if (!existsSync(join(dir, RUN_FILES.rewardModel))) return false;
  try {
    const report = readRunJson(
      join(dir, RUN_FILES.trainingReport),
      rewardModelTrainingReportSchema,
      'reward model training report',
    );
    return report?.data?.pairs === pairs;
  } catch {
    // An unreadable report: the model is retrained, which rewrites it.
    return false;
  }
}

/** The policy's mode and name as the synthesis manifest records them. */
function synthesisModel(manifestPath: string): RunSummary['model'] {
  try {
    const manifest = readRunJson(manifestPath, synthesisManifestSchema, 'synthesis manifest');
    return {
      mode: manifest?.config?.modelMode ?? 'unknown',
      name: manifest?.config?.model ?? 'unknown',
    };
  } catch {
    return { mode: 'unknown', name: 'unknown' };
  }
}

const stageFailed = (title: string, message: string) =>
  new CliError({
    message: `stage "${title}" failed: ${message}; fix it and rerun: completed work is kept`,
  });

/**
 * What makes a rerun of `autotraj run` the same run: the model (and its file's hash), the task
 * set, and every setting a stage's output depends on. `--limit` is not one (a run may grow).
 */
async function pipelineRunSettings(
  options: PipelineOptions,
  resolved: ResolvedPipelineOptions,
): Promise<RunSettings> {
  const prompt = (kind: 'generation' | 'repair', name: string | undefined, flag: string) =>
    promptRef(resolveCliPrompt(name, { kind, protocol: resolved.protocol, flag }));
  return {
    ...(await modelRunSettings(
      {
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(options.replay === undefined ? {} : { replay: options.replay }),
      },
      { model: options.model ?? 'demo cassette' },
    )),
    lora: options.lora === undefined ? null : await fileDigest(options.lora, '`lora`'),
    tasks: await fileDigest(resolved.tasks, '`tasks`'),
    protocol: resolved.protocol,
    prompt: prompt('generation', options.prompt, '`prompt`'),
    repairPrompt: prompt('repair', options.repairPrompt, '`repairPrompt`'),
    n: resolved.n,
    groupSize: resolved.groupSize,
    temperature: resolved.temperature,
    maxTokens: resolved.maxTokens ?? null,
    minPairs: resolved.minPairs,
    admission: resolved.admission,
    repairRefused: options.repairRefused === true,
  };
}

/**
 * The whole method, one stage after another: synthesize (sample, evaluate, repair) -> train-rm
 * (pairwise reward model, ONNX) -> rollout (RL groups scored with format + outcome + reward
 * model, group advantages). Every stage resumes, so a second run redoes nothing that is already
 * complete. Offline by default (the demo cassette answers); `model`/`baseURL` go live. Returns
 * the artefact paths (the report's inputs) and each stage's figures.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const run = resolvePipelineOptions(options);
  const { live, n, groupSize, concurrency, temperature, minPairs, maxTokens, tasks } = run;
  const { protocol, rolloutLimit } = run;
  if (live && options.replay !== undefined)
    throw new PipelineOptionsError({
      parameters: ['replay', options.model === undefined ? 'baseURL' : 'model'],
      message: '`replay` cannot be combined with `model`/`baseURL`',
    });
  if (options.baseURL !== undefined && options.model === undefined)
    throw new PipelineOptionsError({
      parameters: ['baseURL', 'model'],
      message: '`baseURL` needs `model` <id> (the served model name)',
    });
  if (!(minPairs >= 1))
    throw new PipelineOptionsError({
      parameters: ['minPairs'],
      message: `\`minPairs\` must be at least 1, got ${minPairs}`,
    });
  const emit = (event: PipelineEvent) => options.onProgress?.(event);
  const runDir = resolve(options.outDir);
  const limitArgs = options.limit === undefined ? [] : ['--limit', String(options.limit)];
  const rolloutLimitArgs = rolloutLimit === undefined ? [] : ['--limit', String(rolloutLimit)];
  // The demo cassette answers text-tag requests only: another protocol would miss on every one.
  if (protocol !== 'text-tags' && !live && options.replay === undefined)
    throw new PipelineOptionsError({
      parameters: ['protocol'],
      message: `\`protocol\` ${protocol} needs a live model (\`model\`) or a cassette recorded with it (\`replay\`): the demo cassette holds text-tags responses`,
    });
  const samplingArgs = [
    ...['--temperature', String(temperature)],
    ...(options.maxTokens === undefined ? [] : ['--max-tokens', String(options.maxTokens)]),
    ...(protocol === 'text-tags' ? [] : ['--protocol', protocol]),
  ];
  const promptArgs = options.prompt === undefined ? [] : ['--prompt', options.prompt];
  const synthesisDir = join(runDir, RUN_STAGE_DIRS.synthesis);
  const rmDir = join(runDir, RUN_STAGE_DIRS.rewardModel);
  const rlDir = join(runDir, RUN_STAGE_DIRS.rl);
  const artefacts: PipelineArtefacts = {
    runDir,
    sft: join(synthesisDir, RUN_FILES.sft),
    pairs: join(synthesisDir, RUN_FILES.pairs),
    hard: join(synthesisDir, RUN_FILES.hard),
    dropped: join(synthesisDir, RUN_FILES.dropped),
    candidates: join(synthesisDir, RUN_FILES.candidates),
    synthesisManifest: join(synthesisDir, RUN_FILES.manifest),
    rewardModel: join(rmDir, RUN_FILES.rewardModel),
    rewardModelReport: join(rmDir, RUN_FILES.trainingReport),
    rollouts: join(rlDir, RUN_FILES.rollouts),
    summary: join(runDir, RUN_SUMMARY_FILE),
  };

  // The run's settings, checked (and recorded) before any stage works: a rerun with other
  // settings is refused untouched, and each stage's directory checks its own as well.
  const runHandle = openRunDir({
    dir: runDir,
    command: 'run',
    settings: await pipelineRunSettings(options, run),
    forceNew: run.forceNew,
    // Recorded once the synthesis stage has passed its own check (below): a directory made
    // before settings were recorded is refused by that check and must stay as it was.
    deferRecord: true,
  });
  try {
    const synthesisTitle = '1. synthesize: sample, evaluate, repair';
    emit({
      type: 'stage-start',
      stage: 'synthesize',
      title: synthesisTitle,
      command: [
        'synthesize',
        ...['--out', synthesisDir, '--tasks', tasks, '--n', String(n)],
        ...['--concurrency', String(concurrency), ...limitArgs, ...samplingArgs, ...promptArgs],
        ...(options.repairPrompt === undefined ? [] : ['--repair-prompt', options.repairPrompt]),
        ...(options.model ? ['--model', options.model] : []),
        ...(options.baseURL ? ['--base-url', options.baseURL] : []),
        ...(options.lora ? ['--lora', options.lora] : []),
        ...(options.replay ? ['--replay', options.replay] : []),
        ...(options.admission === 'none' ? ['--admission', 'none'] : []),
        ...(options.repairRefused === true ? ['--repair-refused'] : []),
      ],
    });
    const synthesis = await runSynthesisStage({
      tasks,
      outDir: synthesisDir,
      n,
      concurrency,
      temperature,
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      protocol,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      ...(options.lora === undefined ? {} : { lora: options.lora }),
      ...(options.replay === undefined ? {} : { replay: options.replay }),
      ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
      ...(options.repairPrompt === undefined ? {} : { repairPrompt: options.repairPrompt }),
      ...(options.admission === undefined ? {} : { admission: options.admission }),
      ...(options.repairRefused === true ? { repairRefused: true } : {}),
      onProgress: (event) => {
        // The synthesis directory passed its check and the work begins: record the run's settings.
        if (event.type === 'start') runHandle.record();
        emit({ type: 'synthesis', event });
      },
      onNotice: (message) => emit({ type: 'notice', stage: 'synthesize', message }),
    });
    runHandle.record();
    emit({ type: 'synthesis-done', summary: synthesis, outDir: synthesisDir });
    if (synthesis.run.failed > 0)
      throw stageFailed(
        synthesisTitle,
        `${synthesis.run.failed} task(s) failed (${synthesis.run.failures
          .slice(0, 5)
          .map((f) => `${f.taskId}: ${f.reason}`)
          .join('; ')})`,
      );
    const candidates = candidateFigures(artefacts.candidates);
    const pairs = countLines(artefacts.pairs);
    const admission = {
      mode: synthesis.admission,
      droppedSft: synthesis.counts.droppedSft,
      droppedPairs: synthesis.counts.droppedPairs,
      byReason: synthesis.counts.droppedByReason,
    };
    const synthesisStage = {
      status: 'completed' as const,
      notes: [
        ...synthesisNotes({
          ...candidates,
          kept: synthesis.counts.kept,
          repairsAccepted: synthesis.counts.repairAccepted,
          hard: synthesis.counts.hard,
          sft: synthesis.counts.sft,
          pairs,
        }),
        admissionNote(admission),
      ],
      candidates: candidates.candidates,
      correct: candidates.correct,
      kept: synthesis.counts.kept,
      repairsAccepted: synthesis.counts.repairAccepted,
      sft: synthesis.counts.sft,
      pairs,
      admission,
    };
    emit({
      type: 'stage-done',
      stage: 'synthesize',
      status: 'completed',
      notes: synthesisStage.notes,
    });

    let rewardModel: RewardModelStageResult | null = null;
    let rmStage: RunSummary['stages']['train-rm'];
    if (pairs < minPairs) {
      // Too few pairs: no model, and rollouts must not pick up one an earlier run left behind.
      rmStage = {
        status: 'skipped',
        notes: [tooFewPairsNote(pairs, minPairs)],
        minPairs,
        modelPath: null,
      };
    } else if (rewardModelIsCurrent(rmDir, pairs)) {
      rmStage = {
        status: 'kept',
        notes: [`${rmDir}/model.onnx is current (${pairs} pairs); kept`],
        minPairs,
        modelPath: artefacts.rewardModel,
      };
      emit({ type: 'stage-kept', stage: 'train-rm', message: `2. train-rm: ${rmStage.notes[0]}` });
    } else {
      emit({
        type: 'stage-start',
        stage: 'train-rm',
        title: '2. train-rm: pairwise reward model, exported to ONNX',
        command: [
          'train-rm',
          ...['--pairs', artefacts.pairs, '--out', rmDir],
          ...(run.admission === 'none' ? ['--admission', 'none'] : []),
        ],
      });
      // The run's own gate: pairs synthesis wrote ungated (admission none) are trained on as they are.
      rewardModel = await runRewardModelStage({
        pairs: artefacts.pairs,
        outDir: rmDir,
        admission: run.admission,
      });
      emit({ type: 'reward-model-done', result: rewardModel });
      const held = rewardModel.heldOut;
      rmStage = {
        status: 'completed',
        notes: [
          `trained on ${rewardModel.trainPairs} of ${pairs} pairs`,
          held === null
            ? 'no held-out split (the pairs come from too few tasks): no held-out accuracy measured'
            : `held-out pairwise accuracy ${held.pairwiseAccuracy.toFixed(3)} on ${held.pairs} pairs (length baseline ${held.lengthBaselineAccuracy.toFixed(3)})`,
        ],
        minPairs,
        modelPath: artefacts.rewardModel,
      };
    }
    if (rmStage.status === 'skipped')
      emit({
        type: 'stage-start',
        stage: 'train-rm',
        title: '2. train-rm: skipped',
        command: ['train-rm', '--pairs', artefacts.pairs, '--out', rmDir],
      });
    emit({ type: 'stage-done', stage: 'train-rm', status: rmStage.status, notes: rmStage.notes });

    // Offline, the replayed policy answers rollouts too: the cassette was recorded with the
    // same prompts, temperature 0.3 and seeds (run seed 0, task id, i < G) as candidate sampling.
    const policy: { model?: string; baseURL?: string; lora?: string; replay?: string } = live
      ? {
          ...(options.model === undefined ? {} : { model: options.model }),
          ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
          ...(options.lora === undefined ? {} : { lora: options.lora }),
        }
      : { replay: options.replay ?? demoFixtures.cassettePath };
    const withRm = rmStage.modelPath !== null;
    const rolloutTitle = `3. rollout: RL groups scored with format + outcome${withRm ? ' + reward model' : ' (no reward model)'}`;
    emit({
      type: 'stage-start',
      stage: 'rollout',
      title: rolloutTitle,
      command: [
        'rollout',
        ...['--prompts', tasks, '--group-size', String(groupSize)],
        ...(withRm ? ['--rm', artefacts.rewardModel] : []),
        ...['--out', rlDir, '--tools', demoFixtures.tools.join(',')],
        ...samplingArgs,
        ...promptArgs,
        ...['--seed', '0', '--concurrency', String(concurrency)],
        ...rolloutLimitArgs,
        ...(policy.model === undefined ? [] : ['--model', policy.model]),
        ...(policy.baseURL === undefined ? [] : ['--base-url', policy.baseURL]),
        ...(policy.lora === undefined ? [] : ['--lora', policy.lora]),
        ...(policy.replay === undefined ? [] : ['--replay', policy.replay]),
      ],
    });
    const rollout = await runRolloutStage({
      prompts: tasks,
      groupSize,
      ...(withRm ? { rewardModel: artefacts.rewardModel } : {}),
      outDir: rlDir,
      tools: demoFixtures.tools,
      temperature,
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      protocol,
      seed: 0,
      concurrency,
      ...(rolloutLimit === undefined ? {} : { limit: rolloutLimit }),
      ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
      ...policy,
      onGroup: (records) => emit({ type: 'rollout-group', records }),
    });
    emit({ type: 'rollout-done', summary: rollout });
    if (rollout.failedGroups > 0)
      throw stageFailed(
        rolloutTitle,
        `${rollout.failedGroups} group(s) failed (${rollout.errors
          .slice(0, 5)
          .map((e) => `${e.groupId}: ${e.message}`)
          .join('; ')})`,
      );
    const rolled = rolloutFigures(artefacts.rollouts);
    const rolloutStage: RunSummary['stages']['rollout'] = {
      status: 'completed',
      notes: rolloutNotes(
        rolled,
        rmStage.status === 'skipped'
          ? 'no reward model: train-rm was skipped, too few pairs'
          : null,
      ),
      rollouts: rolled.rollouts,
      correct: rolled.correct,
      rewardTerms: ['format', 'outcome', ...(rolled.usedRewardModel ? ['reward model'] : [])],
    };
    emit({ type: 'stage-done', stage: 'rollout', status: 'completed', notes: rolloutStage.notes });

    const model = synthesisModel(artefacts.synthesisManifest);
    const summary: RunSummary = {
      version: 1,
      model,
      sampling: {
        tasks,
        taskCount: synthesis.counts.tasks,
        n,
        groupSize,
        temperature,
        maxTokens: maxTokens ?? null,
      },
      stages: { synthesize: synthesisStage, 'train-rm': rmStage, rollout: rolloutStage },
    };
    writeRunSummary(runDir, summary);
    return { artefacts, synthesis, pairs, rewardModel, rollout, summary };
  } finally {
    runHandle.close();
  }
}
