import { readFileSync } from 'node:fs';
import { openTrajectoryScorer } from '@autotraj/reward-model';
import { isTextFormat, type Trajectory, textFormats } from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { forEachInputFile } from '../input/for-each-input-file.js';
import { resolveInput } from '../input/input-files.js';
import { checkFrom } from '../input/read-records.js';
import { describeKind, holdsTrajectories, inputKinds } from '../input/record-kinds.js';
import { println } from '../io.js';
import { integerOption } from '../options.js';
import { createProgressBar } from '../progress.js';
import type { CliCommand } from './command.js';

interface ScoreOptions {
  model: string;
  out: string;
  from: string;
  format?: string;
  batchSize: number;
  threads?: number;
  strict?: boolean;
}

interface Pending {
  record: Record<string, unknown>;
  trajectories: Trajectory[];
  /** The record field of each trajectory (`chosen`, `rejected`, ...), null for bare layouts. */
  roles: Array<string | null>;
}

function countLines(path: string): number {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length;
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
        'JSONL of anything autotraj writes (candidates, SFT, pairs, hard cases, rollouts, eval results) or any layout `convert` reads; or a run directory',
      )
      .requiredOption('--model <file>', 'model.onnx written by `autotraj train-rm`')
      .requiredOption(
        '--out <file>',
        'scored JSONL (overwritten); for a run directory, a directory with one scored file per input file',
      )
      .option('--from <format>', `input kind: auto or one of ${inputKinds.join(', ')}`, 'auto')
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
      .option('--strict', 'stop at the first bad line')
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
        checkFrom(options.from);
        const resolved = resolveInput(input);
        const { batchSize } = options;
        const scorer = await openTrajectoryScorer({
          path: options.model,
          ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
        });
        try {
          await forEachInputFile({
            io,
            command: 'score',
            input: resolved,
            flags: options,
            heading: false,
            async read({ file, stats, records, openOutput }) {
              const writer = openOutput();
              let scored = 0;
              let pending: Pending[] = [];
              const bar = createProgressBar(io, {
                unit: 'records',
                total: io.interactive ? countLines(file.path) : null,
              });
              const flush = async () => {
                const items = pending.flatMap((p) =>
                  p.trajectories.map((trajectory) => ({ trajectory })),
                );
                const scores = items.length === 0 ? new Float32Array(0) : await scorer.score(items);
                let k = 0;
                for (const { record, trajectories, roles } of pending) {
                  const values = trajectories.map(() => scores[k++]!);
                  // One trajectory per line gets `score`; records holding several get `scores`,
                  // keyed by field (`{ chosen, rejected }`) or in order (GSM8K model solutions).
                  writer.write(
                    values.length === 1
                      ? { ...record, score: values[0] }
                      : roles.every((r) => r !== null)
                        ? {
                            ...record,
                            scores: Object.fromEntries(roles.map((r, i) => [r, values[i]])),
                          }
                        : { ...record, scores: values },
                  );
                }
                scored += items.length;
                pending = [];
                bar.update(stats.records + stats.rejected, `${scored} trajectories scored`);
              };
              try {
                for await (const record of records) {
                  if (!holdsTrajectories(record.kind))
                    throw new CliError({
                      message: `${file.path} holds ${describeKind(record.kind)}; nothing to score`,
                    });
                  pending.push({
                    record: record.value,
                    trajectories: record.trajectories.map((t) => t.trajectory),
                    roles: record.trajectories.map((t) => t.role),
                  });
                  if (pending.reduce((n, p) => n + p.trajectories.length, 0) >= batchSize)
                    await flush();
                }
                await flush();
              } finally {
                bar.finish();
              }
              return scored;
            },
            report({ file, out, stats }, scored) {
              println(
                io.stderr,
                `scored ${scored} trajectories from ${stats.records} records of ${file.path} (${stats.kind}) -> ${out}`,
              );
            },
          });
        } finally {
          await scorer.close();
        }
      });
  },
};
