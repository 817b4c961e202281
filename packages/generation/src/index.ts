export { CassetteMissError, GenerationConfigError, ModelCallError } from './errors.js';
export { generateTrajectory } from './loop/generate-trajectory.js';
export { aiToolsFromRuntimes } from './loop/native-loop.js';
export { nativeInstructions, tirInstructions, toolPromptLines } from './loop/prompts.js';
export type { GenerateTrajectoryOptions, GenerationStats, Protocol } from './loop/types.js';
export {
  type CassetteEntry,
  cassetteEntrySchema,
  createRecordingModel,
  createReplayModel,
  type RecordingModelOptions,
  type ReplayModelOptions,
  readCassette,
  requestKey,
} from './models/cassette.js';
export { modelNameOf } from './models/model-name.js';
export { type ModelSpec, type ResolvedModel, resolveModel } from './models/model-spec.js';
export {
  callWithRetry,
  type ModelLike,
  type RetryOptions,
  retryAfterMs,
  withRetries,
} from './models/resilient-model.js';
export { createLimiter, type Limiter } from './sampling/limiter.js';
export { type SampleCandidatesOptions, sampleCandidates } from './sampling/sample-candidates.js';
export { readTasksJsonl } from './tasks/tasks-file.js';
