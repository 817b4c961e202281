import type { Protocol } from '@autotraj/generation';
import { type AdmissionMode, demoFixtures, type RepairStrategy } from '@autotraj/repairer';
import type { AdvantageEstimator, RewardPresetName } from '@autotraj/rl';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { CLI_CANDIDATES } from '../cli-defaults.js';
import { localDefaults } from '../model-options.js';
import type { EvalStageOptions } from './eval-stage.js';
import type { RolloutStageOptions } from './rollout-stage.js';
import type { SynthesisStageOptions } from './synthesis-stage.js';

// Every default of the CLI's long runs, one resolver per run (the `prepare*` pattern of the
// `ai` SDK): each stage reads the resolved object, not `?? x` through its body. The numbers
// come from `RUN_DEFAULTS` (`@autotraj/trajectory`) and the CLI's named exceptions.

type Retry = ReturnType<typeof localDefaults>['retry'];

/** What a model flag implies (`local:` models: a token cap and a long, no-empty-retry timeout). */
interface ModelDefaults {
  /** Output tokens per call: the caller's, else 512 for `local:` models, else the server's. */
  maxTokens: number | undefined;
  retry: Retry;
}

export interface ResolvedSynthesisStageOptions extends ModelDefaults {
  tasks: string;
  n: number;
  concurrency: number;
  protocol: Protocol;
  maxToolCalls: number;
  temperature: number;
  preset: NonNullable<SynthesisStageOptions['preset']>;
  strategy: RepairStrategy;
  maxAttempts: number;
  /** Retries follow the model they wrap: a `local:` repairer gets the local ones. */
  repairRetry: Retry;
  forceNew: boolean;
}

export function resolveSynthesisStageOptions(
  options: SynthesisStageOptions,
): ResolvedSynthesisStageOptions {
  const defaults = localDefaults(options.model, options.localBatch);
  return {
    tasks: options.tasks ?? demoFixtures.tasksPath,
    n: options.n ?? CLI_CANDIDATES,
    concurrency: options.concurrency ?? RUN_DEFAULTS.concurrency,
    protocol: options.protocol ?? RUN_DEFAULTS.protocol,
    maxToolCalls: options.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls,
    temperature: options.temperature ?? RUN_DEFAULTS.temperature,
    preset: options.preset ?? RUN_DEFAULTS.preset,
    strategy: options.strategy ?? RUN_DEFAULTS.repairStrategy,
    maxAttempts: options.maxAttempts ?? RUN_DEFAULTS.repairAttempts,
    maxTokens: options.maxTokens ?? defaults.maxTokens,
    retry: defaults.retry,
    // A server repairer beside a local policy keeps its empty-completion retries and timeout.
    repairRetry:
      options.repairModel === undefined ? defaults.retry : localDefaults(options.repairModel).retry,
    forceNew: options.forceNew ?? false,
  };
}

export interface ResolvedRolloutStageOptions extends ModelDefaults {
  protocol: Protocol;
  preset: RewardPresetName;
  tools: ReadonlyArray<string>;
  maxToolCalls: number;
  temperature: number;
  estimator: AdvantageEstimator;
  concurrency: number;
  runTag: string;
  forceNew: boolean;
}

/** The tools a rollout run offers unless told otherwise. */
export const ROLLOUT_TOOLS: ReadonlyArray<string> = ['calculator', 'python'];

export function resolveRolloutStageOptions(
  options: RolloutStageOptions,
): ResolvedRolloutStageOptions {
  const defaults = localDefaults(options.model, options.localBatch);
  return {
    protocol: options.protocol ?? RUN_DEFAULTS.protocol,
    preset: options.preset ?? RUN_DEFAULTS.preset,
    tools: options.tools ?? ROLLOUT_TOOLS,
    maxToolCalls: options.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls,
    temperature: options.temperature ?? RUN_DEFAULTS.rolloutTemperature,
    estimator: options.estimator ?? RUN_DEFAULTS.advantageEstimator,
    concurrency: options.concurrency ?? RUN_DEFAULTS.concurrency,
    runTag: options.runTag ?? '',
    forceNew: options.forceNew ?? false,
    maxTokens: options.maxTokens ?? defaults.maxTokens,
    retry: defaults.retry,
  };
}

export interface ResolvedEvalStageOptions extends ModelDefaults {
  protocol: Protocol;
  n: number;
  temperature: number;
  seed: number;
  maxToolCalls: number;
  /** The caller's, else one per worker for `local:` models, else 4. */
  concurrency: number;
  mathChecker: NonNullable<EvalStageOptions['mathChecker']>;
  withTools: boolean;
  forceNew: boolean;
}

export function resolveEvalStageOptions(options: EvalStageOptions): ResolvedEvalStageOptions {
  const defaults = localDefaults(options.model, options.localBatch);
  return {
    protocol: options.protocol ?? RUN_DEFAULTS.protocol,
    n: options.n ?? RUN_DEFAULTS.eval.n,
    temperature: options.temperature ?? RUN_DEFAULTS.eval.temperature,
    seed: options.seed ?? RUN_DEFAULTS.eval.seed,
    maxToolCalls: options.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls,
    concurrency: options.concurrency ?? defaults.concurrency ?? RUN_DEFAULTS.eval.concurrency,
    mathChecker: options.mathChecker ?? 'builtin',
    withTools: options.tools !== 'none',
    forceNew: options.forceNew ?? false,
    maxTokens: options.maxTokens ?? defaults.maxTokens,
    retry: defaults.retry,
  };
}

/** Default fewest pairs for train-rm: below it a pairwise model learns nothing worth scoring with. */
export const MIN_REWARD_MODEL_PAIRS = 4;

/** `runPipeline`'s options with every default applied. */
export interface ResolvedPipelineOptions {
  /** A live policy (`model` or `baseURL`); otherwise a cassette answers. */
  live: boolean;
  tasks: string;
  n: number;
  groupSize: number;
  concurrency: number;
  /** Candidate and rollout sampling: a whole run samples both at the candidate temperature. */
  temperature: number;
  protocol: Protocol;
  minPairs: number;
  maxTokens: number | undefined;
  /** Rollouts on at most this many tasks (`rolloutLimit`, never above `limit`). */
  rolloutLimit: number | undefined;
  admission: AdmissionMode;
  forceNew: boolean;
}

export function resolvePipelineOptions(options: {
  model?: string;
  baseURL?: string;
  tasks?: string;
  n?: number;
  groupSize?: number;
  concurrency?: number;
  temperature?: number;
  protocol?: Protocol;
  minPairs?: number;
  maxTokens?: number;
  limit?: number;
  rolloutLimit?: number;
  admission?: AdmissionMode;
  forceNew?: boolean;
}): ResolvedPipelineOptions {
  return {
    live: options.model !== undefined || options.baseURL !== undefined,
    tasks: options.tasks ?? demoFixtures.tasksPath,
    n: options.n ?? CLI_CANDIDATES,
    groupSize: options.groupSize ?? RUN_DEFAULTS.groupSize,
    concurrency: options.concurrency ?? RUN_DEFAULTS.concurrency,
    temperature: options.temperature ?? RUN_DEFAULTS.temperature,
    protocol: options.protocol ?? RUN_DEFAULTS.protocol,
    minPairs: options.minPairs ?? MIN_REWARD_MODEL_PAIRS,
    maxTokens: options.maxTokens ?? localDefaults(options.model).maxTokens,
    // Rollouts may cover fewer tasks than synthesis (a demo needs many pairs, few RL groups).
    rolloutLimit:
      options.rolloutLimit === undefined
        ? options.limit
        : Math.min(options.rolloutLimit, options.limit ?? Number.POSITIVE_INFINITY),
    admission: options.admission ?? RUN_DEFAULTS.admission,
    forceNew: options.forceNew ?? false,
  };
}
