export { CliError } from './cli-error.js';
export type { CliCommand } from './commands/command.js';
// The checked entry points: options parsed first (entry/).
export { mergeRuns, runPipeline } from './entry/checked-entries.js';
export { type CliIo, formatTable, processIo } from './io.js';
export { RunMergeError, type RunMergeReason } from './merge/merge-error.js';
export type { MergeRunsOptions, MergeRunsResult } from './merge/merge-runs.js';
export type { RunKind } from './merge/run-dir.js';
export { PipelineOptionsError } from './pipeline/pipeline-options-error.js';
export type {
  PipelineArtefacts,
  PipelineEvent,
  PipelineOptions,
  PipelineResult,
  PipelineStage,
} from './pipeline/run-pipeline.js';
export type { RunSummary, StageStatus } from './pipeline/run-summary.js';
export { createProgram, runCli } from './program.js';
