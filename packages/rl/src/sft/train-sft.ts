import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runPythonTrainer } from '@autotraj/tools/internal';
import {
  openRunDir,
  RUN_FILES,
  type RunSettings,
  type SftTrainingReport,
  sftTrainingReportSchema,
  writeFileAtomic,
  writeJsonAtomic,
} from '@autotraj/trajectory';
import { sftTrainerScript } from '../python-scripts.js';
import { type PrepareSftOptions, prepareSftTraining } from './prepare-sft.js';
import {
  type GgufType,
  resolveSftTrainingOptions,
  type SftMethod,
} from './sft-training-options.js';
import { type SftProgress, sftProgressSchema } from './sft-training-report.js';

export interface TrainSftOptions extends PrepareSftOptions {
  /** The base: a GGUF file (loaded dequantized to fp32) or a Hugging Face model directory. */
  base: string;
  /**
   * Gets training-report.json, checkpoints/ (a rerun resumes from the latest), and the model:
   * adapter/ + adapter.gguf (LoRA) or hf/ + model.gguf (full fine-tune).
   */
  outDir: string;
  /** `lora` (default): PEFT LoRA on every linear layer; `full`: all weights. */
  method?: SftMethod;
  /** LoRA rank, alpha and dropout; default 8, 16, 0.05. */
  lora?: { r?: number; alpha?: number; dropout?: number };
  /** Default 1. */
  epochs?: number;
  /** Stop after this many optimizer steps (overrides epochs when > 0). */
  maxSteps?: number;
  /** Rows longer than this many tokens (prompt included) are left out and reported; default 1024. */
  maxLength?: number;
  /** Rows per forward pass (default 1) and passes per optimizer step (default 4). */
  batchSize?: number;
  gradientAccumulation?: number;
  /** Default 1e-4 (LoRA) / 2e-5 (full). */
  learningRate?: number;
  seed?: number;
  /** Checkpoint every n steps (default 10); the last two are kept. */
  saveSteps?: number;
  /**
   * A llama.cpp source tree (`llamaCppSource()` of `@autotraj/llama-cpp`): the result is also
   * written as GGUF with llama.cpp's own converters. Without it only the Hugging Face files are.
   */
  llamaCppSource?: string;
  /** GGUF tensor type of the converted output; default `f16`. */
  ggufType?: GgufType;
  /** Interpreter with torch, transformers, TRL, PEFT; default `$AUTOTRAJ_PYTHON`, else `python3`. */
  python?: string;
  /** torch threads; default 2. */
  threads?: number;
  /** Train on a CUDA device when one is present (default true); false forces the CPU. */
  gpu?: boolean;
  onProgress?: (progress: SftProgress) => void;
  /** Every other line the trainer logs. */
  onLog?: (line: string) => void;
  /**
   * Settings of the caller's that make a rerun the same run, beside the ones trainSft knows
   * (the rows trained on, base, method, LoRA, epochs, lengths, batch, learning rate, seed;
   * not `maxSteps`: a run may be extended): e.g. the base file's hash. All are recorded in `outDir/settings.json`
   * before training; resuming the directory (its checkpoints) with any different throws
   * `RunSettingsMismatchError` (`@autotraj/trajectory`) naming each, and nothing changes. A
   * second process on the directory gets `RunLockedError`.
   */
  settings?: RunSettings;
  /** Start afresh even if `outDir` holds a training run with other settings (moved aside first). */
  forceNew?: boolean;
}

/**
 * Supervised fine-tuning on AutoTraj SFT records with TRL's SFTTrainer in a Python child.
 * The loss covers what the model wrote: the prompt and tool output are masked. Rerunning with
 * the same `outDir` resumes from the latest checkpoint. The records go through the admission gate
 * first (`admission`, default `well-formed`; see `prepareSftTraining`): the refused ones are not
 * trained on, they are written to `outDir/dropped.jsonl` and counted in the report. Returns
 * `training-report.json`.
 */
export async function trainSft(options: TrainSftOptions): Promise<SftTrainingReport> {
  const resolved = resolveSftTrainingOptions(options);
  const prepared = await prepareSftTraining(options);
  const { rows, duplicates } = prepared;
  const rowsText = rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  // Checkpoints of another run must not be resumed: the settings are checked before anything is
  // written. `maxSteps` is not one (training may be extended), nor the GGUF output's type.
  const runDir = openRunDir({
    dir: options.outDir,
    command: 'train-sft',
    settings: {
      rows: `sha256:${createHash('sha256').update(rowsText).digest('hex')}`,
      origin: options.origin ?? null,
      admission: prepared.admission.mode,
      base: options.base,
      method: resolved.method,
      lora: resolved.lora,
      epochs: resolved.epochs,
      maxLength: resolved.maxLength,
      batchSize: resolved.batchSize,
      gradientAccumulation: resolved.gradientAccumulation,
      learningRate: resolved.learningRate,
      seed: resolved.seed,
      ...options.settings,
    },
    forceNew: resolved.forceNew,
  });
  try {
    return await train();
  } finally {
    runDir.close();
  }

  async function train(): Promise<SftTrainingReport> {
    const rowsPath = join(options.outDir, 'sft.trl.jsonl');
    writeFileAtomic(rowsPath, rowsText);
    // Written on every run (empty when nothing was refused): a resumed run's file is its own.
    writeFileAtomic(
      join(options.outDir, RUN_FILES.dropped),
      prepared.dropped.map((record) => `${JSON.stringify(record)}\n`).join(''),
    );
    const { lora, gguf } = resolved;
    const args = [
      ...['--rows', rowsPath, '--base', options.base, '--out', options.outDir],
      ...(lora === null
        ? []
        : [
            '--lora',
            ...['--lora-r', String(lora.r), '--lora-alpha', String(lora.alpha)],
            ...['--lora-dropout', String(lora.dropout)],
          ]),
      ...['--epochs', String(resolved.epochs), '--max-steps', String(resolved.maxSteps)],
      ...['--max-length', String(resolved.maxLength)],
      ...['--batch-size', String(resolved.batchSize)],
      ...['--grad-accum', String(resolved.gradientAccumulation)],
      ...['--learning-rate', String(resolved.learningRate)],
      ...['--seed', String(resolved.seed), '--save-steps', String(resolved.saveSteps)],
      ...(gguf === null ? [] : ['--llama-cpp', gguf.llamaCppSource, '--outtype', gguf.type]),
    ];
    const summary = await runPythonTrainer({
      script: sftTrainerScript,
      args,
      problems: { 'bad-base': 'bad-input' },
      gpu: resolved.gpu,
      ...(options.python === undefined ? {} : { python: options.python }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      onLog: (line) => {
        const at = line.indexOf('{"event": "progress"');
        if (at >= 0) {
          const parsed = sftProgressSchema.safeParse(JSON.parse(line.slice(at)));
          if (parsed.success) {
            options.onProgress?.(parsed.data);
            return;
          }
        }
        options.onLog?.(line);
      },
    });
    const { ok: _ok, ...fromTrainer } = summary;
    const report = sftTrainingReportSchema.parse({
      ...fromTrainer,
      duplicateRecords: duplicates,
      selection: {
        records: prepared.records,
        origin: prepared.origin,
        removedByOrigin: prepared.removedByOrigin,
      },
      admission: prepared.admission,
    });
    writeJsonAtomic(join(options.outDir, RUN_FILES.trainingReport), report);
    return report;
  }
}
