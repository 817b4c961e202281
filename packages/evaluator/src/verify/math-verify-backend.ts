/**
 * The optional `math-verify` backend: Hugging Face Math-Verify itself (Python), run in the
 * Python worker pool of @autotraj/tools, for users who need its exact verdicts. Each
 * comparison is one cell: parse gold and prediction with the extraction targets, then
 * `verify`, with Math-Verify's own timeouts inside and the pool's wall-clock limit outside
 * (a runaway comparison kills and replaces the worker, and counts as not equivalent).
 */
import { createPythonPool, type PythonExecutor } from '@autotraj/tools';
import { EvaluatorError } from '../errors.js';
import type { VerifyAnswerOptions, VerifyAnswerResult } from './verify-answer.js';

/** Something that decides answer equivalence asynchronously (see `verifyAnswerAsync`). */
export interface AnswerBackend {
  readonly name: string;
  verify(options: VerifyAnswerOptions): Promise<VerifyAnswerResult>;
}

export interface MathVerifyBackendOptions {
  /**
   * Pool to run in (e.g. `createPythonPool({ preload: ['math_verify'] })`); it needs an
   * interpreter with math-verify installed. Default: a pool of `poolSize` workers of its own,
   * on `$AUTOTRAJ_PYTHON`, closed by `close()`.
   */
  executor?: PythonExecutor;
  /** Workers of the pool the backend creates. Default 2. */
  poolSize?: number;
  /** Wall-clock limit of one comparison in the pool. Default 15000 ms. */
  timeoutMs?: number;
  /** Math-Verify's own limits for `parse` and for `verify`, in seconds. Default 5 each. */
  parsingTimeoutSeconds?: number;
  verifyTimeoutSeconds?: number;
}

export interface MathVerifyBackend extends AnswerBackend {
  readonly name: 'math-verify';
  /** Closes the pool when the backend created it. */
  close(): Promise<void>;
}

// The cell: options arrive as one JSON string literal (valid Python too), the verdict leaves
// as one JSON line on stdout. Targets as Math-Verify's own tests configure them.
const CELL = `
import json, logging
logging.getLogger('math_verify').setLevel(logging.CRITICAL)
from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify
_c = json.loads(__CASE__)
_t = [LatexExtractionConfig(boxed_match_priority=0) if m == 'latex' else ExprExtractionConfig() for m in _c['match']]
_p = parse(_c['pred'], _t, parsing_timeout=_c['parsingTimeout'])
_g = [parse(g, _t, parsing_timeout=_c['parsingTimeout']) for g in _c['gold']]
_e = verify([x for g in _g for x in g], _p, float_rounding=_c['precision'], strict=_c['strict'],
    allow_set_relation_comp=_c['allowSetRelationComp'], timeout_seconds=_c['verifyTimeout'])
_s = lambda xs: next((x for x in reversed(xs) if isinstance(x, str)), str(xs[0]) if xs else '')
print(json.dumps({'equivalent': bool(_e), 'gold': [_s(g) for g in _g], 'pred': [_s(_p)] if _p else []}))
`;

function positive(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!(resolved > 0) || !Number.isFinite(resolved))
    throw new EvaluatorError({
      code: 'invalid_option',
      message: `${name} must be a positive number, got ${value}`,
    });
  return resolved;
}

/** A backend that answers with Math-Verify's verdicts (Python, in a worker pool). */
export function createMathVerifyBackend(options: MathVerifyBackendOptions = {}): MathVerifyBackend {
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 15_000);
  const parsingTimeout = Math.ceil(
    positive('parsingTimeoutSeconds', options.parsingTimeoutSeconds, 5),
  );
  const verifyTimeout = Math.ceil(
    positive('verifyTimeoutSeconds', options.verifyTimeoutSeconds, 5),
  );
  const owned = options.executor === undefined;
  const executor =
    options.executor ??
    createPythonPool({
      size: positive('poolSize', options.poolSize, 2),
      preload: ['math_verify', 'latex2sympy2_extended', 'sympy'],
    });

  return {
    name: 'math-verify',
    async verify(request: VerifyAnswerOptions): Promise<VerifyAnswerResult> {
      const golds = typeof request.gold === 'string' ? [request.gold] : [...request.gold];
      const precision = request.precision ?? 6;
      if (!Number.isInteger(precision) || precision < 0 || precision > 15)
        throw new EvaluatorError({
          code: 'invalid_option',
          message: `precision must be an integer in [0, 15], got ${precision}`,
        });
      const payload = {
        gold: golds,
        pred: request.pred,
        match: [...(request.match ?? ['latex', 'expr'])],
        precision,
        strict: request.strict ?? true,
        allowSetRelationComp: request.allowSetRelationComp ?? false,
        parsingTimeout,
        verifyTimeout,
      };
      const code = CELL.replace('__CASE__', JSON.stringify(JSON.stringify(payload)));
      const run = await executor.run(code, { timeoutMs });
      if (run.timedOut)
        return {
          equivalent: false,
          extractedGold: golds.map(() => ''),
          extractedPred: [],
          method: 'math-verify',
          timedOut: true,
        };
      if (run.error !== null)
        throw new EvaluatorError({
          code: 'math_verify_failed',
          message: `math-verify backend: ${run.error.type}: ${run.error.message} (does the pool's Python have math-verify? ./dev sets AUTOTRAJ_PYTHON to the project venv)`,
        });
      const line = run.stdout.trim().split('\n').pop() ?? '';
      let verdict: { equivalent: boolean; gold: string[]; pred: string[] };
      try {
        verdict = JSON.parse(line) as typeof verdict;
      } catch {
        throw new EvaluatorError({
          code: 'math_verify_failed',
          message: `math-verify backend: unreadable reply ${JSON.stringify(run.stdout.slice(0, 200))}`,
        });
      }
      return {
        equivalent: verdict.equivalent,
        extractedGold: verdict.gold,
        extractedPred: verdict.pred,
        method: 'math-verify',
        timedOut: false,
      };
    },
    async close(): Promise<void> {
      if (owned) await executor.close();
    },
  };
}
