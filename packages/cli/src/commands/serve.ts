import { cpus } from 'node:os';
import { openTrajectoryScorer } from '@autotraj/reward-model';
import {
  createRewardServer,
  REWARD_SERVER_DEFAULTS,
  type RewardPresetName,
  rewardPresetNames,
} from '@autotraj/rl';
import {
  createCalculatorRuntime,
  createPythonPool,
  createPythonRuntime,
  type PythonPool,
} from '@autotraj/tools';
import { RUN_DEFAULTS, type ToolRuntime } from '@autotraj/trajectory';
import { println } from '../io.js';
import { choiceOption, integerOption, listOption, rmCalibrationOption } from '../options.js';
import type { CliCommand } from './command.js';

interface ServeOptions {
  rm: string;
  rmCalibration?: { center: number; scale: number };
  port: number;
  host: string;
  maxBatchSize: number;
  maxWaitMs: number;
  maxBodyMb: number;
  outcome: boolean;
  preset: RewardPresetName;
  tools: Array<(typeof SERVABLE_TOOLS)[number]>;
  toolWorkers: number;
}

/** Tools `--tools` can serve on POST /tool. */
const SERVABLE_TOOLS = ['python', 'calculator'] as const;

/** Resolves on the first SIGINT / SIGTERM (and stops listening for them). */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const serveCommand: CliCommand = {
  register(program, io) {
    program
      .command('serve')
      .description(
        'Serve a trajectory reward model over HTTP: POST /score (paper), /score/batch, /get_reward (OpenRLHF), /compute_score (verl), /tool (with --tools); GET /health, /metrics',
      )
      .requiredOption(
        '--rm <model.onnx>',
        'reward model exported by `autotraj train-rm --out dir` (dir/model.onnx)',
      )
      .option(
        '--rm-calibration <center,scale>',
        'autotraj preset requests: score the RM term as (rm - center) / scale; paper-preset requests keep the raw score',
        rmCalibrationOption('--rm-calibration'),
      )
      .option('--port <n>', 'port (0: any free port)', integerOption('--port', 0), 8000)
      .option('--host <address>', 'address to bind', '127.0.0.1')
      .option(
        '--max-batch-size <n>',
        'most trajectories per ONNX call',
        integerOption('--max-batch-size'),
        REWARD_SERVER_DEFAULTS.maxBatchSize,
      )
      .option(
        '--max-wait-ms <ms>',
        'how long a request may wait for others to share its batch',
        integerOption('--max-wait-ms', 0),
        REWARD_SERVER_DEFAULTS.maxWaitMs,
      )
      .option(
        '--max-body-mb <mb>',
        'largest request body',
        integerOption('--max-body-mb'),
        REWARD_SERVER_DEFAULTS.maxBodyBytes / (1024 * 1024),
      )
      .option(
        '--preset <name>',
        "reward preset for labelled requests without their own `preset`: paper (default, the paper's contract) or autotraj",
        choiceOption('--preset', rewardPresetNames),
        RUN_DEFAULTS.preset,
      )
      .option(
        '--tools <names>',
        `also run tool calls on POST /tool for trainers that generate in their own loop (TRL's rollout_func): ${SERVABLE_TOOLS.join(', ')}, comma-separated; python runs in the sandbox synthesis uses`,
        (value: string) => listOption()(value).map(choiceOption('--tools', SERVABLE_TOOLS)),
        [],
      )
      .option(
        '--tool-workers <n>',
        'Python sandbox workers for --tools python',
        integerOption('--tool-workers'),
        Math.min(2, cpus().length),
      )
      .option(
        '--no-outcome',
        'answer /get_reward with raw RM scores even when labels are sent; disable /compute_score',
      )
      .action(async (options: ServeOptions) => {
        const { port, maxBatchSize, maxWaitMs } = options;
        const maxBodyBytes = options.maxBodyMb * 1024 * 1024;
        const scorer = await openTrajectoryScorer({ path: options.rm });
        let pool: PythonPool | null = null;
        const tools: ToolRuntime[] = [];
        if (options.tools.includes('python')) {
          pool = createPythonPool({ size: options.toolWorkers });
          tools.push(createPythonRuntime({ pool }));
        }
        if (options.tools.includes('calculator')) tools.push(createCalculatorRuntime());
        const server = createRewardServer({
          scorer,
          maxBatchSize,
          maxWaitMs,
          maxBodyBytes,
          preset: options.preset,
          ...(options.rmCalibration === undefined
            ? {}
            : { trajectoryModelCalibration: options.rmCalibration }),
          ...(options.outcome ? {} : { reward: null }),
          tools,
        });
        const signal = untilSignal();
        try {
          const { url } = await server.listen({ port, host: options.host });
          println(io.stdout, `autotraj serve: ${options.rm} on ${url}`);
          println(
            io.stdout,
            `  POST /score /score/batch /get_reward /compute_score${tools.length === 0 ? '' : ` /tool (${tools.map((t) => t.name).join(', ')}) /tool/end_session`}   GET /health /metrics`,
          );
          const received = await signal;
          println(io.stderr, `autotraj serve: ${received}, finishing requests in flight`);
        } finally {
          await server.close();
          await pool?.close();
          await scorer.close();
        }
        const m = server.metrics();
        const meanBatch = m.batches === 0 ? 0 : m.batchItems / m.batches;
        println(
          io.stdout,
          `autotraj serve: stopped after ${m.trajectoriesScored} trajectories in ${m.batches} batches (mean ${meanBatch.toFixed(1)})`,
        );
      });
  },
};
