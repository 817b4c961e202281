import { join } from 'node:path';
import {
  benchmarkNames,
  compareEvals,
  comparisonMarkdown,
  type EvalEvent,
  type EvalRun,
  type RunEvalSummary,
  readEvalManifest,
  readEvalRecords,
} from '@autotraj/benchmarks';
import type { Protocol, Shard } from '@autotraj/generation';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { type CliIo, formatTable, println } from '../io.js';
import { addModelOptions, type ModelFlags, modelFlagsOf } from '../model-options.js';
import {
  choiceOption,
  FORCE_NEW_HELP,
  integerOption,
  listOption,
  numberOption,
  PROTOCOL_HELP,
  PROTOCOLS,
  shardOption,
} from '../options.js';
import { runEvalStage } from '../pipeline/eval-stage.js';
import { addPromptOption } from '../prompt-options.js';
import type { CliCommand } from './command.js';

interface EvalFlags extends ModelFlags {
  benchmark?: string[];
  benchmarkFile?: string[];
  out: string;
  limit?: number;
  n: number;
  temperature: number;
  seed: number;
  maxToolCalls: number;
  maxTokens?: number;
  protocol: Protocol;
  concurrency?: number;
  corpus?: string;
  searchUrl?: string;
  mathChecker: 'builtin' | 'math-verify';
  prompt?: string;
  tools: 'default' | 'none';
  shard?: Shard;
  forceNew?: boolean;
  json?: boolean;
}

/** Progress on stderr: one line per finished sample (a redrawn line on a terminal). */
function evalProgress(io: CliIo, json: boolean): (event: EvalEvent) => void {
  let correct = 0;
  let finishedNow = 0;
  return (event) => {
    if (event.type === 'start') {
      if (event.resumed > 0)
        println(io.stderr, `eval: resuming, ${event.resumed}/${event.total} samples done earlier`);
      return;
    }
    const finished = event.done + event.failed;
    let tail: string;
    if (event.type === 'sample-done') {
      finishedNow++;
      if (event.record.verdict.correct) correct++;
      const r = event.record;
      tail = `${r.benchmark} ${r.questionId}#${r.sample} ${r.verdict.correct ? 'correct' : 'wrong'} (${(r.verdict.ms / 1000).toFixed(1)} s)  correct this run ${correct}/${finishedNow}  failed ${event.failed}`;
    } else tail = `failed ${event.benchmark} ${event.questionId}#${event.sample}: ${event.reason}`;
    if (io.interactive && !json) {
      io.stderr.write(`\r${finished}/${event.total} samples  ${tail}\x1b[K`);
      if (finished === event.total) io.stderr.write('\n');
    } else println(io.stderr, `eval: ${finished}/${event.total} samples  ${tail}`);
  };
}

function resultsTable(summary: RunEvalSummary): string {
  const pct = (x: number | undefined) => (x === undefined ? '' : (100 * x).toFixed(1));
  return formatTable(
    summary.results.benchmarks.map((b) => [
      b.complete ? b.benchmark : `${b.benchmark} (partial)`,
      `${b.questions}/${b.expectedQuestions}`,
      pct(b.accuracy),
      pct(b.em),
      pct(b.f1),
      b.toolCallsPerSample.toFixed(2),
      b.toolErrors,
      b.formatViolations,
      b.samplesWithTextFormToolCalls,
      b.samplesWithFabricatedToolOutput,
      (b.msPerSample / 1000).toFixed(1),
    ]),
    [
      'benchmark',
      'questions',
      'acc %',
      'EM %',
      'F1 %',
      'tool calls/q',
      'tool errors',
      'format viol.',
      'text-form calls',
      'made-up output',
      's/q',
    ],
  );
}

/** `autotraj eval`: a model on the paper's benchmarks with tools, resumable. */
export const evalCommand: CliCommand = {
  register(program, io) {
    const command = program
      .command('eval')
      .description(
        "Evaluate a model on TIR benchmarks with real tools (Python for math, search for QA), the paper's settings by default (greedy, 1 sample, <= 3 tool calls); writes records.jsonl, manifest.json, results.json and results.md (resumable).",
      )
      .option(
        '--benchmark <names>',
        `shipped benchmarks, comma-separated: ${benchmarkNames.join(', ')}`,
        listOption(),
      )
      .option(
        '--benchmark-file <jsonl>',
        'a benchmark file (id, question, answer, kind per line); repeatable',
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .requiredOption(
        '--out <dir>',
        'output directory (rerun with the same directory and settings to resume; other settings are refused)',
      )
      .option('--force-new', FORCE_NEW_HELP)
      .option(
        '--limit <n>',
        'only the first n questions of each benchmark',
        integerOption('--limit'),
      )
      .option(
        '--n <n>',
        'samples per question (pass@k, maj@k need n > 1 and a temperature)',
        integerOption('--n'),
        RUN_DEFAULTS.eval.n,
      )
      .option(
        '--temperature <t>',
        'sampling temperature (0: greedy, the paper)',
        numberOption('--temperature', { min: 0 }),
        RUN_DEFAULTS.eval.temperature,
      )
      .option(
        '--seed <s>',
        'run seed: sample i of a question is drawn with a seed hashed from s, the question id and i',
        integerOption('--seed', 0),
        RUN_DEFAULTS.eval.seed,
      )
      .option(
        '--max-tool-calls <n>',
        'tool budget per trajectory (the paper: 3)',
        integerOption('--max-tool-calls', 0),
        RUN_DEFAULTS.maxToolCalls,
      )
      .option(
        '--max-tokens <n>',
        "output tokens per model call (default: the server's; 512 for local: models, which may not stop on their own)",
        integerOption('--max-tokens'),
      )
      .option(
        '--protocol <protocol>',
        `${PROTOCOL_HELP} (markdown: math benchmarks only)`,
        choiceOption('--protocol', PROTOCOLS),
        RUN_DEFAULTS.protocol,
      )
      .option(
        '--concurrency <k>',
        'samples generated at once (default 4; for local: models, one per worker: 2 on 2+ cores)',
        integerOption('--concurrency'),
      )
      .option('--corpus <jsonl>', 'QA search: a local BM25 corpus ({id, title, text} per line)')
      .option('--search-url <url>', 'QA search: a FlashRAG retrieval server (POST /search)')
      .option(
        '--math-checker <checker>',
        "math answers: builtin (the evaluator's Math-Verify-style verifier) or math-verify (Python Math-Verify, needs $AUTOTRAJ_PYTHON with math-verify)",
        choiceOption('--math-checker', ['builtin', 'math-verify'] as const),
        'builtin',
      )
      .option(
        '--tools <set>',
        'default (Python for math, search for QA) or none: the no-tool chain-of-thought baseline (prompt cot-example)',
        choiceOption('--tools', ['default', 'none'] as const),
        'default',
      )
      .option(
        '--shard <i/n|auto>',
        'run shard i of n (0-based; questions split by a hash of benchmark/questionId, after --limit), or auto: the Slurm array task or Kubernetes Indexed Job pod (JOB_COMPLETION_INDEX of AUTOTRAJ_SHARD_COUNT); join shards with autotraj merge',
        shardOption(),
      )
      .option('--json', 'print results.json on stdout');
    addPromptOption(addModelOptions(command)).action(async (flags: EvalFlags) => {
      // Ctrl-C / SIGTERM stop the run cleanly: what finished is summarised, a rerun continues.
      const stop = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => {
        println(
          io.stderr,
          `eval: ${signal}: stopping; finished samples are kept (rerun to continue)`,
        );
        stop.abort(new Error(`stopped by ${signal}`));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const summary = await runEvalStage({
        signal: stop.signal,
        ...modelFlagsOf(flags),
        ...(flags.benchmark === undefined ? {} : { benchmarks: flags.benchmark }),
        ...(flags.benchmarkFile === undefined ? {} : { benchmarkFiles: flags.benchmarkFile }),
        outDir: flags.out,
        ...(flags.limit === undefined ? {} : { limit: flags.limit }),
        n: flags.n,
        temperature: flags.temperature,
        seed: flags.seed,
        maxToolCalls: flags.maxToolCalls,
        ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
        protocol: flags.protocol,
        ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
        ...(flags.corpus === undefined ? {} : { corpus: flags.corpus }),
        ...(flags.searchUrl === undefined ? {} : { searchUrl: flags.searchUrl }),
        mathChecker: flags.mathChecker,
        tools: flags.tools,
        ...(flags.prompt === undefined ? {} : { prompt: flags.prompt }),
        ...(flags.shard === undefined ? {} : { shard: flags.shard }),
        forceNew: flags.forceNew === true,
        onProgress: evalProgress(io, flags.json === true),
      }).finally(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
      if (flags.json) println(io.stdout, JSON.stringify(summary.results));
      else {
        println(io.stdout, resultsTable(summary));
        println(
          io.stdout,
          `\nwrote ${flags.out}/{records.jsonl,manifest.json,results.json,results.md}`,
        );
      }
      if (summary.run.stopped)
        throw new CliError({
          message: `stopped after ${summary.run.resumed + summary.run.done} samples (results.json covers them); rerun the same command to continue`,
          exitCode: 130,
        });
      if (summary.run.failed > 0) {
        for (const f of summary.run.failures.slice(0, 5))
          println(
            io.stderr,
            `eval: ${f.benchmark} ${f.questionId}#${f.sample} failed: ${f.reason}`,
          );
        throw new CliError({
          message: `${summary.run.failed} sample(s) failed; rerun the same command to retry them`,
        });
      }
    });
  },
};

/** Read an evaluation directory for comparison (manifest + records), as a usage error when it is not one. */
export async function readEvalRun(dir: string): Promise<EvalRun> {
  const manifest = readEvalManifest(dir);
  if (manifest === null)
    throw new CliError({
      message: `${dir} is not an evaluation directory (no manifest.json)`,
      exitCode: 2,
    });
  return {
    label: dir.replace(/\/+$/, ''),
    manifest,
    records: await readEvalRecords(join(dir, 'records.jsonl')),
  };
}

/** `autotraj compare`: evaluation runs side by side with paired bootstrap deltas. */
export const compareCommand: CliCommand = {
  register(program, io) {
    program
      .command('compare')
      .description(
        'Compare two or more `autotraj eval` directories (the first is the baseline): accuracy per benchmark and deltas with paired bootstrap intervals over shared question ids.',
      )
      .argument('<dirs...>', 'evaluation directories (baseline first)')
      .option('--resamples <n>', 'bootstrap resamples', integerOption('--resamples'), 10_000)
      .option('--seed <s>', 'bootstrap seed', integerOption('--seed', 0), 0)
      .option(
        '--level <p>',
        'confidence level',
        numberOption('--level', { min: 0.5, below: 1 }),
        0.95,
      )
      .option('--json', 'print the comparison as JSON')
      .action(
        async (
          dirs: string[],
          flags: { resamples: number; seed: number; level: number; json?: boolean },
        ) => {
          if (dirs.length < 2)
            throw new CliError({
              message: 'compare needs at least two evaluation directories',
              exitCode: 2,
            });
          const runs = await Promise.all(dirs.map(readEvalRun));
          const comparison = compareEvals(runs, {
            resamples: flags.resamples,
            seed: flags.seed,
            level: flags.level,
          });
          if (comparison.benchmarks.length === 0)
            throw new CliError({ message: 'the runs share no benchmark', exitCode: 2 });
          println(
            io.stdout,
            flags.json ? JSON.stringify(comparison) : comparisonMarkdown(comparison).trimEnd(),
          );
        },
      );
  },
};
