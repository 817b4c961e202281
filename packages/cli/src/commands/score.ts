import { rmSync } from 'node:fs';
import { createOnnxScorer } from '@autotraj/reward-model';
import {
  createJsonlWriter,
  detectRecordFormat,
  isTextFormat,
  isTrajectoryRecordFormat,
  readJsonl,
  recordToTrajectories,
  type Trajectory,
  type TrajectoryRecordFormat,
  textFormats,
  trajectoryRecordFormats,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { println } from '../io.js';
import { integerOption } from '../options.js';
import type { CliCommand } from './command.js';

interface ScoreOptions {
  model: string;
  out: string;
  from: string;
  format?: string;
  batchSize: number;
  threads?: number;
}

interface Pending {
  record: Record<string, unknown>;
  trajectories: Trajectory[];
}

export const scoreCommand: CliCommand = {
  register(program, io) {
    program
      .command('score')
      .description(
        'score trajectories with an exported reward model; each input line comes back with `score`',
      )
      .argument(
        '<input>',
        'JSONL: trajectories, TRL prompt/completion rows, or any layout `convert` reads',
      )
      .requiredOption('--model <file>', 'model.onnx written by `autotraj train-rm`')
      .requiredOption('--out <file>', 'scored JSONL (overwritten)')
      .option(
        '--from <format>',
        `input layout: auto or one of ${trajectoryRecordFormats.join(', ')}`,
        'auto',
      )
      .option(
        '--format <format>',
        'text format of completion records (tags, markdown-tir, gsm8k-calculator); same as --from <format>',
      )
      .option(
        '--batch-size <n>',
        'records scored per onnxruntime call',
        integerOption('--batch-size'),
        512,
      )
      .option('--threads <n>', 'onnxruntime intra-op threads', integerOption('--threads'))
      .action(async (input: string, options: ScoreOptions) => {
        if (options.format !== undefined) {
          if (!isTextFormat(options.format)) {
            throw new CliError({
              message: `unknown --format "${options.format}"; expected one of ${textFormats.join(', ')}`,
              exitCode: 2,
            });
          }
          if (options.from !== 'auto' && options.from !== options.format) {
            throw new CliError({ message: '--format and --from disagree; pass one', exitCode: 2 });
          }
          options.from = options.format;
        }
        if (options.from !== 'auto' && !isTrajectoryRecordFormat(options.from)) {
          throw new CliError({
            message: `unknown --from "${options.from}"; expected auto or one of ${trajectoryRecordFormats.join(', ')}`,
            exitCode: 2,
          });
        }
        const { batchSize } = options;
        const scorer = await createOnnxScorer({
          path: options.model,
          ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
        });
        let format: TrajectoryRecordFormat | 'auto' = options.from as
          | TrajectoryRecordFormat
          | 'auto';
        rmSync(options.out, { force: true });
        const writer = createJsonlWriter(options.out);
        let lines = 0;
        let scored = 0;
        let pending: Pending[] = [];
        const flush = async () => {
          const items = pending.flatMap((p) =>
            p.trajectories.map((trajectory) => ({ trajectory })),
          );
          const scores = items.length === 0 ? new Float32Array(0) : await scorer.score(items);
          let k = 0;
          for (const { record, trajectories } of pending) {
            const values = trajectories.map(() => scores[k++]!);
            // One trajectory per line gets `score`; multi-solution lines (GSM8K solutions) get `scores`.
            writer.write(
              values.length === 1 ? { ...record, score: values[0] } : { ...record, scores: values },
            );
          }
          scored += items.length;
          pending = [];
        };
        try {
          for await (const { value, line } of readJsonl(input)) {
            lines++;
            if (format === 'auto') {
              const detected = detectRecordFormat(value);
              if (detected === null) {
                throw new CliError({
                  message: `${input}, line ${line}: cannot tell the record format; pass --from (one of ${trajectoryRecordFormats.join(', ')})`,
                });
              }
              format = detected;
            }
            const trajectories = recordToTrajectories(format, value, { file: input, line }).map(
              (s) => s.trajectory,
            );
            pending.push({ record: value as Record<string, unknown>, trajectories });
            if (pending.reduce((n, p) => n + p.trajectories.length, 0) >= batchSize) await flush();
          }
          await flush();
        } finally {
          writer.close();
          await scorer.close();
        }
        println(
          io.stderr,
          `scored ${scored} trajectories from ${lines} lines (${format}) -> ${options.out}`,
        );
      });
  },
};
