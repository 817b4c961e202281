/**
 * The files of a run directory, by what they hold. Every package that writes or reads a run
 * names its files through these, so a rename happens in one place.
 */
export const RUN_FILES = {
  /** What a run made and with which settings (synthesis: written when it finishes; eval: as it goes). */
  manifest: 'manifest.json',
  /** The settings a run was started with, written before any work (see `openRunDir`). */
  settings: 'settings.json',
  /** Held while a process works in the directory (see `acquireRunLock`). */
  lock: 'run.lock',
  /** The shard a directory covers (see `claimShardDir`). */
  shard: 'shard.json',
  /** One line per finished unit of work: the unit of resumption. */
  journal: 'journal.jsonl',
  candidates: 'candidates.jsonl',
  sft: 'sft.jsonl',
  pairs: 'pairs.jsonl',
  hard: 'hard.jsonl',
  /** What the admission gate kept out of `sft.jsonl` and `pairs.jsonl`, with reasons. */
  dropped: 'dropped.jsonl',
  /** Evaluation: one line per sample. */
  records: 'records.jsonl',
  results: 'results.json',
  resultsMarkdown: 'results.md',
  rollouts: 'rollouts.jsonl',
  rewardModel: 'model.onnx',
  trainingReport: 'training-report.json',
  runSummary: 'run-summary.json',
  report: 'report.html',
} as const;

export type RunFile = (typeof RUN_FILES)[keyof typeof RUN_FILES];

/** The stage directories of an `autotraj run` directory. */
export const RUN_STAGE_DIRS = {
  synthesis: 'synthesis',
  rewardModel: 'reward-model',
  rl: 'rl',
} as const;

/** The per-record output files of a synthesis job (besides the journal), by record kind. */
export const SYNTHESIS_OUTPUTS = ['candidates', 'sft', 'pairs', 'hard', 'dropped'] as const;
export type SynthesisOutput = (typeof SYNTHESIS_OUTPUTS)[number];
