export { PLAIN_TRANSCRIPT_TEMPLATE, PLAIN_TRANSCRIPT_TURN_END } from './chat-template.js';
// The checked entry point: options parsed first (entry/).
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
  fetchedModelPath,
  isFetchedModelName,
  modelsDir,
} from './fetched-models.js';
export { type GgufSummary, readGgufSummary } from './gguf-info.js';
export {
  LlamaCppLanguageModel,
  type LlamaCppModelInfo,
  type LlamaCppModelOptions,
} from './language-model.js';
export { type LlamaCppSourceOptions, llamaCppSource } from './llama-cpp-source.js';
export type { FinishCause, LoadInfo, LoraAdapter, RepeatPenalty } from './protocol.js';
export type { LlamaCppProviderOptions } from './provider-options.js';
export type { ToolCallForm } from './tool-call-parser.js';
export { detectToolCalling, type ToolCallingSupport } from './tool-template.js';
export { verifiedFetchedModelPath } from './verify-fetched-model.js';
