export { trajectoryFromSteps, trajectoryFromText, trajectoryToText, type TrajectoryFromStepsOptions } from './build-trajectory.js';
export {
  aiSdkMessageSchema,
  parseAiSdkMessages,
  parseAiSdkSteps,
  renderAiSdkMessages,
  type AiSdkMessage,
  type AiSdkStepLike,
  type AiSdkToolResultOutput,
} from './codecs/ai-sdk-messages.js';
export { extractLastBoxed, extractMarkedAnswer } from './codecs/answer-extraction.js';
export { callIdAt, joinSegments, type ParseIssue, type ParsedSteps, type Segment, type TextCodec } from './codecs/codec.js';
export { gsm8kCalculatorCodec, parseGsm8kCalculator } from './codecs/gsm8k-calculator.js';
export { markdownTirCodec, parseMarkdownTir } from './codecs/markdown-tir.js';
export {
  openAiChatMessageSchema,
  parseOpenAiChat,
  renderOpenAiChat,
  type OpenAiChatMessage,
  type RenderOpenAiChatOptions,
} from './codecs/openai-chat.js';
export { detectTextFormat, getTextCodec, isTextFormat, textFormats, type TextFormat } from './codecs/registry.js';
export { createTagCodec, tagCodec, type TagCodecOptions } from './codecs/tags.js';
export { toolInputFromText, toolInputText } from './codecs/tool-input.js';
export {
  preferencePairFromTrl,
  toLlamaFactoryPreference,
  toTrlConversationalPreference,
  toTrlPreference,
  trlPreferenceRowSchema,
} from './datasets/preference-formats.js';
export {
  describeCall,
  toAlpaca,
  toOpenAiSft,
  toShareGpt,
  type AlpacaRecord,
  type ShareGptRecord,
  type ShareGptTurn,
} from './datasets/sft-formats.js';
export {
  AutoTrajError,
  CodecError,
  formatLocation,
  JsonlLineError,
  ValidationError,
  type InputLocation,
  type JsonlErrorKind,
  type ValidationIssue,
} from './errors.js';
export { canonicalJson, contentId, taskId, trajectoryId } from './ids.js';
export { readJsonl, readJsonlArray, type JsonlRecord, type ReadJsonlOptions, type RejectSink } from './jsonl/read-jsonl.js';
export { createRejectsFile, rejectRecord, type RejectRecord } from './jsonl/rejects.js';
export { readExistingIds, type ExistingIds } from './jsonl/resume.js';
export { createJsonlWriter, type JsonlWriter, type JsonlWriterOptions } from './jsonl/write-jsonl.js';
export { lossMaskArray, modelWrittenText, renderWithLossMask, spansFromSegments } from './render/loss-mask.js';
export { jsonValueSchema, metadataSchema, type JsonValue, type Metadata } from './schemas/json-value.js';
export {
  dimensionScoreSchema,
  lossMaskSpanSchema,
  preferencePairSchema,
  renderedTextSchema,
  rewardBreakdownSchema,
  rolloutRecordSchema,
  scoredTrajectorySchema,
  sftRecordSchema,
  type DimensionScore,
  type LossMaskSpan,
  type PreferencePair,
  type RenderedText,
  type RewardBreakdown,
  type RolloutRecord,
  type ScoredTrajectory,
  type SftRecord,
} from './schemas/records.js';
export {
  answerStepSchema,
  stepSchema,
  thinkStepSchema,
  toolCallStepSchema,
  toolResultStepSchema,
  type AnswerStep,
  type Step,
  type StepInput,
  type StepType,
  type ThinkStep,
  type ToolCallStep,
  type ToolResultStep,
} from './schemas/step.js';
export { taskSchema, type Task, type TaskInput } from './schemas/task.js';
export {
  provenanceSchema,
  samplingSchema,
  trajectorySchema,
  usageSchema,
  type Provenance,
  type Sampling,
  type Trajectory,
  type TrajectoryInput,
  type Usage,
} from './schemas/trajectory.js';
export {
  GSM8K_SOLUTION_MODELS,
  gsm8kGoldAnswer,
  gsm8kModelSolutionsSchema,
  gsm8kModelSolutionTrajectories,
  gsm8kProblemSchema,
  gsm8kReferenceTrajectory,
  gsm8kTask,
  type LabelledTrajectory,
} from './sources/gsm8k.js';
export { toraRecordSchema, toraTrajectory } from './sources/tora.js';
export { formatPath, toValidationIssues, validate } from './validate.js';
