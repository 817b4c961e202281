import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkPath } from '@autotraj/benchmarks';
import { type LoopbackServer, startLoopbackServer } from '@autotraj/generation/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalPolicyReply } from '../test-support/eval-policy.js';
import { run } from '../test-support/run.js';

// `autotraj eval` whole and as three shards in three processes against one loopback model
// (a deterministic scripted policy), then `autotraj merge`.
const bin = new URL('../../dist/bin.js', import.meta.url).pathname;
const corpus = new URL('../../../benchmarks/data/qa-sample-corpus.jsonl', import.meta.url).pathname;
const files = [benchmarkPath('gsm8k-test'), benchmarkPath('bamboogle')];
// Wall-clock fields: the only ones two runs of the same work may disagree on.
const CLOCK = new Set(['startedAt', 'finishedAt', 'durationMs', 'modelMs', 'toolMs', 'ms']);

let dir: string;
let server: LoopbackServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'autotraj-sharded-eval-'));
  server = await startLoopbackServer({ reply: evalPolicyReply(files) });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function evaluate(
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
      'eval',
      '--benchmark',
      'gsm8k-test,bamboogle',
      '--limit',
      '6',
      '--corpus',
      corpus,
      '--model',
      'vllm:scripted',
      '--base-url',
      server.baseURL,
      '--out',
      join(dir, out),
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

const withoutClock = (text: string) =>
  JSON.parse(text, (key, value) => (CLOCK.has(key) ? 'clock' : value));
const records = (path: string) =>
  readFileSync(join(path, 'records.jsonl'), 'utf8').split('\n').filter(Boolean).map(withoutClock);
const json = (path: string) => withoutClock(readFileSync(path, 'utf8'));

describe('sharded eval and autotraj merge', () => {
  it('three eval shards in three processes, merged, equal the single run; results re-derived', {
    timeout: 300_000,
  }, async () => {
    const [whole, ...parts] = await Promise.all([
      evaluate('whole', []),
      evaluate('e0', ['--shard', '0/3']),
      // The same shards from the schedulers' variables.
      evaluate('e1', ['--shard', 'auto'], {
        SLURM_ARRAY_TASK_ID: '1',
        SLURM_ARRAY_TASK_COUNT: '3',
      }),
      evaluate('e2', ['--shard', 'auto'], { JOB_COMPLETION_INDEX: '2', AUTOTRAJ_SHARD_COUNT: '3' }),
    ]);
    for (const result of [whole!, ...parts]) expect(result.code, result.stderr).toBe(0);
    const shards = [0, 1, 2].map((i) => json(join(dir, `e${i}`, 'manifest.json')));
    expect(shards.map((m) => m.shard.spec)).toEqual(['0/3', '1/3', '2/3']);
    expect(shards.map((m) => m.shard.source)).toEqual(['flag', 'slurm', 'kubernetes']);
    // Every question (6 per benchmark) in exactly one shard.
    expect(shards.reduce((s, m) => s + m.coverage.assigned.count, 0)).toBe(12);

    const merged = await run([
      'merge',
      join(dir, 'e1'),
      join(dir, 'e2'),
      join(dir, 'e0'),
      '--out',
      join(dir, 'merged'),
      '--json',
    ]);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ kind: 'eval', shards: 3, tasks: 12 });
    const canon = await run(['merge', join(dir, 'whole'), '--out', join(dir, 'canon')]);
    expect(canon.code).toBe(0);

    const mergedRecords = records(join(dir, 'merged'));
    expect(mergedRecords).toHaveLength(12);
    expect(mergedRecords).toEqual(records(join(dir, 'canon')));
    // The same multiset of records as the whole run wrote, whatever their order there.
    const sorted = (rs: Array<{ benchmark: string; questionId: string }>) =>
      rs.map((r) => JSON.stringify(r)).sort();
    expect(sorted(mergedRecords)).toEqual(sorted(records(join(dir, 'whole'))));
    // results.json is derived from the joined records by the eval's own summary.
    const results = json(join(dir, 'merged', 'results.json'));
    const single = json(join(dir, 'whole', 'results.json'));
    const scores = (r: { benchmarks: Array<Record<string, unknown>> }) =>
      r.benchmarks.map(({ msPerSample: _ms, msTotal: _total, ...rest }) => rest);
    expect(scores(results)).toEqual(scores(single));
    expect(results.benchmarks.every((b: { complete: boolean }) => b.complete)).toBe(true);
    expect(readFileSync(join(dir, 'merged', 'results.md'), 'utf8')).toContain('gsm8k-test');
    const manifest = json(join(dir, 'merged', 'manifest.json'));
    const wholeManifest = json(join(dir, 'whole', 'manifest.json'));
    expect(manifest.counts).toEqual(wholeManifest.counts);
    expect(manifest.benchmarks.map((b: { questions: number }) => b.questions)).toEqual([6, 6]);

    // The merged directory is an eval directory to the other commands.
    const compare = await run(['compare', join(dir, 'whole'), join(dir, 'merged'), '--json']);
    expect(compare.code, compare.stderr).toBe(0);

    // Refusals: a missing shard; a synthesis directory among eval shards; a cut records file.
    const missing = await run(['merge', join(dir, 'e0'), join(dir, 'e2'), '--out', join(dir, 'x')]);
    expect(missing.stderr).toMatch(/missing shard 1\/3 of 3/);
    const synthesis = join(dir, 'synthesis');
    writeFileSync(join(dir, 'placeholder'), '');
    const synth = await run(['synthesize', '--out', synthesis, '--limit', '1', '--shard', '1/3']);
    expect(synth.code).toBe(0);
    const mixed = await run([
      'merge',
      join(dir, 'e0'),
      synthesis,
      join(dir, 'e2'),
      '--out',
      join(dir, 'x'),
    ]);
    expect(mixed.stderr).toMatch(/synthesis: kind: is a synthesis run but .*e0 is a eval run/);
    const cut = join(dir, 'e0-cut');
    cpSync(join(dir, 'e0'), cut, { recursive: true });
    const lines = readFileSync(join(cut, 'records.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(cut, 'records.jsonl'), `${lines.slice(1).join('\n')}\n`);
    const counts = await run([
      'merge',
      cut,
      join(dir, 'e1'),
      join(dir, 'e2'),
      '--out',
      join(dir, 'x'),
    ]);
    expect(counts.stderr).toMatch(/e0-cut: records.jsonl: \d+ records, but the manifest counts/);
    const otherSeed = await evaluate('e2-seed', ['--shard', '2/3', '--seed', '7']);
    expect(otherSeed.code).toBe(0);
    const seed = await run([
      'merge',
      join(dir, 'e0'),
      join(dir, 'e1'),
      join(dir, 'e2-seed'),
      '--out',
      join(dir, 'x'),
    ]);
    expect(seed.stderr).toMatch(/e2-seed: settings.seed: 7 here but 0 in .*e0/);
  });
});
