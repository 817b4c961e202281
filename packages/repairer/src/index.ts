export {
  type AcceptanceOption,
  type AcceptanceRule,
  type AcceptanceThresholds,
  type AcceptanceVerdict,
  PAPER_ACCEPTANCE,
  resolveAcceptance,
  thresholdAcceptance,
} from './acceptance.js';
export {
  type CassetteEntry,
  cassetteEntrySchema,
  createRecordingModel,
  createReplayModel,
  type RecordingModelOptions,
  type ReplayModelOptions,
  readCassette,
  requestKey,
} from './cassette.js';
export { demoFixtures } from './demo.js';
export { CassetteMissError, ModelCallError, RepairerConfigError } from './errors.js';
export type {
  EvaluationDiagnostic,
  EvaluationReportLike,
  EvaluatorLike,
  SelectionAction,
  SelectionDecision,
} from './evaluator-contract.js';
export { generateTrajectory } from './generate-trajectory.js';
export type { GenerateTrajectoryOptions, GenerationStats, Protocol } from './generation-types.js';
export { createLimiter, type Limiter } from './limiter.js';
export { modelNameOf } from './model-name.js';
export { type ModelSpec, type ResolvedModel, resolveModel } from './model-spec.js';
export { aiToolsFromRuntimes } from './native-loop.js';
export {
  DEFAULT_TOOL_TAGS,
  nativeInstructions,
  repairInstructions,
  repairRequest,
  tirInstructions,
} from './prompts.js';
export {
  type RepairStepsInput,
  type RepairStepsResult,
  repairSteps,
  runtimeFromAiTool,
  runtimesFromAiTools,
} from './repair-steps.js';
export {
  createRepairer,
  type RepairAttempt,
  type Repairer,
  type RepairerOptions,
  type RepairInput,
  type RepairResult,
  type RepairStrategy,
  validPrefix,
} from './repairer.js';
export {
  callWithRetry,
  type ModelLike,
  type RetryOptions,
  retryAfterMs,
  withRetries,
} from './resilient-model.js';
export { type SampleCandidatesOptions, sampleCandidates } from './sample-candidates.js';
export {
  type CandidateRecord,
  candidateRecordSchema,
  type HardCase,
  hardCaseSchema,
  type JournalEntry,
  journalEntrySchema,
} from './synthesis-records.js';
export {
  type SynthesisCounts,
  type SynthesisEvent,
  type SynthesisPolicy,
  type SynthesisSummary,
  type SynthesizeOptions,
  synthesize,
} from './synthesize.js';
export { readTasksJsonl } from './tasks-file.js';
