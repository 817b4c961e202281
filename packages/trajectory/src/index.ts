export {
  type AdmissionCode,
  type AdmissionInput,
  type AdmissionReason,
  type AdmissionVerdict,
  admissionCodeSchema,
  admissionCodes,
  admissionReasonSchema,
  type FabricatedToolOutputDetector,
} from './admission/admission-gate.js';
export {
  type AdmissionMode,
  type AdmissionTally,
  type AdmittedRecords,
  type AdmittedSet,
  admissionModeSchema,
  admissionModes,
  admissionTallySchema,
  type DroppedRecord,
  droppedRecordSchema,
} from './admission/admit-records.js';
export type { IdleToolCall } from './admission/idle-tool-call.js';
export {
  PROMPT_META_PHRASES,
  type PromptMetaMatch,
  type PromptMetaPhrase,
} from './admission/prompt-meta-text.js';
export {
  type ProseArithmeticError,
  type ProseEquation,
  readProseEquations,
} from './admission/prose-arithmetic.js';
export type { TrajectoryFromStepsOptions } from './build-trajectory.js';
export {
  type AiSdkMessage,
  type AiSdkStepLike,
  type AiSdkToolResultOutput,
  aiSdkMessageSchema,
  parseAiSdkMessages,
  parseAiSdkSteps,
} from './codecs/ai-sdk-messages.js';
export { extractLastBoxed, extractMarkedAnswer } from './codecs/answer-extraction.js';
export type { ParsedSteps, ParseIssue, TextCodec } from './codecs/codec.js';
export {
  type OpenAiChatMessage,
  openAiChatMessageSchema,
  parseOpenAiChat,
  type RenderOpenAiChatOptions,
} from './codecs/openai-chat.js';
export {
  detectTextFormat,
  isTextFormat,
  type TextFormat,
  textFormats,
} from './codecs/registry.js';
export type { TagCodecOptions } from './codecs/tags.js';
export { RUN_DEFAULTS, type RunDefaults } from './contracts/defaults.js';
export { type Diagnostic, diagnosticSchema } from './contracts/diagnostic.js';
export {
  type AcceptRepairRequest,
  type DimensionScore,
  dimensionScoreSchema,
  type EvaluateGroupInput,
  type EvaluateInput,
  type EvaluationReport,
  type Evaluator,
  evaluationReportSchema,
  type GroupEvaluation,
  groupEvaluationSchema,
  type PaperReportFacts,
  paperReportFactsSchema,
  type SelectionAction,
  type SelectionDecision,
  selectionActionSchema,
  selectionDecisionSchema,
} from './contracts/evaluation.js';
export {
  PROMPT_PLACEHOLDERS,
  type PromptPlaceholder,
  type PromptRef,
  type PromptTemplate,
  promptTemplateSchema,
  type RenderedPrompt,
} from './contracts/prompt-template.js';
export {
  type ScoreItem,
  type ScorerMetadata,
  scorerMetadataSchema,
  type TrajectoryScorer,
} from './contracts/scorer.js';
export {
  builtinToolSpecs,
  calculatorToolSpec,
  pythonToolSpec,
  searchToolSpec,
  type ToolSpec,
  toolSpecSchema,
} from './contracts/tool-spec.js';
export { trlPreferenceRowSchema } from './datasets/preference-formats.js';
export type { ChatPromptMessage } from './datasets/prompt-turns.js';
export type {
  AlpacaRecord,
  ShareGptRecord,
  ShareGptTurn,
} from './datasets/sft-formats.js';
// The checked entry points: records parsed with the contract schemas first (entry/).
export {
  createTagCodec,
  getTextCodec,
  gsm8kCalculatorCodec,
  markdownTirCodec,
  parseGsm8kCalculator,
  parseMarkdownTir,
  renderAiSdkMessages,
  renderOpenAiChat,
  tagCodec,
  trajectoryFromSteps,
  trajectoryFromText,
  trajectoryToText,
} from './entry/checked-codecs.js';
export {
  checkAdmission,
  toAlpaca,
  toLlamaFactoryPreference,
  toOpenAiSft,
  toShareGpt,
  toTrlConversationalPreference,
  toTrlPreference,
} from './entry/checked-datasets.js';
export {
  promptRef,
  promptTemplateHash,
  renderPromptTemplate,
  sampleSeed,
  taskId,
  taskSetDigest,
  toolResultStep,
  trajectoryId,
} from './entry/checked-helpers.js';
export {
  findFabricatedToolOutput,
  findIdleToolCalls,
  findPromptMetaText,
  findProseArithmeticErrors,
  findTextFormToolCalls,
  findTrajectoryTextFormToolCalls,
  sourceTextOf,
} from './entry/checked-model-text.js';
export {
  admitPreferencePairs,
  admitRecords,
  admitSftRecords,
  createJsonlWriter,
  formatDroppedByReason,
  lossMaskArray,
  preferencePairFromTrl,
  promptMessages,
  readJsonl,
  readJsonlArray,
  recordPromptMessages,
  renderWithLossMask,
} from './entry/checked-records.js';
export { checkRunDir, openJournalStore, openRunDir } from './entry/checked-run-dir.js';
export {
  claimShardDir,
  diffRunSettings,
  readRunJson,
  readRunSettings,
  writeFileAtomic,
  writeJsonAtomic,
} from './entry/checked-run-files.js';
export {
  contentId,
  createRejectsFile,
  gsm8kModelSolutionTrajectories,
  gsm8kReferenceTrajectory,
  gsm8kTask,
  readExistingIds,
  recordToTrajectories,
  toraTrajectory,
} from './entry/checked-sources.js';
export {
  AutoTrajError,
  CodecError,
  type InputLocation,
  type JsonlErrorKind,
  JsonlLineError,
  type JsonlLineErrorCode,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export type {
  JournalOutput,
  JournalStore,
  OpenJournalStoreOptions,
} from './jsonl/journal-store.js';
export { OutputWriteError, type OutputWriteErrorCode } from './jsonl/output-write-error.js';
export type { JsonlRecord, ReadJsonlOptions, RejectSink } from './jsonl/read-jsonl.js';
export { type RejectRecord, rejectRecord } from './jsonl/rejects.js';
export type { ExistingIds } from './jsonl/resume.js';
export type { JsonlWriter, JsonlWriterOptions } from './jsonl/write-jsonl.js';
export {
  FABRICATED_TOOL_OUTPUT,
  type ModelTextCode,
  type ModelTextFinding,
  TEXT_FORM_TOOL_CALL,
} from './model-text/finding.js';
export { SOURCE_TEXT_KEY } from './model-text/source-text.js';
export type { TextFormToolCallOptions } from './model-text/text-form-tool-calls.js';
export {
  type PaperFormatCheck,
  type PaperFormatCode,
  paperValidateFormat,
} from './paper/validate-format.js';
export {
  RUN_FILES,
  RUN_STAGE_DIRS,
  type RunFile,
  SYNTHESIS_OUTPUTS,
  type SynthesisOutput,
} from './run-dir/layout.js';
export type {
  OpenRunDirOptions,
  RecordedRunSettings,
  RunDirCheck,
  RunDirHandle,
} from './run-dir/open-run-dir.js';
export {
  RunLockedError,
  type RunLockOwner,
  RunSettingsMismatchError,
} from './run-dir/run-dir-errors.js';
export type { RunLock } from './run-dir/run-lock.js';
export {
  type RunSettings,
  type RunSettingsFile,
  runSettingsFileSchema,
  runSettingsSchema,
  type SettingDifference,
} from './run-dir/run-settings.js';
export {
  type ShardClaim,
  ShardMismatchError,
  type ShardRecord,
  type TaskSetDigest,
} from './run-dir/shard-claim.js';
export {
  type SynthesisManifest,
  synthesisManifestSchema,
} from './run-dir/synthesis-manifest.js';
export {
  type RewardModelTrainingReport,
  rewardModelTrainingReportSchema,
  type SftTrainingReport,
  sftLossPointSchema,
  sftTrainingReportSchema,
} from './run-dir/training-report.js';
export {
  SAMPLE_SEED_DERIVATION,
  type SampleSeedOptions,
} from './sample-seed.js';
export {
  type JsonValue,
  jsonValueSchema,
  type Metadata,
  metadataSchema,
} from './schemas/json-value.js';
export {
  type LossMaskSpan,
  lossMaskSpanSchema,
  type PreferencePair,
  type PromptTurns,
  preferencePairSchema,
  promptTurnsSchema,
  type RenderedText,
  type RewardBreakdown,
  type RolloutRecord,
  renderedTextSchema,
  rewardBreakdownSchema,
  rolloutRecordSchema,
  type ScoredTrajectory,
  type SftRecord,
  scoredTrajectorySchema,
  sftRecordSchema,
} from './schemas/records.js';
export {
  type AnswerStep,
  answerStepSchema,
  type Step,
  type StepInput,
  type StepType,
  stepSchema,
  type ThinkStep,
  type ToolCallStep,
  type ToolResultStep,
  thinkStepSchema,
  toolCallStepSchema,
  toolResultStepSchema,
} from './schemas/step.js';
export { type Task, type TaskInput, taskSchema } from './schemas/task.js';
export {
  type Provenance,
  provenanceSchema,
  type Sampling,
  samplingSchema,
  type Trajectory,
  type TrajectoryInput,
  trajectorySchema,
  type Usage,
  usageSchema,
} from './schemas/trajectory.js';
export {
  GSM8K_SOLUTION_MODELS,
  gsm8kGoldAnswer,
  gsm8kModelSolutionsSchema,
  gsm8kProblemSchema,
  type LabelledTrajectory,
} from './sources/gsm8k.js';
export {
  detectRecordFormat,
  isTrajectoryRecordFormat,
  type SourcedTrajectory,
  type TrajectoryRecordFormat,
  trajectoryRecordFormats,
} from './sources/record-formats.js';
export { toraRecordSchema } from './sources/tora.js';
export type {
  ToolRunContext,
  ToolRunOutput,
  ToolRuntime,
} from './tool-runtime.js';
export { validate } from './validate.js';
