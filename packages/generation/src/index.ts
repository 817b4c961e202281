// The checked entry points: options parsed first (entry/).
export {
  defaultPrompt,
  formatShard,
  isInShard,
  markContinuation,
  requestKey,
  resolvePrompt,
  shardIndexOf,
  withoutContinuation,
  withPrefillContinuation,
  withVllmContinuation,
} from './entry/checked-helpers.js';
export { generateTrajectory, sampleCandidates } from './entry/checked-loop.js';
export {
  callWithRetry,
  createCompatibleProvider,
  createCompletionsModel,
  createOpenAIChatProvider,
  createRecordingModel,
  createReplayModel,
  createVllmProvider,
  readCassette,
  renderTaskPrompt,
  resolveModel,
  withRetries,
} from './entry/checked-models.js';
export {
  aiToolsFromRuntimes,
  createLimiter,
  generationPrompt,
  generationPromptTurns,
  jinjaChatTemplate,
  loadChatTemplate,
  markdownInstructions,
  nativeInstructions,
  readTasksJsonl,
  tirInstructions,
} from './entry/checked-prompts.js';
export {
  CassetteMissError,
  GenerationConfigError,
  ModelCallError,
  type ModelCallErrorCode,
  type ModelCallReason,
} from './errors.js';
export type { GenerateTrajectoryOptions, GenerationStats, Protocol } from './loop/types.js';
export {
  type CassetteEntry,
  cassetteEntrySchema,
  type RecordingModelOptions,
  type ReplayModelOptions,
} from './models/cassette.js';
export {
  type ChatTemplate,
  chatmlTemplate,
  type TemplateMessage,
} from './models/chat-template.js';
export type { CompletionsModelOptions } from './models/completions-model.js';
export {
  type ContinuationMode,
  continuationModes,
  continuationOf,
} from './models/continuation.js';
export {
  type LocalModelSource,
  type ModelProviderName,
  type ModelSpec,
  modelProviders,
  parseModelName,
  type ResolvedModel,
  type ResolveModelOptions,
} from './models/model-spec.js';
export type { CompatibleProviderOptions, ServerProviderOptions } from './models/providers.js';
export type { ModelLike, RetryOptions } from './models/resilient-model.js';
export type { GenerationPromptOptions } from './prompts/generation-prompt.js';
export { PromptTemplateError, type PromptTemplateErrorCode } from './prompts/prompt-error.js';
export { builtinPrompts } from './prompts/registry.js';
export type { Limiter } from './sampling/limiter.js';
export type { SampleCandidatesOptions } from './sampling/sample-candidates.js';
export {
  parseShard,
  SHARD_COUNT_ENV,
  type Shard,
  ShardSpecError,
} from './tasks/shard.js';
