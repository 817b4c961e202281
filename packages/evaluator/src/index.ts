export type { ConsistencyOptions } from './dimensions/consistency.js';
export type {
  AnswerKind,
  CorrectnessOptions,
  CorrectnessOutcome,
} from './dimensions/correctness.js';
export type {
  PaperFormatOptions,
  PaperFormatResult,
  PaperFormatViolation,
} from './dimensions/paper-format.js';
export type { ToolValidityOptions } from './dimensions/tool-validity.js';
export type { Diagnostic, DimensionContext, DimensionResult } from './dimensions/types.js';
export { EvaluatorError, type EvaluatorErrorCode } from './errors.js';
export type {
  AcceptRepairDecision,
  AcceptRepairInput,
  AcceptRepairReport,
} from './evaluate/accept-repair.js';
// The checked entry points: input parsed with the contract schemas before any scoring.
export { acceptRepair, createEvaluator } from './evaluate/checked-evaluator.js';
export {
  checkPaperFormat,
  confidenceDimension,
  consistencyDimension,
  correctnessDimension,
  correctnessDimensionAsync,
  extractAnswers,
  formatDimension,
  isEquivalent,
  lengthDimension,
  normalizeQaAnswer,
  predictedAnswer,
  qaExactMatch,
  qaF1,
  repetitionDimension,
  selectCandidates,
  toolValidityDimension,
  verifyAnswer,
  verifyAnswerAsync,
} from './evaluate/checked-functions.js';
export {
  createJudgeCache,
  createLlmJudge,
  createMathVerifyBackend,
  qualityScore,
} from './evaluate/checked-helpers.js';
export type {
  EvaluatorOptions,
  PresetEvaluateInput,
  PresetEvaluator,
} from './evaluate/create-evaluator.js';
export {
  AUTOTRAJ_WEIGHTS,
  type DimensionName,
  dimensionNames,
  getPreset,
  PAPER_THRESHOLDS,
  PAPER_WEIGHTS,
  type Preset,
  type PresetName,
  presetNames,
  presets,
  type QualityWeights,
  type Thresholds,
} from './evaluate/presets.js';
export type {
  EvaluationReport,
  GroupEvaluation,
  PaperReportFacts,
  SelectionAction,
  SelectionDecision,
} from './evaluate/report.js';
export type { SelectOptions } from './evaluate/selection.js';
export type { JudgeCache } from './judge/cache.js';
export {
  DEFAULT_JUDGE_INSTRUCTIONS,
  type JudgeVerdict,
  judgeVerdictSchema,
  type LlmJudge,
  type LlmJudgeOptions,
} from './judge/llm-judge.js';
export type { AnswerTree, CompareOptions } from './verify/answer-tree.js';
export { type ComparisonIsolation, stopComparisonWorker } from './verify/deadline.js';
export {
  type AnswerCandidate,
  type AnswerSource,
  answerSources,
  type ExtractionTarget,
  type ExtractOptions,
} from './verify/extract.js';
export type {
  AnswerBackend,
  MathVerifyBackend,
  MathVerifyBackendOptions,
} from './verify/math-verify-backend.js';
export type {
  EquivalenceOptions,
  VerificationMethod,
  VerifyAnswerOptions,
  VerifyAnswerResult,
} from './verify/verify-answer.js';
