import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

// End to end over the built CLI: the demo synthesis (shipped cassette, offline) run whole and as
// three shards in three separate processes, then merged.
const bin = new URL('../../dist/bin.js', import.meta.url).pathname;
const LIMIT = '12';
const FILES = ['journal', 'candidates', 'sft', 'pairs', 'hard'];
// Wall-clock fields: the only ones two runs of the same work may disagree on.
const CLOCK = new Set([
  'startedAt',
  'finishedAt',
  'durationMs',
  'modelMs',
  'toolMs',
  'evaluationMs',
]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'autotraj-sharded-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inProcess = (out: string, args: string[]) =>
  run([
    'synthesize',
    '--out',
    join(dir, out),
    '--limit',
    LIMIT,
    '--concurrency',
    '2',
    '--json',
    ...args,
  ]);

/** `autotraj synthesize` in its own process; `env` replaces the scheduler variables. */
function synthesize(
  out: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('SLURM_') &&
        key !== 'JOB_COMPLETION_INDEX' &&
        key !== 'AUTOTRAJ_SHARD_COUNT',
    ),
  );
  const child = spawn(
    process.execPath,
    [
      bin,
      'synthesize',
      '--out',
      join(dir, out),
      '--limit',
      LIMIT,
      '--concurrency',
      '2',
      '--json',
      ...args,
    ],
    { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const summaryOf = (result: { stdout: string }) =>
  JSON.parse(result.stdout) as {
    shard: { spec: string; source: string } | null;
    coverage: { run: { count: number }; assigned: { count: number; digest: string } };
    counts: { tasks: number };
  };

function withoutClock(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClock);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, CLOCK.has(k) ? 'clock' : withoutClock(v)]),
    );
  return value;
}
const records = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => withoutClock(JSON.parse(line)));
const manifest = (path: string) => JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8'));

describe('sharded synthesis and autotraj merge', () => {
  it('three shards in three processes, merged, equal the single run', {
    timeout: 300_000,
  }, async () => {
    const [whole, ...parts] = await Promise.all([
      synthesize('whole', []),
      ...[0, 1, 2].map((i) => synthesize(`s${i}`, ['--shard', `${i}/3`])),
    ]);
    for (const result of [whole!, ...parts]) expect(result.stderr).not.toMatch(/failed \d+ task/);
    expect(whole!.code).toBe(0);
    const sizes = parts.map((p) => {
      expect(p.code).toBe(0);
      return summaryOf(p).coverage.assigned.count;
    });
    // Every task in exactly one shard.
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(12);
    expect(summaryOf(parts[1]!).shard).toMatchObject({ spec: '1/3', source: 'flag' });

    // Shard order on the command line does not matter.
    const merged = await run([
      'merge',
      join(dir, 's2'),
      join(dir, 's0'),
      join(dir, 's1'),
      '--out',
      join(dir, 'merged'),
      '--json',
    ]);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ kind: 'synthesis', shards: 3, tasks: 12 });
    // Merging the one whole directory writes it in the same canonical order.
    const canon = await run(['merge', join(dir, 'whole'), '--out', join(dir, 'canon')]);
    expect(canon.code).toBe(0);
    for (const file of FILES) {
      const mergedRecords = records(join(dir, 'merged', `${file}.jsonl`));
      expect(mergedRecords.length).toBeGreaterThan(0);
      expect(mergedRecords, file).toEqual(records(join(dir, 'canon', `${file}.jsonl`)));
    }
    // Of the demo cassette the admission gate drops only copies (its authored repairer writes
    // one repair for every failed candidate); the shards' files join like the others.
    const dropped = records(join(dir, 'merged', 'dropped.jsonl')) as Array<{
      reasons: Array<{ code: string }>;
    }>;
    expect(dropped.length).toBeGreaterThan(0);
    for (const d of dropped) expect(d.reasons.map((r) => r.code)).toEqual(['duplicate']);
    expect(dropped).toEqual(records(join(dir, 'canon', 'dropped.jsonl')));
    const combined = manifest(join(dir, 'merged'));
    const single = manifest(join(dir, 'whole'));
    expect(combined.counts).toEqual(single.counts);
    expect(combined.coverage.done).toEqual({ count: 12, digest: single.coverage.assigned.digest });
    expect(combined.config).toMatchObject({ n: 4, model: single.config.model, preset: 'paper' });
    expect(combined.merged.shards.map((s: { shard: string }) => s.shard)).toEqual([
      '0/3',
      '1/3',
      '2/3',
    ]);
    expect(combined.merged.shards.map((s: { tasks: number }) => s.tasks)).toEqual(sizes);

    // The merged directory is a run like any other.
    const report = await run(['report', join(dir, 'merged')]);
    expect(report.code).toBe(0);
    const resumed = await synthesize('merged', []);
    expect(summaryOf(resumed).counts.tasks).toBe(12);
    expect(JSON.parse(resumed.stdout).run).toMatchObject({ done: 0, resumed: 12 });
  });

  it('--shard auto on a Slurm array task or a Kubernetes Indexed Job pod takes the same tasks as the flag', {
    timeout: 120_000,
  }, async () => {
    const [slurm, kubernetes] = await Promise.all([
      // An array --array=1-3: ids 1..3 are shards 0..2.
      synthesize('slurm', ['--shard', 'auto'], {
        SLURM_ARRAY_TASK_ID: '2',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_COUNT: '3',
      }),
      synthesize('k8s', ['--shard', 'auto'], {
        JOB_COMPLETION_INDEX: '2',
        AUTOTRAJ_SHARD_COUNT: '3',
      }),
    ]);
    expect(slurm.code).toBe(0);
    expect(kubernetes.code).toBe(0);
    expect(summaryOf(slurm).shard).toMatchObject({ spec: '1/3', source: 'slurm' });
    expect(summaryOf(kubernetes).shard).toMatchObject({ spec: '2/3', source: 'kubernetes' });
    const explicit = (i: number) => manifest(join(dir, `s${i}`)).coverage.assigned;
    expect(summaryOf(slurm).coverage.assigned).toEqual(explicit(1));
    expect(summaryOf(kubernetes).coverage.assigned).toEqual(explicit(2));
    expect(records(join(dir, 'k8s', 'candidates.jsonl')).length).toBe(
      records(join(dir, 's2', 'candidates.jsonl')).length,
    );
    // A Kubernetes pod that was not given the Job's completions is told how to fix it.
    const noCount = await synthesize('k8s-bad', ['--shard', 'auto'], { JOB_COMPLETION_INDEX: '0' });
    expect(noCount.code).toBe(2);
    expect(noCount.stderr).toMatch(/set AUTOTRAJ_SHARD_COUNT to the Job's spec.completions/);
  });

  it('a resumed shard keeps its shard', { timeout: 60_000 }, async () => {
    const other = await inProcess('s1', ['--shard', '2/3']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /s1\/shard.json: this directory was started as --shard 1\/3, not --shard 2\/3/,
    );
    const whole = await inProcess('s1', []);
    expect(whole.stderr).toMatch(/started as --shard 1\/3, not the whole run/);
  });

  it('refuses a missing shard, a shard twice, mixed settings, and counts that do not add up', {
    timeout: 120_000,
  }, async () => {
    const out = join(dir, 'refused');
    const s = (i: number) => join(dir, `s${i}`);
    const missing = await run(['merge', s(0), s(2), '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing shard 1\/3 of 3/);

    // The Slurm run is shard 1/3 too.
    const twice = await run(['merge', s(0), s(1), join(dir, 'slurm'), s(2), '--out', out]);
    expect(twice.stderr).toMatch(/slurm: shard: shard 1\/3 is also .*s1; pass each shard once/);

    // Another preset evaluates differently, so it sends repair requests the demo cassette does
    // not hold; the shard's manifest is edited instead, which is all merge reads of it.
    const otherPreset = join(dir, 's2-autotraj');
    cpSync(s(2), otherPreset, { recursive: true });
    const edited = manifest(otherPreset);
    expect(edited.evaluatorPreset).toBe('paper');
    writeFileSync(
      join(otherPreset, 'manifest.json'),
      JSON.stringify({ ...edited, evaluatorPreset: 'autotraj' }, null, 2),
    );
    const mixed = await run(['merge', s(0), s(1), join(dir, 's2-autotraj'), '--out', out]);
    expect(mixed.stderr).toMatch(
      /s2-autotraj: evaluatorPreset: "autotraj" here but "paper" in .*s0/,
    );

    const limited = await run([
      'synthesize',
      '--out',
      join(dir, 's2-limit'),
      '--limit',
      '11',
      '--concurrency',
      '2',
      '--shard',
      '2/3',
    ]);
    expect(limited.code).toBe(0);
    const otherTasks = await run(['merge', s(0), s(1), join(dir, 's2-limit'), '--out', out]);
    expect(otherTasks.stderr).toMatch(/s2-limit: coverage.run.count: 11 here but 12/);

    // A shard whose files lost a record after it finished.
    const cut = join(dir, 's1-cut');
    cpSync(s(1), cut, { recursive: true });
    const sft = readFileSync(join(cut, 'sft.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(cut, 'sft.jsonl'), `${sft.slice(1).join('\n')}\n`);
    const counts = await run(['merge', s(0), cut, s(2), '--out', out]);
    expect(counts.stderr).toMatch(
      new RegExp(
        `s1-cut: sft.jsonl: ${sft.length - 1} records, but the manifest counts ${sft.length}`,
      ),
    );

    // A shard still running (or killed) has no manifest yet.
    const unfinished = join(dir, 's0-unfinished');
    cpSync(s(0), unfinished, { recursive: true });
    rmSync(join(unfinished, 'manifest.json'));
    const early = await run(['merge', unfinished, s(1), s(2), '--out', out]);
    expect(early.stderr).toMatch(/s0-unfinished: manifest.json: no manifest/);

    // Nothing was left behind by the refusals, and an existing output is never overwritten.
    expect(() => readFileSync(join(out, 'manifest.json'))).toThrow();
    const exists = await run(['merge', s(0), s(1), s(2), '--out', join(dir, 'merged')]);
    expect(exists.stderr).toMatch(/already exists and is not empty/);
  });
});
