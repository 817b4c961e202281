import { readJsonl, toraTrajectory } from '@autotraj/trajectory';
import type { PythonExecutor } from '../python/types.js';
import { formatPythonOutput } from '../runtimes/format.js';

export type ReplayVerdict = 'match' | 'numeric-match' | 'mismatch';

export interface ReplayCase {
  line: number;
  model: string;
  code: string;
  recorded: string;
  actual: string;
  verdict: ReplayVerdict;
  /** Why the outputs differ (mismatches only). */
  reason?: string;
}

export interface ReplayReport {
  total: number;
  matched: number;
  numericMatched: number;
  mismatched: number;
  /** Fraction of cells whose output equals the recording (exactly, or as the same numbers). */
  matchRate: number;
  reasons: Record<string, number>;
  cases: ReplayCase[];
}

const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi;

function sameNumbers(a: string, b: string): boolean {
  const x = a.match(NUMBER) ?? [];
  const y = b.match(NUMBER) ?? [];
  if (x.length === 0 || x.length !== y.length) return false;
  const stripped = (s: string) => s.replace(NUMBER, '#').replace(/\s+/g, ' ').trim();
  if (stripped(a) !== stripped(b)) return false;
  return x.every((v, i) => {
    const p = Number(v);
    const q = Number(y[i]);
    return Math.abs(p - q) <= 1e-6 * Math.max(1, Math.abs(p), Math.abs(q));
  });
}

function classify(recorded: string, actual: string, errorType: string | undefined): string {
  if (errorType === 'TimeoutError') return 'timeout in the sandbox';
  const recordedError = /^(\w+Error|\w+Exception)\b/m.exec(recorded.split('\n').pop() ?? '')?.[1];
  if (recordedError && errorType === undefined) return 'recorded an error, runs cleanly now';
  if (errorType !== undefined && !recordedError) return `fails now (${errorType}), recorded output`;
  if (recordedError && errorType !== undefined) return 'different error message';
  if (/\d/.test(recorded) && /\d/.test(actual)) return 'different numbers or number formatting';
  return 'different text';
}

/** Re-execute the python cell(s) of each ToRA solution (one session per solution) and compare outputs. */
export async function replayTora(options: {
  path: string;
  executor: PythonExecutor;
  limit?: number;
  timeoutMs?: number;
}): Promise<ReplayReport> {
  const jobs: Array<Promise<ReplayCase[]>> = [];
  let count = 0;
  for await (const { value, line } of readJsonl(options.path)) {
    if (options.limit !== undefined && count >= options.limit) break;
    count++;
    const { trajectory } = toraTrajectory(value);
    const cells: Array<{ code: string; recorded: string }> = [];
    trajectory.steps.forEach((step, i) => {
      if (step.type !== 'tool-call') return;
      const result = trajectory.steps[i + 1];
      const code =
        typeof step.input === 'object' && step.input !== null && !Array.isArray(step.input)
          ? step.input.code
          : undefined;
      if (typeof code === 'string' && result?.type === 'tool-result')
        cells.push({ code, recorded: result.output });
    });
    const sessionId = `tora-${line}`;
    jobs.push(
      (async () => {
        const cases: ReplayCase[] = [];
        for (const cell of cells) {
          const result = await options.executor.run(cell.code, {
            sessionId,
            ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          });
          const actual = formatPythonOutput(result);
          const recorded = cell.recorded.trim();
          let verdict: ReplayVerdict = 'mismatch';
          if (actual.trim() === recorded) verdict = 'match';
          else if (sameNumbers(actual, recorded)) verdict = 'numeric-match';
          cases.push({
            line,
            model: trajectory.provenance?.model ?? '',
            code: cell.code,
            recorded,
            actual,
            verdict,
            ...(verdict === 'mismatch'
              ? { reason: classify(recorded, actual, result.error?.type) }
              : {}),
          });
        }
        await options.executor.endSession(sessionId);
        return cases;
      })(),
    );
  }
  const cases = (await Promise.all(jobs)).flat();
  const reasons: Record<string, number> = {};
  for (const c of cases) if (c.reason) reasons[c.reason] = (reasons[c.reason] ?? 0) + 1;
  const matched = cases.filter((c) => c.verdict === 'match').length;
  const numericMatched = cases.filter((c) => c.verdict === 'numeric-match').length;
  return {
    total: cases.length,
    matched,
    numericMatched,
    mismatched: cases.length - matched - numericMatched,
    matchRate: cases.length === 0 ? 0 : (matched + numericMatched) / cases.length,
    reasons,
    cases,
  };
}
