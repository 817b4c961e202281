import type { SharedV4ProviderOptions } from '@ai-sdk/provider';
import type {
  Metadata,
  PromptTemplate,
  Sampling,
  Step,
  Task,
  ToolRunOutput,
  ToolRuntime,
} from '@autotraj/trajectory';
import type { ModelLike, RetryOptions } from '../models/resilient-model.js';

export type Protocol = 'text-tags' | 'markdown' | 'native';

export interface GenerateTrajectoryOptions {
  model: ModelLike;
  task: Pick<Task, 'id' | 'question'>;
  /** Tools the model may call, executed for real between model calls. */
  tools: ReadonlyArray<ToolRuntime>;
  /**
   * `text-tags` (default): stop at `</code>`/`</search>`, run, append `<result>`; `markdown`: stop
   * at ```output, run the last ```python block with the `python` tool, append its output block;
   * `native`: provider tool calling.
   */
  protocol?: Protocol;
  /** Tool budget (default 3, the paper's limit). */
  maxToolCalls?: number;
  /**
   * The prompt template (default: the protocol's, `tags-example` for text-tags). Recorded in the
   * trajectory's `metadata.prompt` (name, version, hash).
   */
  promptTemplate?: PromptTemplate;
  /** Values for a repair template's `{{attempt}}` and `{{notes}}`. */
  promptValues?: { attempt?: string; notes?: string };
  /** A system turn of your own instead of the template's (then no template is recorded). */
  instructions?: string;
  /** A user turn of your own instead of the template's (then no template is recorded). */
  prompt?: string;
  /** Steps already taken (resume a trajectory from a valid prefix). */
  prefix?: ReadonlyArray<Step>;
  sampling?: Sampling;
  /** Retry / timeout policy for each model call (the model is wrapped with `withRetries`). */
  retry?: RetryOptions;
  /** Pass `false` when the model is already wrapped with `withRetries`. */
  wrapRetries?: boolean;
  /** Tag name -> tool name for the text-tag protocol (default `code`->python, `search`, `calculator`). */
  toolTags?: Readonly<Record<string, string>>;
  /** Model name recorded in provenance (default `provider:modelId`). */
  modelName?: string;
  origin?: 'sampled' | 'repaired' | 'rollout';
  /** Separates identical samples (e.g. the candidate index). */
  salt?: string | number;
  /** Tool session id (default derived from task, salt and a random suffix). */
  sessionId?: string;
  parentId?: string;
  metadata?: Metadata;
  signal?: AbortSignal;
  /** Provider options passed through (e.g. vLLM `continue_final_message`). */
  providerOptions?: SharedV4ProviderOptions;
}

/** Measurements of one generation, also stored in the trajectory's metadata. */
export interface GenerationStats {
  modelCalls: number;
  toolCalls: number;
  modelMs: number;
  toolMs: number;
  finishReason: string;
}

export type ToolResultsByCall = Map<number, ToolRunOutput>;
