export { PLAIN_TRANSCRIPT_TEMPLATE, PLAIN_TRANSCRIPT_TURN_END } from './chat-template.js';
// The checked entry points: arguments checked first (entry/).
export {
  detectToolCalling,
  fetchedModelPath,
  llamaCppSource,
  modelsDir,
  readGgufSummary,
  verifiedFetchedModelPath,
} from './entry/checked-files.js';
export { createLlamaCppModel } from './entry/checked-model.js';
export {
  GgufFileError,
  type GgufFileErrorCode,
  LlamaCppError,
  type LlamaCppErrorCode,
  ModelNotFetchedError,
} from './errors.js';
export {
  DEFAULT_FETCHED_MODEL,
  FETCHED_MODELS,
  type FetchedModelName,
  type FetchedModelOptions,
  isFetchedModelName,
} from './fetched-models.js';
export type { GgufSummary } from './gguf-info.js';
export {
  LlamaCppLanguageModel,
  type LlamaCppModelInfo,
  type LlamaCppModelOptions,
} from './language-model.js';
export type { LlamaCppSourceOptions } from './llama-cpp-source.js';
export type { FinishCause, LoadInfo, LoraAdapter, RepeatPenalty } from './protocol.js';
export type { LlamaCppProviderOptions } from './provider-options.js';
export type { ToolCallForm } from './tool-call-parser.js';
export type { ToolCallingSupport } from './tool-template.js';
