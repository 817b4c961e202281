import { type PresetName, presetNames } from '@autotraj/evaluator';
import type { Protocol, Shard } from '@autotraj/generation';
import {
  type AdmissionMode,
  admissionModes,
  type RepairStrategy,
  type SynthesisEvent,
  type SynthesisSummary,
} from '@autotraj/repairer';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { CLI_CANDIDATES } from '../cli-defaults.js';
import { CliError } from '../cli-error.js';
import { type CliIo, formatTable, println } from '../io.js';
import {
  addModelOptions,
  addRepairModelOptions,
  type ModelFlags,
  modelFlagsOf,
  type RepairModelFlags,
} from '../model-options.js';
import {
  choiceOption,
  FORCE_NEW_HELP,
  integerOption,
  numberOption,
  PROTOCOL_HELP,
  PROTOCOLS,
  SHARD_HELP,
  shardOption,
} from '../options.js';
import { admissionNote } from '../pipeline/stage-notes.js';
import { runSynthesisStage } from '../pipeline/synthesis-stage.js';
import { createProgressBar, type ProgressBar } from '../progress.js';
import { addPromptOption, addRepairPromptOption } from '../prompt-options.js';
import type { CliCommand } from './command.js';

interface SynthesizeFlags extends ModelFlags, RepairModelFlags {
  tasks?: string;
  n: number;
  out: string;
  concurrency: number;
  limit?: number;
  protocol: Protocol;
  strategy: RepairStrategy;
  maxAttempts: number;
  maxToolCalls: number;
  temperature: number;
  maxTokens?: number;
  preset: PresetName;
  prompt?: string;
  repairPrompt?: string;
  admission: AdmissionMode;
  repairRefused?: boolean;
  candidatesFrom?: string;
  shard?: Shard;
  forceNew?: boolean;
  json?: boolean;
}

/** Progress on stderr: a redrawn bar on a terminal, one line per finished task otherwise. */
export function progressPrinter(io: CliIo, json: boolean): (event: SynthesisEvent) => void {
  let retries = 0;
  let bar: ProgressBar | null = null;
  return (event) => {
    if (event.type === 'retry') retries++;
    if (event.type === 'start' && event.candidates !== undefined) {
      const { file, records, tasks, unreadTailBytes } = event.candidates;
      println(
        io.stderr,
        `synthesize: taking the candidates of ${file} (${records} records, ${tasks} tasks), not sampling them: the model runs the repairs only`,
      );
      if (unreadTailBytes > 0)
        println(
          io.stderr,
          `synthesize: its last ${unreadTailBytes} bytes are not a whole line yet (another run still writing it?) and were not read`,
        );
    }
    if (event.type === 'start' && io.interactive && !json)
      bar = createProgressBar(io, { unit: 'tasks', total: event.total, resumed: event.resumed });
    if (event.type !== 'task-done' && event.type !== 'task-failed') return;
    const total = event.total ?? 0;
    const finished = event.done + event.failed;
    const tail =
      event.type === 'task-done'
        ? `kept ${event.counts.kept}  repaired ${event.counts.repairAccepted}  hard ${event.counts.hard}  failed ${event.failed}  retries ${retries}`
        : `failed ${event.taskId}: ${event.reason}`;
    if (bar !== null) {
      bar.update(finished, tail);
      if (finished === total) bar.finish();
    } else {
      println(io.stderr, `synthesize: ${finished}/${total} tasks  ${tail}`);
    }
  };
}

export function synthesisSummaryTable(summary: SynthesisSummary): string {
  const c = summary.counts;
  const t = summary.timings;
  return formatTable(
    [
      ['tasks', c.tasks],
      ['  done this run', summary.run.done],
      ['  resumed (done earlier)', summary.run.resumed],
      ['  failed (rerun to retry)', summary.run.failed],
      ['candidates', c.candidates],
      ['kept', c.kept],
      ['repaired + accepted', c.repairAccepted],
      ['hard cases', c.hard],
      ['discarded', c.discarded],
      ['sft records', c.sft],
      ['preference pairs', c.pairs],
      ['dropped by admission: sft', c.droppedSft],
      ['dropped by admission: pairs', c.droppedPairs],
      ...(c.refusedKeptRepairs === 0
        ? []
        : ([
            ['refused kept, sent to repair', c.refusedKeptRepairs],
            ['  repaired + accepted', c.refusedKeptRepaired],
          ] as Array<[string, number]>)),
      ['candidates: text-form tool calls', c.candidatesWithTextFormToolCalls],
      ['candidates: made-up tool output', c.candidatesWithFabricatedToolOutput],
      ['trajectories / s', Number(t.trajectoriesPerSecond.toFixed(2))],
      ['tool ms / trajectory', Number(t.toolMsPerTrajectory.toFixed(1))],
      ['evaluation ms / trajectory', Number(t.evaluationMsPerTrajectory.toFixed(2))],
      ['wall time s', Number((t.wallMs / 1000).toFixed(1))],
    ],
    ['', 'value'],
  );
}

/** The admission gate's line of the synthesis summary. */
export function synthesisAdmissionLine(summary: SynthesisSummary): string {
  return admissionNote({
    mode: summary.admission,
    droppedSft: summary.counts.droppedSft,
    droppedPairs: summary.counts.droppedPairs,
    byReason: summary.counts.droppedByReason,
  });
}

/** `autotraj synthesize`: sample, evaluate, repair and write SFT data, pairs and hard cases. */
export const synthesizeCommand: CliCommand = {
  register(program, io) {
    const command = program
      .command('synthesize')
      .description(
        'Sample N tool-using candidates per task, evaluate, repair with an LLM, and write candidates/sft/pairs/hard JSONL + manifest.json (resumable). Offline default: replays the shipped demo cassette (authored fixtures).',
      )
      .option(
        '--tasks <file>',
        'tasks JSONL: AutoTraj tasks or GSM8K lines (question, answer); default: the 40 demo GSM8K problems',
      )
      .option(
        '--n <n>',
        `candidates per task (the demo cassette's ${CLI_CANDIDATES}; the paper's N, the libraries' default, is ${RUN_DEFAULTS.n})`,
        integerOption('--n'),
        CLI_CANDIDATES,
      )
      .requiredOption(
        '--out <dir>',
        'output directory (rerun with the same directory and settings to resume; other settings are refused)',
      )
      .option('--force-new', FORCE_NEW_HELP)
      .option(
        '--concurrency <k>',
        'trajectories generated at once',
        integerOption('--concurrency'),
        RUN_DEFAULTS.concurrency,
      )
      .option('--limit <n>', 'only the first n tasks', integerOption('--limit'))
      .option('--shard <i/n|auto>', SHARD_HELP, shardOption())
      .option(
        '--protocol <protocol>',
        PROTOCOL_HELP,
        choiceOption('--protocol', PROTOCOLS),
        RUN_DEFAULTS.protocol,
      )
      .option(
        '--strategy <strategy>',
        'repair strategy: regenerate or resume',
        choiceOption('--strategy', ['regenerate', 'resume'] as const),
        RUN_DEFAULTS.repairStrategy,
      )
      .option(
        '--max-attempts <n>',
        'repair attempts per trajectory',
        integerOption('--max-attempts'),
        RUN_DEFAULTS.repairAttempts,
      )
      .option(
        '--max-tool-calls <n>',
        'tool budget per trajectory',
        integerOption('--max-tool-calls'),
        RUN_DEFAULTS.maxToolCalls,
      )
      .option(
        '--temperature <t>',
        'candidate sampling temperature',
        numberOption('--temperature', { min: 0 }),
        RUN_DEFAULTS.temperature,
      )
      .option(
        '--max-tokens <n>',
        "output tokens per model call (default: the server's; 512 for local: models, which may not stop on their own)",
        integerOption('--max-tokens'),
      )
      .option(
        '--preset <preset>',
        "evaluator preset: paper (default: the paper's released rules exactly) or autotraj (every rule dimension; full is its old name)",
        choiceOption('--preset', presetNames),
        RUN_DEFAULTS.preset,
      )
      .option(
        '--admission <mode>',
        'what may enter sft.jsonl and pairs.jsonl: well-formed (default: the paper format, <think> first, one boxed <answer>, no prompt text, not cut by the token limit; the rest go to dropped.jsonl) or none (everything kept or accepted)',
        choiceOption('--admission', admissionModes),
        RUN_DEFAULTS.admission,
      )
      .option(
        '--repair-refused',
        'send kept candidates the admission gate refuses (a right answer boxed as 10.0, wrong arithmetic in the reasoning, ...) to the repairer too; an accepted repair enters sft.jsonl with a pair of source admission (the refused record still goes to dropped.jsonl)',
      )
      .option(
        '--candidates-from <dir|file>',
        "take each task's candidates from an earlier synthesis (its directory or candidates.jsonl) instead of sampling them; evaluation, repairs and the admission gate run as usual, the model only repairs (use --limit to run the tasks it covers)",
      )
      .option('--json', 'print the summary as JSON on stdout');
    addRepairPromptOption(addPromptOption(addRepairModelOptions(addModelOptions(command)))).action(
      async (flags: SynthesizeFlags) => {
        const summary = await runSynthesisStage({
          ...(flags.tasks === undefined ? {} : { tasks: flags.tasks }),
          outDir: flags.out,
          n: flags.n,
          ...modelFlagsOf(flags),
          concurrency: flags.concurrency,
          ...(flags.limit === undefined ? {} : { limit: flags.limit }),
          protocol: flags.protocol,
          strategy: flags.strategy,
          maxAttempts: flags.maxAttempts,
          maxToolCalls: flags.maxToolCalls,
          temperature: flags.temperature,
          ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
          preset: flags.preset,
          ...(flags.prompt === undefined ? {} : { prompt: flags.prompt }),
          ...(flags.repairPrompt === undefined ? {} : { repairPrompt: flags.repairPrompt }),
          admission: flags.admission,
          ...(flags.repairRefused === true ? { repairRefused: true } : {}),
          ...(flags.candidatesFrom === undefined ? {} : { candidatesFrom: flags.candidatesFrom }),
          ...(flags.shard === undefined ? {} : { shard: flags.shard }),
          forceNew: flags.forceNew === true,
          onProgress: progressPrinter(io, flags.json === true),
          onNotice: (message) => println(io.stderr, `synthesize: ${message}`),
        });
        if (flags.json) println(io.stdout, JSON.stringify(summary));
        else {
          if (summary.shard !== null)
            println(
              io.stdout,
              `shard ${summary.shard.spec} (${summary.shard.source}): ${summary.coverage.assigned.count} of the run's ${summary.coverage.run.count} tasks; join the shards with autotraj merge`,
            );
          println(io.stdout, synthesisSummaryTable(summary));
          println(io.stdout, synthesisAdmissionLine(summary));
          println(
            io.stdout,
            `\nwrote ${flags.out}/{candidates,sft,pairs,hard,dropped}.jsonl and manifest.json`,
          );
        }
        if (summary.run.failed > 0) {
          for (const failure of summary.run.failures.slice(0, 5))
            println(io.stderr, `synthesize: task ${failure.taskId} failed: ${failure.reason}`);
          throw new CliError({
            message: `${summary.run.failed} task(s) failed; rerun the same command to retry them`,
          });
        }
      },
    );
  },
};
