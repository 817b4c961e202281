import {
  findFabricatedToolOutputUnchecked as findFabricatedToolOutput,
  findTrajectoryTextFormToolCallsUnchecked as findTrajectoryTextFormToolCalls,
} from '@autotraj/trajectory/internal';
import { BenchmarkError } from '../errors.js';
import type { BenchmarkKind } from '../registry.js';
import type { EvalManifest, EvalRecord } from '../run/records.js';
import { recordKey } from '../run/records.js';
import { majorityVote } from '../score/majority.js';
import { passAtK, reportedKs } from '../score/pass-at-k.js';
import type { BenchmarkResult, EvalResults } from './results-schema.js';

/** The mean of a list; 0 for none. */
export const mean = (xs: ReadonlyArray<number>) =>
  xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Per-question scores of one benchmark, keyed by question id: the fraction of its samples that
 * were correct. What the paired bootstrap compares.
 */
export function questionScores(
  records: ReadonlyArray<EvalRecord>,
  benchmark: string,
): Map<string, number> {
  const by = new Map<string, number[]>();
  for (const r of records) {
    if (r.benchmark !== benchmark) continue;
    const list = by.get(r.questionId) ?? [];
    list.push(r.verdict.correct ? 1 : 0);
    by.set(r.questionId, list);
  }
  return new Map([...by].map(([id, xs]) => [id, mean(xs)]));
}

/**
 * `results.json` from `records.jsonl` and `manifest.json`: a pure function of its inputs.
 * The order of `records` does not matter (they are grouped and sorted by benchmark, question
 * and sample), so records merged from several shards summarise exactly as one run's; a
 * (benchmark, question, sample) present twice is an error. Benchmarks come in the manifest's
 * order, then any others found in the records, by name.
 */
export function summarizeEval(
  records: ReadonlyArray<EvalRecord>,
  manifest: EvalManifest,
): EvalResults {
  const seen = new Set<string>();
  const byBenchmark = new Map<string, EvalRecord[]>();
  for (const r of records) {
    const key = recordKey(r);
    if (seen.has(key))
      throw new BenchmarkError({
        code: 'duplicate_record',
        message: `two records for benchmark ${r.benchmark}, question ${r.questionId}, sample ${r.sample}`,
      });
    seen.add(key);
    const list = byBenchmark.get(r.benchmark) ?? [];
    list.push(r);
    byBenchmark.set(r.benchmark, list);
  }
  const n = manifest.settings.n;
  const listed = manifest.benchmarks.map((b) => b.name);
  const extra = [...byBenchmark.keys()].filter((name) => !listed.includes(name)).sort();
  const results: BenchmarkResult[] = [];
  for (const name of [...listed, ...extra]) {
    const info = manifest.benchmarks.find((b) => b.name === name);
    const list = [...(byBenchmark.get(name) ?? [])].sort((x, y) =>
      x.questionId === y.questionId ? x.sample - y.sample : x.questionId < y.questionId ? -1 : 1,
    );
    const kind: BenchmarkKind = info?.kind ?? (list[0]?.verdict.em === undefined ? 'math' : 'qa');
    const byQuestion = new Map<string, EvalRecord[]>();
    for (const r of list) {
      const q = byQuestion.get(r.questionId) ?? [];
      q.push(r);
      byQuestion.set(r.questionId, q);
    }
    const perQuestion = [...byQuestion.values()];
    const verdicts = list.map((r) => r.verdict);
    const result: BenchmarkResult = {
      benchmark: name,
      kind,
      questions: byQuestion.size,
      expectedQuestions: info?.questions ?? byQuestion.size,
      samples: list.length,
      n,
      complete: info !== undefined && list.length === info.questions * n,
      accuracy: mean(perQuestion.map((q) => mean(q.map((r) => (r.verdict.correct ? 1 : 0))))),
      correctSamples: verdicts.filter((v) => v.correct).length,
      answered: mean(verdicts.map((v) => (v.extractedAnswer === null ? 0 : 1))),
      toolCallsPerSample: mean(verdicts.map((v) => v.toolCalls)),
      toolErrors: verdicts.reduce((s, v) => s + v.toolErrors, 0),
      toolErrorsPerSample: mean(verdicts.map((v) => v.toolErrors)),
      formatViolations: verdicts.reduce((s, v) => s + v.formatViolations, 0),
      samplesWithFormatViolations: verdicts.filter((v) => v.formatViolations > 0).length,
      samplesWithTextFormToolCalls: list.filter(
        (r) => findTrajectoryTextFormToolCalls(r.trajectory).length > 0,
      ).length,
      samplesWithFabricatedToolOutput: list.filter(
        (r) => findFabricatedToolOutput(r.trajectory).length > 0,
      ).length,
      outputTokensPerSample: mean(verdicts.map((v) => v.outputTokens)),
      msPerSample: mean(verdicts.map((v) => v.ms)),
      msTotal: verdicts.reduce((s, v) => s + v.ms, 0),
    };
    if (kind === 'qa') {
      result.em = mean(verdicts.map((v) => v.em ?? 0));
      result.f1 = mean(verdicts.map((v) => v.f1 ?? 0));
    }
    if (n > 1) {
      const full = perQuestion.filter((q) => q.length === n);
      result.passAtK = Object.fromEntries(
        reportedKs(n).map((k) => [
          String(k),
          mean(full.map((q) => passAtK(n, q.filter((r) => r.verdict.correct).length, k))),
        ]),
      );
      result.majAtK = {
        [String(n)]: mean(
          full.map((q) =>
            majorityVote(
              q.map((r) => ({ answer: r.verdict.extractedAnswer, correct: r.verdict.correct })),
              kind,
            ).correct
              ? 1
              : 0,
          ),
        ),
      };
    }
    results.push(result);
  }
  return {
    kind: 'eval-results',
    model: manifest.model,
    settings: manifest.settings,
    benchmarks: results,
  };
}
