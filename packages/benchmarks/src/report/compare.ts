import { BenchmarkError } from '../errors.js';
import type { EvalManifest, EvalRecord } from '../run/records.js';
import { type BootstrapOptions, pairedBootstrap } from '../score/bootstrap.js';
import { markdownRow } from './markdown.js';
import type {
  BenchmarkComparison,
  ComparisonBehaviour,
  ComparisonCell,
  EvalComparison,
} from './results-schema.js';
import { mean, questionScores } from './summarize.js';

export interface EvalRun {
  /** How the run is named in the table (e.g. its directory). */
  label: string;
  manifest: EvalManifest;
  records: ReadonlyArray<EvalRecord>;
}

function behaviourOf(verdicts: ReadonlyArray<EvalRecord['verdict']>): ComparisonBehaviour {
  const count = (test: (v: EvalRecord['verdict']) => boolean) => verdicts.filter(test).length;
  return {
    samples: verdicts.length,
    correct: count((v) => v.correct),
    inFormat: count((v) => v.formatViolations === 0),
    toolCallsPerSample: mean(verdicts.map((v) => v.toolCalls)),
    samplesWithoutToolCalls: count((v) => v.toolCalls === 0),
    toolErrors: verdicts.reduce((s, v) => s + v.toolErrors, 0),
    samplesWithToolErrors: count((v) => v.toolErrors > 0),
    outputTokensPerSample: mean(verdicts.map((v) => v.outputTokens)),
  };
}

/**
 * Compare two or more evaluation runs benchmark by benchmark: accuracy of each, and each
 * run's delta over the first with a paired bootstrap interval over the question ids all runs
 * share (per-question score: the fraction of correct samples). Benchmarks that not every run
 * has are left out. Seeded: equal inputs give equal intervals.
 */
export function compareEvals(
  runs: ReadonlyArray<EvalRun>,
  options: BootstrapOptions = {},
): EvalComparison {
  if (runs.length < 2)
    throw new BenchmarkError({
      code: 'invalid_option',
      message: `compare needs at least two runs, got ${runs.length}`,
    });
  const resamples = options.resamples ?? 10_000;
  const seed = options.seed ?? 0;
  const level = options.level ?? 0.95;
  const names = runs[0]!.manifest.benchmarks
    .map((b) => b.name)
    .filter((name) => runs.every((run) => run.records.some((r) => r.benchmark === name)));
  const benchmarks: BenchmarkComparison[] = names.map((name) => {
    const scores = runs.map((run) => questionScores(run.records, name));
    const shared = [...scores[0]!.keys()].filter((id) => scores.every((s) => s.has(id))).sort();
    const base = shared.map((id) => scores[0]!.get(id)!);
    const sharedIds = new Set(shared);
    const cells = runs.map((run, i) => {
      const own = [...scores[i]!.values()];
      const verdicts = run.records
        .filter((r) => r.benchmark === name && sharedIds.has(r.questionId))
        .map((r) => r.verdict);
      const paired = shared.map((id) => scores[i]!.get(id)!);
      const cell: ComparisonCell = {
        label: run.label,
        accuracy: paired.length === 0 ? 0 : paired.reduce((s, x) => s + x, 0) / paired.length,
        ownAccuracy: own.length === 0 ? 0 : own.reduce((s, x) => s + x, 0) / own.length,
        ownQuestions: own.length,
        behaviour: behaviourOf(verdicts),
      };
      if (i > 0) cell.delta = pairedBootstrap(base, paired, { resamples, seed, level });
      return cell;
    });
    return { benchmark: name, sharedQuestions: shared.length, runs: cells };
  });
  return { baseline: runs[0]!.label, level, resamples, seed, benchmarks };
}

const pct = (x: number) => (100 * x).toFixed(1);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

/**
 * The comparison as markdown: accuracy per run and delta [CI] against the first, then what each
 * run did on the paired questions (format, tool calls, tool errors, output length).
 */
export function comparisonMarkdown(comparison: EvalComparison): string {
  const labels = comparison.benchmarks[0]?.runs.map((r) => r.label) ?? [];
  const others = labels.slice(1);
  const header = [
    'benchmark',
    'paired questions',
    ...labels.map((l) => `${l} acc %`),
    ...others.map(
      (l) => `${l} - ${comparison.baseline} (${Math.round(comparison.level * 100)}% CI)`,
    ),
  ];
  const lines = [
    markdownRow(header),
    markdownRow(header.map(() => '---')),
    ...comparison.benchmarks.map((b) =>
      markdownRow([
        b.benchmark,
        b.sharedQuestions,
        ...b.runs.map((r) => pct(r.accuracy)),
        ...b.runs
          .slice(1)
          .map(
            (r) => `${signed(r.delta!.delta)} [${signed(r.delta!.low)}, ${signed(r.delta!.high)}]`,
          ),
      ]),
    ),
    '',
    `Deltas in percentage points over the questions every run answered; intervals: paired bootstrap over question ids, ${comparison.resamples} resamples, seed ${comparison.seed}, ${Math.round(comparison.level * 100)}% percentile interval.`,
  ];
  // What each run did; left out for a comparison made before it was recorded.
  const rows = comparison.benchmarks.flatMap((b) =>
    b.runs.flatMap(({ label, behaviour: x }) =>
      x === undefined
        ? []
        : [
            markdownRow([
              b.benchmark,
              label,
              `${x.correct}/${x.samples}`,
              `${x.inFormat}/${x.samples}`,
              x.toolCallsPerSample.toFixed(2),
              x.samplesWithoutToolCalls,
              `${x.toolErrors} (${x.samplesWithToolErrors})`,
              x.outputTokensPerSample.toFixed(0),
            ]),
          ],
    ),
  );
  if (rows.length > 0)
    lines.push(
      '',
      markdownRow([
        'benchmark',
        'run',
        'correct',
        'in the format',
        'tool calls / sample',
        'no tool call',
        'tool errors (samples)',
        'output tokens / sample',
      ]),
      markdownRow(Array.from({ length: 8 }, () => '---')),
      ...rows,
    );
  return `${lines.join('\n')}\n`;
}
