import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createEvaluator, type PresetName, presetNames } from '@autotraj/evaluator';
import { type Protocol, readTasksJsonl } from '@autotraj/generation';
import {
  createRepairer,
  demoFixtures,
  type RepairStrategy,
  type SynthesisEvent,
  type SynthesisSummary,
  synthesize,
} from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import { CliError } from '../cli-error.js';
import { type CliIo, formatTable, println } from '../io.js';
import {
  addModelOptions,
  addRepairModelOptions,
  type ModelFlags,
  type RepairModelFlags,
  resolveCliModel,
  resolveRepairModel,
} from '../model-options.js';
import { choiceOption, integerOption } from '../options.js';
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
  json?: boolean;
}

function countLines(path: string, limit: number | undefined): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CliError({
      message: `cannot read tasks file ${path}: ${(cause as Error).message}`,
      cause,
    });
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '').length;
  return limit === undefined ? lines : Math.min(lines, limit);
}

/** Progress on stderr: a redrawn bar on a terminal, one line per finished task otherwise. */
function progressPrinter(io: CliIo, json: boolean): (event: SynthesisEvent) => void {
  let retries = 0;
  return (event) => {
    if (event.type === 'retry') retries++;
    if (event.type !== 'task-done' && event.type !== 'task-failed') return;
    const total = event.total ?? 0;
    const finished = event.done + event.failed;
    const tail =
      event.type === 'task-done'
        ? `kept ${event.counts.kept}  repaired ${event.counts.repairAccepted}  hard ${event.counts.hard}  failed ${event.failed}  retries ${retries}`
        : `failed ${event.taskId}: ${event.reason}`;
    if (io.interactive && !json) {
      const width = 24;
      const filled = total > 0 ? Math.round((finished / total) * width) : 0;
      io.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${finished}/${total} tasks  ${tail}\x1b[K`,
      );
      if (finished === total) io.stderr.write('\n');
    } else {
      println(io.stderr, `synthesize: ${finished}/${total} tasks  ${tail}`);
    }
  };
}

function summaryTable(summary: SynthesisSummary): string {
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
      ['trajectories / s', Number(t.trajectoriesPerSecond.toFixed(2))],
      ['tool ms / trajectory', Number(t.toolMsPerTrajectory.toFixed(1))],
      ['evaluation ms / trajectory', Number(t.evaluationMsPerTrajectory.toFixed(2))],
      ['wall time s', Number((t.wallMs / 1000).toFixed(1))],
    ],
    ['', 'value'],
  );
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
      .option('--n <n>', 'candidates per task', integerOption('--n'), 4)
      .requiredOption('--out <dir>', 'output directory (rerun with the same directory to resume)')
      .option(
        '--concurrency <k>',
        'trajectories generated at once',
        integerOption('--concurrency'),
        8,
      )
      .option('--limit <n>', 'only the first n tasks', integerOption('--limit'))
      .option(
        '--protocol <protocol>',
        'text-tags or native tool calling',
        choiceOption('--protocol', ['text-tags', 'native'] as const),
        'text-tags',
      )
      .option(
        '--strategy <strategy>',
        'repair strategy: regenerate or resume',
        choiceOption('--strategy', ['regenerate', 'resume'] as const),
        'regenerate',
      )
      .option(
        '--max-attempts <n>',
        'repair attempts per trajectory',
        integerOption('--max-attempts'),
        1,
      )
      .option(
        '--max-tool-calls <n>',
        'tool budget per trajectory',
        integerOption('--max-tool-calls'),
        3,
      )
      .option('--temperature <t>', 'candidate sampling temperature', Number.parseFloat, 0.3)
      .option(
        '--max-tokens <n>',
        "output tokens per model call (default: the server's; 512 for local: models, which may not stop on their own)",
        integerOption('--max-tokens'),
      )
      .option(
        '--preset <preset>',
        "evaluator preset: paper (default: the paper's released rules exactly) or autotraj (every rule dimension; full is its old name)",
        choiceOption('--preset', presetNames),
        'paper',
      )
      .option('--json', 'print the summary as JSON on stdout');
    addRepairModelOptions(addModelOptions(command)).action(async (flags: SynthesizeFlags) => {
      if (!Number.isFinite(flags.temperature) || flags.temperature < 0)
        throw new CliError({ message: '--temperature must be a number >= 0', exitCode: 2 });
      if (flags.repairModel !== undefined && flags.record !== undefined)
        throw new CliError({
          message: '--record records one model; it cannot be combined with --repair-model',
          exitCode: 2,
        });
      const resolved = await resolveCliModel(flags, {
        fallbackReplay: demoFixtures.cassettePath,
      });
      const repairModel = await resolveRepairModel(flags, resolved).catch(async (error) => {
        await resolved.close();
        throw error;
      });
      const tasksPath = flags.tasks ?? demoFixtures.tasksPath;
      if (resolved.mode === 'demo-replay') {
        println(
          io.stderr,
          `synthesize: offline: replaying the demo cassette ${demoFixtures.cassettePath} (authored fixtures, not a real model); pass --model or --base-url for a live model`,
        );
        if (flags.n > demoFixtures.n)
          println(
            io.stderr,
            `synthesize: the demo cassette holds ${demoFixtures.n} candidates per task; --n ${flags.n} will fail on the missing ones`,
          );
      }
      const total = countLines(tasksPath, flags.limit);
      const pool = createPythonPool({
        size: Math.max(1, Math.min(flags.concurrency, cpus().length)),
      });
      const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
      const evaluator = createEvaluator({ preset: flags.preset });
      try {
        const repairer = createRepairer({
          model: repairModel.model,
          tools,
          evaluator,
          strategy: flags.strategy,
          maxAttempts: flags.maxAttempts,
          protocol: flags.protocol,
          maxToolCalls: flags.maxToolCalls,
          modelName: repairModel.modelName,
        });
        const summary = await synthesize({
          tasks: readTasksJsonl(tasksPath, flags.limit === undefined ? {} : { limit: flags.limit }),
          total,
          policy: {
            model: resolved.model,
            tools,
            protocol: flags.protocol,
            maxToolCalls: flags.maxToolCalls,
            sampling: { temperature: flags.temperature },
            modelName: resolved.modelName,
          },
          repairer,
          evaluator,
          n: flags.n,
          outDir: flags.out,
          concurrency: flags.concurrency,
          onProgress: progressPrinter(io, flags.json === true),
          config: {
            tasks: tasksPath,
            preset: flags.preset,
            modelMode: resolved.mode,
            model: resolved.modelName,
            continuation: resolved.continuation,
            repairModel: repairModel.modelName,
            repairContinuation: repairModel.continuation,
            ...(flags.replay ? { replay: flags.replay } : {}),
          },
        });
        if (flags.json) println(io.stdout, JSON.stringify(summary));
        else {
          println(io.stdout, summaryTable(summary));
          println(
            io.stdout,
            `\nwrote ${flags.out}/{candidates,sft,pairs,hard}.jsonl and manifest.json`,
          );
        }
        if (summary.run.failed > 0) {
          for (const failure of summary.run.failures.slice(0, 5))
            println(io.stderr, `synthesize: task ${failure.taskId} failed: ${failure.reason}`);
          throw new CliError({
            message: `${summary.run.failed} task(s) failed; rerun the same command to retry them`,
          });
        }
      } finally {
        await repairModel.close();
        await resolved.close();
        await pool.close();
      }
    });
  },
};
