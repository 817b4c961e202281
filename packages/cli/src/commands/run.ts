import { join } from 'node:path';
import type { Protocol } from '@autotraj/generation';
import { type AdmissionMode, admissionModes } from '@autotraj/repairer';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { Option } from 'commander';
import { CLI_CANDIDATES } from '../cli-defaults.js';
import { CliError } from '../cli-error.js';
import { println } from '../io.js';
import { MODEL_HELP, urlOption } from '../model-options.js';
import {
  choiceOption,
  FORCE_NEW_HELP,
  integerOption,
  numberOption,
  PROTOCOL_HELP,
  PROTOCOLS,
} from '../options.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import { MIN_REWARD_MODEL_PAIRS } from '../pipeline/stage-options.js';
import { writeRunReport } from '../report/write-report.js';
import type { CliCommand } from './command.js';
import { rolloutProgress, rolloutTable } from './rollout.js';
import { progressPrinter, synthesisAdmissionLine, synthesisSummaryTable } from './synthesize.js';
import { rewardModelTable } from './train-rm.js';

interface RunFlags {
  out: string;
  forceNew?: boolean;
  tasks?: string;
  n: number;
  groupSize: number;
  model?: string;
  baseURL?: string;
  lora?: string;
  replay?: string;
  concurrency: number;
  limit?: number;
  rolloutLimit?: number;
  temperature: number;
  maxTokens?: number;
  protocol: Protocol;
  minPairs: number;
  prompt?: string;
  repairPrompt?: string;
  admission: AdmissionMode;
  repairRefused?: boolean;
  shard?: string;
}

/**
 * `autotraj run`: the whole method through `runPipeline()` (synthesize -> train-rm -> rollout),
 * printing what each stage's own command would print, then the HTML report. Every stage
 * resumes, so a second run redoes nothing that is already complete.
 */
export const runCommand: CliCommand = {
  register(program, io) {
    program
      .command('run')
      .description(
        'Run the whole method: synthesize SFT data and preference pairs, train the reward model, RL rollouts, HTML report. Offline by default (replays the demo cassette); --model/--base-url go live. Resumable.',
      )
      .option(
        '--out <dir>',
        'run directory (rerun with the same settings to resume; other settings are refused)',
        'autotraj-demo',
      )
      .option('--force-new', FORCE_NEW_HELP)
      .option(
        '--tasks <file>',
        'tasks JSONL (AutoTraj tasks or GSM8K lines); default: the 40 demo GSM8K problems',
      )
      .option(
        '--n <n>',
        `candidates per task (the demo cassette's ${CLI_CANDIDATES}; the paper's N, the libraries' default, is ${RUN_DEFAULTS.n})`,
        integerOption('--n'),
        CLI_CANDIDATES,
      )
      .option(
        '--group-size <G>',
        'RL rollouts per prompt',
        integerOption('--group-size'),
        RUN_DEFAULTS.groupSize,
      )
      .option('--model <model>', `live policy: ${MODEL_HELP}`)
      .addOption(
        urlOption(
          '--base-url <url>',
          'OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server)',
          'baseURL',
        ),
      )
      .option(
        '--lora <adapter.gguf>',
        'local: only: apply a LoRA adapter (GGUF, e.g. from autotraj train-sft) to the policy',
      )
      .option(
        '--replay <cassette>',
        'answer from a recorded cassette (default offline: the demo cassette)',
      )
      .option(
        '--concurrency <k>',
        'trajectories generated at once',
        integerOption('--concurrency'),
        RUN_DEFAULTS.concurrency,
      )
      .option('--limit <n>', 'only the first n tasks', integerOption('--limit'))
      .option(
        '--rollout-limit <n>',
        'RL rollouts on only the first n tasks (default: --limit)',
        integerOption('--rollout-limit'),
      )
      .option(
        '--temperature <t>',
        'candidate and rollout sampling temperature; sample i of a task is seeded from the run seed 0, the task id and i',
        numberOption('--temperature', { min: 0 }),
        RUN_DEFAULTS.temperature,
      )
      .option(
        '--max-tokens <n>',
        "output tokens per model call (default: the server's; 512 for local: models)",
        integerOption('--max-tokens'),
      )
      .option(
        '--protocol <protocol>',
        `${PROTOCOL_HELP}; the offline demo cassette holds text-tags responses only`,
        choiceOption('--protocol', PROTOCOLS),
        RUN_DEFAULTS.protocol,
      )
      .option(
        '--min-pairs <n>',
        'fewest preference pairs to train a reward model on; with fewer, train-rm is skipped and rollouts use format + outcome only',
        integerOption('--min-pairs'),
        MIN_REWARD_MODEL_PAIRS,
      )
      .option(
        '--prompt <name|file>',
        "the policy's prompt template (synthesis and rollouts): a built-in name or a JSON template file (default tags-example)",
      )
      .option(
        '--repair-prompt <name|file>',
        "the repairer's prompt template: repair-question (default, the paper's: the question alone) or repair-trajectory (also the earlier attempt and what to fix)",
      )
      .option(
        '--admission <mode>',
        'what may enter the SFT set and pairs: well-formed (default; the rest go to synthesis/dropped.jsonl) or none',
        choiceOption('--admission', admissionModes),
        RUN_DEFAULTS.admission,
      )
      .option(
        '--repair-refused',
        'send kept candidates the admission gate refuses to the repairer too (synthesize --repair-refused)',
      )
      // Hidden: only there to say why a run is not sharded and what to do instead.
      .addOption(new Option('--shard <spec>').hideHelp())
      .action(async (flags: RunFlags) => {
        if (flags.shard !== undefined)
          throw new CliError({
            message:
              "autotraj run does not shard: its reward model and rollouts need every shard's pairs. Shard the synthesis instead (autotraj synthesize --shard i/n or auto, then autotraj merge <dirs...> --out <dir>), then run train-rm and rollout on the merged directory",
            exitCode: 2,
          });
        const synthesisProgress = progressPrinter(io, false);
        const rolloutBar = rolloutProgress(io, null);
        const result = await runPipeline({
          outDir: flags.out,
          ...(flags.tasks === undefined ? {} : { tasks: flags.tasks }),
          n: flags.n,
          groupSize: flags.groupSize,
          ...(flags.model === undefined ? {} : { model: flags.model }),
          ...(flags.baseURL === undefined ? {} : { baseURL: flags.baseURL }),
          ...(flags.lora === undefined ? {} : { lora: flags.lora }),
          ...(flags.replay === undefined ? {} : { replay: flags.replay }),
          concurrency: flags.concurrency,
          ...(flags.limit === undefined ? {} : { limit: flags.limit }),
          ...(flags.rolloutLimit === undefined ? {} : { rolloutLimit: flags.rolloutLimit }),
          temperature: flags.temperature,
          ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
          protocol: flags.protocol,
          minPairs: flags.minPairs,
          ...(flags.prompt === undefined ? {} : { prompt: flags.prompt }),
          ...(flags.repairPrompt === undefined ? {} : { repairPrompt: flags.repairPrompt }),
          admission: flags.admission,
          ...(flags.repairRefused === true ? { repairRefused: true } : {}),
          forceNew: flags.forceNew === true,
          onProgress: (event) => {
            switch (event.type) {
              case 'stage-start':
                println(io.stderr, `\n== ${event.title}\n$ autotraj ${event.command.join(' ')}`);
                break;
              case 'stage-kept':
                println(io.stderr, `\n== ${event.message}`);
                break;
              case 'notice':
                println(io.stderr, `${event.stage}: ${event.message}`);
                break;
              case 'stage-done':
                // On stdout with the tables: what happened, in words, for the user to read.
                println(io.stdout, `\n${event.stage}: ${event.status}`);
                for (const note of event.notes) println(io.stdout, `  - ${note}`);
                break;
              case 'synthesis':
                synthesisProgress(event.event);
                break;
              case 'synthesis-done':
                println(io.stdout, synthesisSummaryTable(event.summary));
                println(io.stdout, synthesisAdmissionLine(event.summary));
                println(
                  io.stdout,
                  `\nwrote ${event.outDir}/{candidates,sft,pairs,hard,dropped}.jsonl and manifest.json`,
                );
                for (const failure of event.summary.run.failures.slice(0, 5))
                  println(
                    io.stderr,
                    `synthesize: task ${failure.taskId} failed: ${failure.reason}`,
                  );
                break;
              case 'reward-model-done':
                println(io.stdout, rewardModelTable(event.result));
                break;
              case 'rollout-group':
                rolloutBar(event.records);
                break;
              case 'rollout-done':
                rolloutBar.finish();
                println(io.stdout, rolloutTable(event.summary));
                println(io.stdout, `wrote ${event.summary.path}`);
                for (const error of event.summary.errors)
                  println(
                    io.stderr,
                    `autotraj rollout: group ${error.groupId} failed: ${error.message}`,
                  );
                break;
            }
          },
        });

        const { artefacts } = result;
        const reportPath = join(artefacts.runDir, 'report.html');
        println(
          io.stderr,
          `\n== 4. report\n$ autotraj report ${artefacts.runDir} --out ${reportPath}`,
        );
        const report = await writeRunReport(artefacts.runDir, reportPath);
        for (const message of report.skipped) println(io.stderr, `skipped: ${message}`);
        println(io.stdout, `report: ${report.path}`);

        println(io.stdout, `\nArtefacts in ${artefacts.runDir}:`);
        const trained = result.summary.stages['train-rm'].modelPath !== null;
        const list: [string, string][] = [
          ['SFT set (loss-masked)', artefacts.sft],
          ['preference pairs', artefacts.pairs],
          ['hard cases', artefacts.hard],
          ['candidates + decisions', artefacts.candidates],
          ...(trained
            ? ([
                ['reward model (ONNX)', artefacts.rewardModel],
                ['reward model report', artefacts.rewardModelReport],
              ] as [string, string][])
            : [['reward model', 'none (train-rm skipped: too few pairs)'] as [string, string]]),
          ['RL rollouts', artefacts.rollouts],
          ['run summary', artefacts.summary],
          ['report', report.path],
        ];
        for (const [what, path] of list) println(io.stdout, `  ${what.padEnd(24)} ${path}`);
      });
  },
};
