import { rmSync } from 'node:fs';
import {
  AutoTrajError,
  contentId,
  createJsonlWriter,
  createRejectsFile,
  getTextCodec,
  isTextFormat,
  JsonlLineError,
  type PreferencePair,
  preferencePairFromTrl,
  preferencePairSchema,
  readJsonl,
  renderAiSdkMessages,
  renderOpenAiChat,
  renderWithLossMask,
  type SftRecord,
  type SourcedTrajectory,
  sftRecordSchema,
  type TextFormat,
  textFormats,
  toAlpaca,
  toLlamaFactoryPreference,
  toOpenAiSft,
  toShareGpt,
  toTrlConversationalPreference,
  toTrlPreference,
  validate,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { checkFrom, newStats, readTrajectoryInput } from '../input/read-records.js';
import { detectInputKind, inputKinds } from '../input/record-kinds.js';
import { println } from '../io.js';
import type { CliCommand } from './command.js';

const trajectoryOutputs = [
  'trajectory',
  'openai-chat',
  'ai-sdk',
  'openai-sft',
  'sharegpt',
  'alpaca',
  ...textFormats,
] as const;
const pairInputs = ['pairs', 'trl'] as const;
const pairOutputs = ['pairs', 'trl', 'trl-conversational', 'llamafactory-pairs'] as const;

type TrajectoryOutput = (typeof trajectoryOutputs)[number];
type PairOutput = (typeof pairOutputs)[number];

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** An SFT view of a trajectory converted on its own: rendered in tags with loss-mask spans. */
function asSftRecord(item: SourcedTrajectory, format: TextFormat): SftRecord {
  const { trajectory } = item;
  return validate(sftRecordSchema, {
    id: contentId('sft', { t: trajectory.id }),
    taskId: trajectory.taskId,
    question: trajectory.question ?? '',
    trajectory,
    origin: 'kept',
    rendered: renderWithLossMask(trajectory.steps, getTextCodec(format)),
  });
}

function renderTrajectory(
  item: SourcedTrajectory,
  to: TrajectoryOutput,
  sftFormat: TextFormat,
): unknown {
  const { trajectory } = item;
  const question = trajectory.question;
  const label = item.isCorrect === null ? {} : { is_correct: item.isCorrect };
  switch (to) {
    case 'trajectory':
      return trajectory;
    case 'openai-chat':
      return {
        id: trajectory.id,
        taskId: trajectory.taskId,
        ...label,
        messages: renderOpenAiChat(trajectory.steps, question === undefined ? {} : { question }),
      };
    case 'ai-sdk':
      return {
        id: trajectory.id,
        taskId: trajectory.taskId,
        ...label,
        messages: renderAiSdkMessages(trajectory.steps, question === undefined ? {} : { question }),
      };
    case 'openai-sft':
      return toOpenAiSft(asSftRecord(item, sftFormat));
    case 'sharegpt':
      return toShareGpt(asSftRecord(item, sftFormat));
    case 'alpaca':
      return toAlpaca(asSftRecord(item, sftFormat));
    default: {
      const rendered = renderWithLossMask(trajectory.steps, getTextCodec(to));
      return {
        id: trajectory.id,
        taskId: trajectory.taskId,
        question: question ?? '',
        ...label,
        text: rendered.text,
        spans: rendered.spans,
      };
    }
  }
}

function renderPair(pair: PreferencePair, to: PairOutput, format: TextFormat): unknown {
  switch (to) {
    case 'pairs':
      return pair;
    case 'trl':
      return toTrlPreference(pair, { format });
    case 'trl-conversational':
      return toTrlConversationalPreference(pair, { format });
    case 'llamafactory-pairs':
      return toLlamaFactoryPreference(pair, { format });
  }
}

interface ConvertOptions {
  from: string;
  to: string;
  strict?: boolean;
  rejects?: string;
  textFormat: string;
}

export const convertCommand: CliCommand = {
  register(program, io) {
    program
      .command('convert')
      .description(
        'convert trajectories (or preference pairs) between formats, one JSONL record per line',
      )
      .argument('<in>', 'input JSONL file')
      .argument('<out>', 'output JSONL file (overwritten)')
      .option(
        '--from <format>',
        `input format (default auto: detect from the first record): ${[...inputKinds, ...pairInputs].join(', ')}`,
        'auto',
      )
      .requiredOption(
        '--to <format>',
        `output format: ${[...trajectoryOutputs, ...pairOutputs].join(', ')}`,
      )
      .option(
        '--text-format <format>',
        `text rendering for sft/pair outputs: ${textFormats.join(', ')}`,
        'tags',
      )
      .option('--strict', 'stop at the first bad line instead of writing it to the rejects file')
      .option('--rejects <file>', 'where bad lines go (default: <out>.rejects.jsonl)')
      .action(async (input: string, output: string, options: ConvertOptions) => {
        if (!isTextFormat(options.textFormat)) {
          throw new CliError({
            message: `--text-format must be one of ${textFormats.join(', ')}`,
            exitCode: 2,
          });
        }
        const textFormat = options.textFormat;
        // Pair outputs read pairs: ours (`pairs`, also detected from the records) or TRL rows.
        const pairMode =
          isOneOf(pairInputs, options.from) ||
          (options.from === 'auto' && isOneOf(pairOutputs, options.to));
        if (pairMode && !isOneOf(pairOutputs, options.to)) {
          throw new CliError({
            message: `--from ${options.from} holds preference pairs; --to must be one of ${pairOutputs.join(', ')}`,
            exitCode: 2,
          });
        }
        if (!pairMode) checkFrom(options.from);
        if (!pairMode && !isOneOf(trajectoryOutputs, options.to)) {
          throw new CliError({
            message: `--to "${options.to}" is not a trajectory output; expected one of ${trajectoryOutputs.join(', ')}`,
            exitCode: 2,
          });
        }
        const rejectsPath = options.rejects ?? `${output}.rejects.jsonl`;
        rmSync(output, { force: true });
        rmSync(rejectsPath, { force: true });
        const writer = createJsonlWriter(output);
        const started = performance.now();
        let written = 0;
        let rejected = 0;
        let lines = 0;
        try {
          if (pairMode) {
            const to = options.to as PairOutput;
            let pairFrom: 'pairs' | 'trl' | undefined;
            let rejects: ReturnType<typeof createRejectsFile> | null = null;
            const reject = (error: JsonlLineError, raw: string) => {
              rejects ??= createRejectsFile(rejectsPath);
              rejects(error, raw);
              rejected++;
            };
            try {
              for await (const { value, line } of readJsonl(
                input,
                options.strict ? {} : { mode: 'lenient', onReject: reject },
              )) {
                lines++;
                const location = { file: input, line };
                try {
                  pairFrom ??=
                    options.from === 'auto'
                      ? detectInputKind(value) === 'pairs'
                        ? 'pairs'
                        : 'trl'
                      : (options.from as 'pairs' | 'trl');
                  const pair =
                    pairFrom === 'pairs'
                      ? validate(preferencePairSchema, value, { location, what: 'preference pair' })
                      : preferencePairFromTrl(value, { location });
                  writer.write(renderPair(pair, to, textFormat));
                  written++;
                } catch (error) {
                  if (options.strict || !AutoTrajError.isInstance(error)) throw error;
                  reject(
                    new JsonlLineError({
                      kind: 'invalid-record',
                      location,
                      detail: error.message,
                      cause: error,
                    }),
                    JSON.stringify(value),
                  );
                }
              }
            } finally {
              (rejects as ReturnType<typeof createRejectsFile> | null)?.close();
            }
          } else {
            const to = options.to as TrajectoryOutput;
            const stats = newStats(input);
            const items = readTrajectoryInput(
              { path: input, from: options.from, strict: options.strict ?? false, rejectsPath },
              stats,
            );
            for await (const item of items) {
              writer.write(renderTrajectory(item, to, textFormat));
              written++;
            }
            lines = stats.lines;
            rejected = stats.rejected;
          }
        } finally {
          writer.close();
        }
        const seconds = (performance.now() - started) / 1000;
        println(
          io.stderr,
          `converted ${lines} lines -> ${written} records (${options.to}) in ${seconds.toFixed(2)} s: ${output}`,
        );
        if (rejected > 0)
          println(io.stderr, `${rejected} of ${lines} lines rejected -> ${rejectsPath}`);
        if (rejected > 0 && written === 0)
          throw new CliError({
            message: `every line of ${input} was rejected; see ${rejectsPath}`,
          });
      });
  },
};
