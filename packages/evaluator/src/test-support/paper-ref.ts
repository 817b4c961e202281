import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The Python driver in front of ../shared/reference/paper_ref.py (the paper's rules, executable). */
export const paperRefDriver = fileURLToPath(new URL('./paper_ref_driver.py', import.meta.url));

export interface PaperRefCall {
  fn: string;
  args: unknown[];
}

/**
 * Run every call through one Python process (the project's Python, AUTOTRAJ_PYTHON, set by
 * ./dev) and return the results in order. A call that raised in Python comes back as
 * `{ error }`, so a test can compare the paper's crashes too.
 */
export function runPaperRef(
  calls: ReadonlyArray<PaperRefCall>,
): Array<{ ok?: unknown; error?: string }> {
  const python = process.env.AUTOTRAJ_PYTHON ?? 'python3';
  const run = spawnSync(python, [paperRefDriver], {
    input: calls.map((call) => JSON.stringify(call)).join('\n'),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (run.error !== undefined || run.status !== 0)
    throw new Error(
      `paper_ref driver failed (${python}): ${run.error?.message ?? `exit ${run.status}`}\n${run.stderr}`,
    );
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  if (lines.length !== calls.length)
    throw new Error(
      `paper_ref driver answered ${lines.length} of ${calls.length} calls\n${run.stderr}`,
    );
  return lines.map((line) => JSON.parse(line) as { ok?: unknown; error?: string });
}

/** The results of calls that must not raise. */
export function paperRefValues(calls: ReadonlyArray<PaperRefCall>): unknown[] {
  return runPaperRef(calls).map((result, i) => {
    if (result.error !== undefined)
      throw new Error(
        `paper_ref ${calls[i]!.fn} raised ${result.error} on ${JSON.stringify(calls[i]!.args).slice(0, 300)}`,
      );
    return result.ok;
  });
}
