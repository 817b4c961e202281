import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GSM8K_TRAIN } from '../test-support/gsm8k-train.js';

const child = new URL('./kill-resume.child.mjs', import.meta.url).pathname;
const dist = new URL('../../dist/index.js', import.meta.url).pathname;
const LIMIT = 10;
const OUTPUTS = ['candidates', 'sft', 'pairs', 'hard', 'dropped'];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'autotraj-kill-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function start(outDir: string, candidatesFrom?: string): ChildProcess {
  const args = [child, outDir, GSM8K_TRAIN, String(LIMIT), '5'];
  if (candidatesFrom !== undefined) args.push(candidatesFrom);
  return spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

function finish(proc: ChildProcess): Promise<string> {
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) =>
    proc.on('exit', (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`child exited ${code ?? signal}: ${err}`)),
    ),
  );
}

/** Resolve once the child reports `count` tasks done, then SIGKILL it mid-run. */
function killAfter(proc: ChildProcess, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const done = [...out.matchAll(/done (\d+)/g)].map((m) => Number(m[1]));
      if (done.some((n) => n >= count)) proc.kill('SIGKILL');
    });
    proc.on('exit', (_code, signal) =>
      signal === 'SIGKILL'
        ? resolve()
        : reject(new Error(`child was not killed (exit ${_code}): ${out}`)),
    );
  });
}

/** Records without wall-clock fields (timings differ between any two runs), keyed and sorted by id. */
function normalized(outDir: string, name: string): Array<[string, unknown]> {
  const text = readFileSync(join(outDir, `${name}.jsonl`), 'utf8');
  const records = text
    .split('\n')
    .filter(Boolean)
    .map((line) =>
      JSON.parse(line, (key, value) =>
        ['startedAt', 'finishedAt', 'durationMs', 'modelMs', 'toolMs'].includes(key)
          ? undefined
          : value,
      ),
    );
  return records.map((r): [string, unknown] => [r.id, r]).sort(([a], [b]) => a.localeCompare(b));
}

describe('kill -9 and rerun', () => {
  it('ends with exactly the records of an uninterrupted run: no duplicates, no loss', async () => {
    if (!existsSync(dist))
      throw new Error('build @autotraj/repairer first (the child process runs dist/)');
    const reference = join(tmp, 'reference');
    await finish(start(reference));

    const resumed = join(tmp, 'resumed');
    await killAfter(start(resumed), 3);
    // A kill can also land mid-line: leave a cut line behind for the rerun to repair.
    appendFileSync(join(resumed, 'sft.jsonl'), '{"id":"sft_cut-off-by-the-kill","taskId');
    await killAfter(start(resumed), 6);
    const last = await finish(start(resumed));
    const run = JSON.parse(last.trim().split('\n').at(-1)!);
    expect(run.resumed).toBeGreaterThanOrEqual(6);
    expect(run.resumed + run.done).toBe(LIMIT);

    for (const name of OUTPUTS) {
      const expected = normalized(reference, name);
      const actual = normalized(resumed, name);
      expect(new Set(actual.map(([id]) => id)).size).toBe(actual.length);
      expect(actual).toEqual(expected);
    }
    expect(normalized(reference, 'candidates')).toHaveLength(LIMIT * 2);
    // The admission gate dropped the repairs that wrote about repairing (the child's policy).
    expect(normalized(reference, 'dropped').length).toBeGreaterThan(0);
    const manifest = JSON.parse(readFileSync(join(resumed, 'manifest.json'), 'utf8'));
    expect(manifest.counts.tasks).toBe(LIMIT);
    const referenceManifest = JSON.parse(readFileSync(join(reference, 'manifest.json'), 'utf8'));
    expect(manifest.counts).toEqual(referenceManifest.counts);
  }, 60_000);

  it('a run that takes its candidates from an earlier one resumes the same way', async () => {
    if (!existsSync(dist))
      throw new Error('build @autotraj/repairer first (the child process runs dist/)');
    const source = join(tmp, 'source');
    await finish(start(source));
    const reference = join(tmp, 'taken-reference');
    await finish(start(reference, source));

    const resumed = join(tmp, 'taken-resumed');
    await killAfter(start(resumed, source), 3);
    appendFileSync(join(resumed, 'candidates.jsonl'), '{"id":"traj_cut-off-by-the-kill","task');
    await killAfter(start(resumed, source), 6);
    const run = JSON.parse((await finish(start(resumed, source))).trim().split('\n').at(-1)!);
    expect(run.resumed + run.done).toBe(LIMIT);

    for (const name of OUTPUTS) {
      const actual = normalized(resumed, name);
      expect(new Set(actual.map(([id]) => id)).size).toBe(actual.length);
      expect(actual).toEqual(normalized(reference, name));
    }
    // Every candidate is the source's, taken once.
    expect(normalized(resumed, 'candidates').map(([id]) => id)).toEqual(
      normalized(source, 'candidates').map(([id]) => id),
    );
  }, 90_000);
});
