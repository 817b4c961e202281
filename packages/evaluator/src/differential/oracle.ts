/**
 * Runs Hugging Face Math-Verify (Python) on many cases at once: the oracle of the differential
 * test and of the bench. Cases go to `python/math_verify_oracle.py` through files, not pipes,
 * so the caller may keep its own thread busy (running our verifier) while Python works.
 *
 * No relative imports: the bench runs this file through Node's type stripping.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTrajError } from '@autotraj/trajectory';

export interface OracleCase {
  gold: string | ReadonlyArray<string>;
  pred: string;
  match?: ReadonlyArray<'latex' | 'expr'>;
  precision?: number;
  strict?: boolean;
  allowSetRelationComp?: boolean;
}

export interface OracleVerdict {
  equivalent: boolean;
  /** Math-Verify raised (the case counts as not equivalent, as `verify` itself returns). */
  error?: string;
}

export interface OracleOptions {
  /** Interpreter with math-verify installed. Default `$AUTOTRAJ_PYTHON`, else `python3`. */
  python?: string;
  /**
   * Python processes, each checking a contiguous share of the cases in one batch. Default 1.
   * Math-Verify's parser is pure Python (about 100-200 comparisons/s per core), so a large
   * corpus on a 2-core machine is checked by 2.
   */
  processes?: number;
  /**
   * The bench: the first `warmup` cases of each process warm it up untimed, the rest are timed
   * in one Python loop (`timings`). Default 0 (no timing).
   */
  warmup?: number;
}

export interface OracleTiming {
  /** Cases timed (after the warm-up). */
  cases: number;
  seconds: number;
  perSecond: number | null;
}

export interface OracleRun {
  verdicts: OracleVerdict[];
  /** Per process, when `warmup` was set. */
  timings: OracleTiming[];
}

/** The oracle script that ships with the package. */
export const oracleScript = fileURLToPath(
  new URL('../../python/math_verify_oracle.py', import.meta.url),
);

/** Math-Verify could not be run, or answered out of step with the cases. */
export class OracleError extends AutoTrajError {
  static readonly errorName = 'AutoTrajMathVerifyOracleError';
  declare readonly code: 'math_verify_oracle_failed';

  constructor(message: string) {
    super({ name: OracleError.errorName, code: 'math_verify_oracle_failed', message });
  }

  static override isInstance(error: unknown): error is OracleError {
    return AutoTrajError.isInstance(error) && error.name === OracleError.errorName;
  }
}

function runOne(
  python: string,
  dir: string,
  index: number,
  cases: ReadonlyArray<OracleCase>,
  warmup: number,
): Promise<{ verdicts: OracleVerdict[]; timing: OracleTiming | null }> {
  const input = join(dir, `in-${index}.jsonl`);
  const output = join(dir, `out-${index}.jsonl`);
  const errors = join(dir, `err-${index}.txt`);
  writeFileSync(input, cases.map((c) => `${JSON.stringify(c)}\n`).join(''));
  const args = [oracleScript, ...(warmup > 0 ? ['--warmup', String(warmup)] : [])];
  const child = spawn(python, args, {
    stdio: [openSync(input, 'r'), openSync(output, 'w'), openSync(errors, 'w')],
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error) =>
      reject(new OracleError(`cannot start ${python} ${oracleScript}: ${error.message}`)),
    );
    child.on('close', (code) => {
      const stderr = readFileSync(errors, 'utf8');
      if (code !== 0) {
        reject(
          new OracleError(
            `${python} ${oracleScript} exited with ${code}: ${stderr.slice(-2000)} (is math-verify installed? ./dev sets AUTOTRAJ_PYTHON to the project venv)`,
          ),
        );
        return;
      }
      const lines = readFileSync(output, 'utf8').split('\n').filter(Boolean);
      if (lines.length !== cases.length) {
        reject(new OracleError(`oracle answered ${lines.length} of ${cases.length} cases`));
        return;
      }
      const timingLine = stderr
        .split('\n')
        .reverse()
        .find((line) => line.startsWith('{'));
      resolve({
        verdicts: lines.map((line) => JSON.parse(line) as OracleVerdict),
        timing: timingLine === undefined ? null : (JSON.parse(timingLine) as OracleTiming),
      });
    });
  });
}

/** Math-Verify's verdict on every case, in order. */
export async function runMathVerifyOracle(
  cases: ReadonlyArray<OracleCase>,
  options: OracleOptions = {},
): Promise<OracleRun> {
  const python = options.python ?? process.env.AUTOTRAJ_PYTHON ?? 'python3';
  const processes = Math.max(1, Math.min(options.processes ?? 1, cases.length || 1));
  const dir = mkdtempSync(join(tmpdir(), 'autotraj-math-verify-'));
  try {
    const share = Math.ceil(cases.length / processes);
    const runs = await Promise.all(
      Array.from({ length: processes }, (_, index) =>
        runOne(
          python,
          dir,
          index,
          cases.slice(index * share, (index + 1) * share),
          options.warmup ?? 0,
        ),
      ),
    );
    return {
      verdicts: runs.flatMap((run) => run.verdicts),
      timings: runs.flatMap((run) => (run.timing === null ? [] : [run.timing])),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
