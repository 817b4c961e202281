import { existsSync, statSync } from 'node:fs';
import {
  prepareSftTraining,
  SFT_TRAINING_DEFAULTS,
  type SftTrainingSet,
  trainSft,
} from '@autotraj/rl';
import {
  type AdmissionMode,
  admissionModes,
  RUN_DEFAULTS,
  type SftTrainingReport,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { formatTable, println, resolveCliIo } from '../io.js';
import { importLlamaCpp, normalizeModelFlag } from '../model-options.js';
import { choiceOption, FORCE_NEW_HELP, integerOption, numberOption } from '../options.js';
import { fileDigest } from '../pipeline/run-settings.js';
import { admissionTallyNote } from '../pipeline/stage-notes.js';
import { formatDuration } from '../progress.js';
import type { CliCommand } from './command.js';

interface TrainSftFlags {
  forceNew?: boolean;
  sft: string;
  base: string;
  out?: string;
  dryRun?: boolean;
  method: 'lora' | 'full';
  origin: 'all' | 'kept' | 'repaired';
  admission: AdmissionMode;
  loraR: number;
  loraAlpha: number;
  epochs: number;
  maxSteps: number;
  maxLength: number;
  batchSize: number;
  gradAccum: number;
  learningRate?: number;
  seed: number;
  saveSteps: number;
  gguf: boolean;
  ggufType: 'f32' | 'f16' | 'bf16' | 'q8_0';
  threads: number;
  cpu?: boolean;
}

/**
 * The base as a path: `local` / `local:<name>` are the models `./dev models` fetched,
 * `local:<file>` or a bare path is a GGUF file or a Hugging Face model directory.
 */
async function basePath(base: string): Promise<string> {
  const spec = normalizeModelFlag(base) ?? base;
  if (spec.startsWith('local:')) {
    const name = spec.slice('local:'.length);
    const llama = await importLlamaCpp(`--base ${base} is read`);
    return llama.isFetchedModelName(name) ? llama.fetchedModelPath(name) : name;
  }
  return spec;
}

/** What `autotraj train-sft` prints when it is done. */
export function sftTrainingTable(report: SftTrainingReport): string {
  const first = report.losses[0]?.loss;
  const labels: Record<keyof SftTrainingReport['outputs'], string> = {
    adapterDir: 'adapter (PEFT)',
    adapterGguf: 'adapter (GGUF: --lora)',
    hfDir: 'model (Hugging Face)',
    modelGguf: 'model (GGUF: --model local:<file>)',
  };
  const outputs = (Object.keys(labels) as Array<keyof typeof labels>).flatMap((key) => {
    const path = report.outputs[key];
    return path === undefined ? [] : [[labels[key], path] as [string, string]];
  });
  const selection = report.selection;
  return formatTable(
    [
      ...(selection === undefined
        ? []
        : [
            ['records read', String(selection.records)],
            ...(selection.origin === null
              ? []
              : [[`left out (--origin ${selection.origin})`, String(selection.removedByOrigin)]]),
          ]),
      ...(report.admission === undefined
        ? []
        : [
            [
              `left out (admission ${report.admission.mode})`,
              `${report.admission.dropped}${report.admission.dropped === 0 ? '' : ' (dropped.jsonl)'}`,
            ],
          ]),
      ['rows (trained / given)', `${report.trainedRows} / ${report.rows}`],
      ['left out (longer than max length)', String(report.tooLongRows.length)],
      ['left out (exact duplicates)', String(report.duplicateRecords.length)],
      ['method', report.method],
      ['steps', String(report.steps)],
      [
        'loss (first -> last)',
        `${first?.toFixed(3) ?? 'n/a'} -> ${report.finalLoss?.toFixed(3) ?? 'n/a'}`,
      ],
      ['tokens / s', report.tokensPerSecond?.toFixed(1) ?? 'n/a'],
      ['train time', formatDuration(report.trainSeconds * 1000)],
      ...outputs,
    ],
    ['train-sft', ''],
  );
}

/** What `autotraj train-sft --dry-run` prints: what a training run would train on. */
export function sftDryRunTable(set: SftTrainingSet): string {
  return formatTable(
    [
      ['records read', String(set.records)],
      ...(set.origin === null
        ? []
        : [[`left out (--origin ${set.origin})`, String(set.removedByOrigin)]]),
      [`left out (admission ${set.admission.mode})`, String(set.admission.dropped)],
      ...Object.entries(set.admission.droppedByReason)
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([code, n]) => [`  ${code}`, String(n)]),
      ['left out (exact duplicates)', String(set.duplicates.length)],
      ['rows to train on', String(set.rows.length)],
    ],
    ['train-sft --dry-run', ''],
  );
}

const SFT = SFT_TRAINING_DEFAULTS;

export const trainSftCommand: CliCommand = {
  register(program, cliIo) {
    const io = resolveCliIo(cliIo);
    program
      .command('train-sft')
      .description(
        "supervised fine-tuning on an SFT set with TRL's SFTTrainer (Python, python/requirements-trainers.txt): prompt and tool output masked, LoRA or full, resumable; writes a GGUF adapter (or model) for --lora / local:",
      )
      .requiredOption('--sft <file>', 'SFT records JSONL (sft.jsonl of synthesize or run)')
      .option(
        '--out <dir>',
        'output (required unless --dry-run): training-report.json, dropped.jsonl, checkpoints/ (a rerun with the same settings resumes; other settings are refused), adapter.gguf or model.gguf',
      )
      .option(
        '--dry-run',
        'read, filter and gate the records and say what would be trained on; no model loads, nothing is written',
      )
      .option('--force-new', FORCE_NEW_HELP)
      .option(
        '--base <model>',
        'base model: local (the embedded default), local:<name>, a .gguf file (loaded dequantized) or a Hugging Face directory',
        'local',
      )
      .option(
        '--method <method>',
        'lora (PEFT, every linear layer) or full',
        choiceOption('--method', ['lora', 'full'] as const),
        SFT.method,
      )
      .option(
        '--origin <origin>',
        'train on all records, or only kept (the select-by-score baseline) or repaired ones',
        choiceOption('--origin', ['all', 'kept', 'repaired'] as const),
        'all',
      )
      .option(
        '--admission <mode>',
        "well-formed: leave out records today's admission gate refuses (as synthesize does; also sets written before a rule existed), into <out>/dropped.jsonl; none: train on every record",
        choiceOption('--admission', admissionModes),
        RUN_DEFAULTS.admission,
      )
      .option('--lora-r <n>', 'LoRA rank', integerOption('--lora-r'), SFT.lora.r)
      .option('--lora-alpha <n>', 'LoRA alpha', integerOption('--lora-alpha'), SFT.lora.alpha)
      .option('--epochs <n>', 'epochs', numberOption('--epochs', { above: 0 }), SFT.epochs)
      .option(
        '--max-steps <n>',
        'stop after n optimizer steps (0: run the epochs)',
        integerOption('--max-steps', 0),
        SFT.maxSteps,
      )
      .option(
        '--max-length <n>',
        'tokens per row, prompt included; longer rows are left out (never cut) and counted',
        integerOption('--max-length', 16),
        SFT.maxLength,
      )
      .option(
        '--batch-size <n>',
        'rows per forward pass',
        integerOption('--batch-size'),
        SFT.batchSize,
      )
      .option(
        '--grad-accum <n>',
        'forward passes per optimizer step',
        integerOption('--grad-accum'),
        SFT.gradientAccumulation,
      )
      .option(
        '--learning-rate <lr>',
        `AdamW learning rate (default lora ${SFT.learningRate.lora}, full ${SFT.learningRate.full})`,
        numberOption('--learning-rate', { above: 0 }),
      )
      .option('--seed <n>', 'seed', integerOption('--seed', 0), SFT.seed)
      .option(
        '--save-steps <n>',
        'checkpoint every n steps (the last two are kept)',
        integerOption('--save-steps'),
        SFT.saveSteps,
      )
      .option('--no-gguf', "skip the GGUF conversion (llama.cpp's converters)")
      .option(
        '--gguf-type <type>',
        'tensor type of the GGUF written',
        choiceOption('--gguf-type', ['f32', 'f16', 'bf16', 'q8_0'] as const),
        SFT.ggufType,
      )
      .option('--threads <n>', 'torch threads', integerOption('--threads'), SFT.threads)
      .option('--cpu', 'train on the CPU even when a CUDA device is present')
      .action(async (flags: TrainSftFlags) => {
        if (!existsSync(flags.sft)) throw new CliError({ message: `${flags.sft}: no such file` });
        const selection = {
          records: flags.sft,
          ...(flags.origin === 'all' ? {} : { origin: flags.origin }),
          admission: flags.admission,
        };
        if (flags.dryRun === true) {
          const set = await prepareSftTraining(selection);
          println(io.stdout, sftDryRunTable(set));
          println(
            io.stdout,
            `train-sft: ${admissionTallyNote(set.admission, 'SFT records', { dryRun: true })}`,
          );
          return;
        }
        const out = flags.out;
        if (out === undefined)
          throw new CliError({ message: "required option '--out <dir>' not specified" });
        const base = await basePath(flags.base);
        if (!existsSync(base))
          throw new CliError({
            message: `--base ${flags.base}: ${base} does not exist (a .gguf file or a Hugging Face directory)`,
          });
        if (statSync(base).isFile() && !base.endsWith('.gguf'))
          throw new CliError({ message: `--base ${flags.base}: ${base} is not a .gguf file` });
        const source = flags.gguf
          ? await (await importLlamaCpp('--gguf')).llamaCppSource()
          : undefined;
        const started = Date.now();
        const report = await trainSft({
          ...selection,
          base,
          outDir: out,
          method: flags.method,
          lora: { r: flags.loraR, alpha: flags.loraAlpha },
          epochs: flags.epochs,
          maxSteps: flags.maxSteps,
          maxLength: flags.maxLength,
          batchSize: flags.batchSize,
          gradientAccumulation: flags.gradAccum,
          ...(flags.learningRate === undefined ? {} : { learningRate: flags.learningRate }),
          seed: flags.seed,
          saveSteps: flags.saveSteps,
          ...(source === undefined ? {} : { llamaCppSource: source, ggufType: flags.ggufType }),
          threads: flags.threads,
          gpu: flags.cpu !== true,
          // A GGUF replaced under the same path is another base: its checkpoints must not resume.
          settings: {
            baseFile: statSync(base).isFile() ? await fileDigest(base, '--base') : null,
          },
          forceNew: flags.forceNew === true,
          onProgress: (p) =>
            println(
              io.stderr,
              `train-sft: step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}  ${p.tokensPerSecond.toFixed(1)} tokens/s  ETA ${p.etaSeconds === null ? '?' : formatDuration(p.etaSeconds * 1000)}  (${formatDuration(Date.now() - started)} elapsed${p.trainSeconds === undefined ? '' : `, ${formatDuration(p.trainSeconds * 1000)} of training in all`})`,
            ),
        });
        println(io.stdout, sftTrainingTable(report));
        if (report.admission !== undefined)
          println(io.stdout, `train-sft: ${admissionTallyNote(report.admission, 'SFT records')}`);
      });
  },
};
