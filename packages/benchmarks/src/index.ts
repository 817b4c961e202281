// The checked entry points: records and options parsed first (entry/).

export {
  compareEvals,
  goldAnswersOf,
  loadBenchmark,
  pairedBootstrap,
  passAtK,
  readBenchmarkFile,
  reportedKs,
} from './entry/checked-report.js';
export {
  comparisonMarkdown,
  readEvalManifest,
  readEvalRecords,
  resultsMarkdown,
} from './entry/checked-results.js';
export { runEval } from './entry/checked-run.js';
export {
  checkAnswer,
  majorityVote,
  questionScores,
  summarizeEval,
} from './entry/checked-scoring.js';
export { BenchmarkError, type BenchmarkErrorCode } from './errors.js';
export {
  type BenchmarkQuestion,
  benchmarkLineSchema,
  type LoadBenchmarkOptions,
} from './load/load-benchmark.js';
export {
  type BenchmarkInfo,
  type BenchmarkKind,
  benchmarkNames,
  benchmarkPath,
  benchmarks,
  getBenchmark,
} from './registry.js';
export type { EvalRun } from './report/compare.js';
export {
  type BenchmarkComparison,
  type BenchmarkResult,
  benchmarkComparisonSchema,
  benchmarkResultSchema,
  type ComparisonBehaviour,
  type ComparisonCell,
  comparisonBehaviourSchema,
  comparisonCellSchema,
  type EvalComparison,
  type EvalResults,
  evalComparisonSchema,
  evalResultsSchema,
} from './report/results-schema.js';
export {
  type EvalManifest,
  type EvalRecord,
  type EvalSettings,
  type EvalVerdict,
  evalManifestSchema,
  evalRecordSchema,
  evalSettingsSchema,
  evalVerdictSchema,
  recordKey,
} from './run/records.js';
export {
  type EvalEvent,
  evalShardKey,
  type RunEvalOptions,
  type RunEvalSummary,
} from './run/run-eval.js';
export {
  type BootstrapOptions,
  type PairedBootstrapResult,
  pairedBootstrapResultSchema,
} from './score/bootstrap.js';
export type { AnswerCheck, CheckAnswerOptions } from './score/check-answer.js';
export {
  type MajorityVoteOptions,
  type VoteResult,
  type VoteSample,
  voteKey,
} from './score/majority.js';
