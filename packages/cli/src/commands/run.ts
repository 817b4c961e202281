import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { demoFixtures } from '@autotraj/repairer';
import { CliError } from '../cli-error.js';
import { println } from '../io.js';
import { runCli } from '../program.js';
import type { CliCommand } from './command.js';

interface RunFlags {
  out: string;
  tasks?: string;
  n: string;
  groupSize: string;
  model?: string;
  baseUrl?: string;
  replay?: string;
  concurrency: string;
  limit?: string;
}

function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '').length;
}

/** The reward model is current when it was trained on exactly the pairs now on disk. */
function rewardModelIsCurrent(dir: string, pairs: number): boolean {
  const report = join(dir, 'training-report.json');
  if (!existsSync(join(dir, 'model.onnx')) || !existsSync(report)) return false;
  try {
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as { data?: { pairs?: number } };
    return parsed.data?.pairs === pairs;
  } catch {
    return false;
  }
}

/**
 * `autotraj run`: the whole method, one stage after another, each stage being the CLI command
 * of the same name: synthesize (sample, evaluate, repair) -> train-rm (pairwise reward model,
 * ONNX) -> rollout (RL groups scored with format + outcome + RM, group advantages) -> report.
 * Every stage resumes, so a second run redoes nothing that is already complete.
 */
export const runCommand: CliCommand = {
  register(program, io) {
    program
      .command('run')
      .description(
        'Run the whole method: synthesize SFT data and preference pairs, train the reward model, RL rollouts, HTML report. Offline by default (replays the demo cassette); --model/--base-url go live. Resumable.',
      )
      .option('--out <dir>', 'run directory', 'autotraj-demo')
      .option(
        '--tasks <file>',
        'tasks JSONL (AutoTraj tasks or GSM8K lines); default: the 40 demo GSM8K problems',
      )
      .option('--n <n>', 'candidates per task', '4')
      .option('--group-size <G>', 'RL rollouts per prompt', '4')
      .option('--model <model>', 'live policy: openai:<id>, or <id> with --base-url')
      .option('--base-url <url>', 'OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server)')
      .option(
        '--replay <cassette>',
        'answer from a recorded cassette (default offline: the demo cassette)',
      )
      .option('--concurrency <k>', 'trajectories generated at once', '8')
      .option('--limit <n>', 'only the first n tasks')
      .action(async (flags: RunFlags) => {
        const out = resolve(flags.out);
        const live = flags.model !== undefined || flags.baseUrl !== undefined;
        if (live && flags.replay !== undefined) {
          throw new CliError({
            message: '--replay cannot be combined with --model/--base-url',
            exitCode: 2,
          });
        }
        if (flags.baseUrl !== undefined && flags.model === undefined) {
          throw new CliError({
            message: '--base-url needs --model <id> (the served model name)',
            exitCode: 2,
          });
        }
        const tasks = flags.tasks ?? demoFixtures.tasksPath;
        const limit = flags.limit === undefined ? [] : ['--limit', flags.limit];
        const synthesisDir = join(out, 'synthesis');
        const rmDir = join(out, 'reward-model');
        const rlDir = join(out, 'rl');

        const stage = async (title: string, argv: string[]) => {
          println(io.stderr, `\n== ${title}\n$ autotraj ${argv.join(' ')}`);
          const code = await runCli(argv, io);
          if (code !== 0)
            throw new CliError({
              message: `stage "${title}" failed (exit ${code}); fix it and rerun: completed work is kept`,
              exitCode: code,
            });
        };

        const policySynthesis = live
          ? [
              ...(flags.model ? ['--model', flags.model] : []),
              ...(flags.baseUrl ? ['--base-url', flags.baseUrl] : []),
            ]
          : flags.replay === undefined
            ? []
            : ['--replay', flags.replay];
        await stage('1. synthesize: sample, evaluate, repair', [
          'synthesize',
          '--out',
          synthesisDir,
          '--tasks',
          tasks,
          '--n',
          flags.n,
          '--concurrency',
          flags.concurrency,
          ...limit,
          ...policySynthesis,
        ]);

        const pairsPath = join(synthesisDir, 'pairs.jsonl');
        const pairs = countLines(pairsPath);
        if (pairs === 0)
          throw new CliError({
            message: `${pairsPath}: no preference pairs to train a reward model on`,
          });
        if (rewardModelIsCurrent(rmDir, pairs)) {
          println(
            io.stderr,
            `\n== 2. train-rm: ${rmDir}/model.onnx is current (${pairs} pairs); kept`,
          );
        } else {
          await stage('2. train-rm: pairwise reward model, exported to ONNX', [
            'train-rm',
            '--pairs',
            pairsPath,
            '--out',
            rmDir,
          ]);
        }

        // Offline, the replayed policy answers rollouts too: the cassette was recorded with the
        // same prompts, temperature 0.3 and seeds 0..G-1 as candidate sampling.
        const policyRollout = live
          ? ['--model', flags.model ?? '', ...(flags.baseUrl ? ['--base-url', flags.baseUrl] : [])]
          : ['--replay', flags.replay ?? demoFixtures.cassettePath];
        await stage('3. rollout: RL groups scored with format + outcome + reward model', [
          'rollout',
          '--prompts',
          tasks,
          '--group-size',
          flags.groupSize,
          '--rm',
          join(rmDir, 'model.onnx'),
          '--out',
          rlDir,
          '--tools',
          demoFixtures.tools.join(','),
          '--temperature',
          '0.3',
          '--seed',
          '0',
          '--concurrency',
          flags.concurrency,
          ...limit,
          ...policyRollout,
        ]);

        await stage('4. report', ['report', out, '--out', join(out, 'report.html')]);

        println(io.stdout, `\nArtefacts in ${out}:`);
        const artefacts: [string, string][] = [
          ['SFT set (loss-masked)', join(synthesisDir, 'sft.jsonl')],
          ['preference pairs', pairsPath],
          ['hard cases', join(synthesisDir, 'hard.jsonl')],
          ['candidates + decisions', join(synthesisDir, 'candidates.jsonl')],
          ['reward model (ONNX)', join(rmDir, 'model.onnx')],
          ['reward model report', join(rmDir, 'training-report.json')],
          ['RL rollouts', join(rlDir, 'rollouts.jsonl')],
          ['report', join(out, 'report.html')],
        ];
        for (const [what, path] of artefacts) println(io.stdout, `  ${what.padEnd(24)} ${path}`);
      });
  },
};
