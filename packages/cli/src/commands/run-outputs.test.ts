import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFixtures } from '@autotraj/repairer';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

// What a downstream user does after `autotraj run`: point every reading command at each file
// the run wrote, and at the run directory itself.

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

let out: string;
let work: string;
let counts: Record<string, number>;
const files = {
  candidates: 'synthesis/candidates.jsonl',
  sft: 'synthesis/sft.jsonl',
  pairs: 'synthesis/pairs.jsonl',
  hard: 'synthesis/hard.jsonl',
  rollouts: 'rl/rollouts.jsonl',
} as const;
// Trajectories per record: pairs hold chosen + rejected, hard cases the original + last attempt.
const perRecord = { candidates: 1, sft: 1, pairs: 2, hard: 2, rollouts: 1 } as const;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'autotraj-run-outputs-'));
  out = join(work, 'run');
  const result = await run(['run', '--out', out, '--limit', '3', '--concurrency', '4']);
  expect(result.code, result.stderr).toBe(0);
  counts = JSON.parse(readFileSync(join(out, 'synthesis/manifest.json'), 'utf8')).counts;
}, 180_000);

const listing = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();

describe('every reading command reads what `autotraj run` writes', () => {
  it('inspect: each file, detected without --from, with the manifest counts', async () => {
    const expected: Record<keyof typeof files, number> = {
      candidates: counts.candidates!,
      sft: counts.sft!,
      pairs: counts.pairs!,
      hard: counts.hard!,
      rollouts: lines(join(out, files.rollouts)).length,
    };
    expect(expected.hard).toBeGreaterThan(0);
    expect(expected.pairs).toBeGreaterThan(0);
    for (const [kind, file] of Object.entries(files) as [keyof typeof files, string][]) {
      const result = await run(['inspect', join(out, file), '--json']);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary.format, file).toBe(kind);
      expect(summary.records, file).toBe(expected[kind]);
      expect(summary.rejected, file).toBe(0);
      expect(summary.trajectories, file).toBeGreaterThanOrEqual(expected[kind]);
      expect(summary.trajectories, file).toBeLessThanOrEqual(expected[kind] * perRecord[kind]);
    }
  });

  it('inspect: the run directory, one summary per file, nothing written into it', async () => {
    const before = listing(out);
    const result = await run(['inspect', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summaries = JSON.parse(result.stdout) as { file: string; format: string }[];
    expect(summaries.map((s) => [s.file.slice(out.length + 1), s.format])).toEqual([
      [files.candidates, 'candidates'],
      [files.sft, 'sft'],
      [files.pairs, 'pairs'],
      [files.hard, 'hard'],
      // What the admission gate kept out: the demo cassette's copied repairs.
      ['synthesis/dropped.jsonl', 'dropped'],
      [files.rollouts, 'rollouts'],
    ]);
    expect(listing(out)).toEqual(before);
  });

  it('evaluate: each file and the run directory, gold answers from the run manifest', async () => {
    for (const file of Object.values(files)) {
      const report = join(work, 'evaluate', file.replace('/', '-'));
      const result = await run(['evaluate', join(out, file), '--out', report]);
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
      expect(result.stderr).toContain('gold answers from');
      const rows = lines(report).map((l) => JSON.parse(l));
      expect(rows.length, file).toBeGreaterThan(0);
      // The manifest's tasks give every trajectory a gold answer.
      expect(
        rows.filter((r) => r.correct === null),
        file,
      ).toEqual([]);
    }
    const dirOut = join(work, 'evaluate-dir');
    const result = await run(['evaluate', out, '--out', dirOut]);
    expect(result.code, result.stderr).toBe(0);
    for (const file of Object.values(files)) {
      expect(result.stdout).toContain(join(out, file));
      expect(existsSync(join(dirOut, file)), file).toBe(true);
    }
    // Evaluating candidates again agrees with the verdicts synthesize recorded.
    const candidates = lines(join(out, files.candidates)).map((l) => JSON.parse(l));
    const reports = lines(join(dirOut, files.candidates)).map((l) => JSON.parse(l));
    expect(reports.map((r) => r.correct)).toEqual(candidates.map((c) => c.correct));
  });

  it('score: each file and the run directory with the run reward model', async () => {
    const model = join(out, 'reward-model/model.onnx');
    for (const [kind, file] of Object.entries(files) as [keyof typeof files, string][]) {
      const scored = join(work, 'score', file.replace('/', '-'));
      const result = await run(['score', join(out, file), '--model', model, '--out', scored]);
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
      const rows = lines(scored).map((l) => JSON.parse(l));
      expect(rows).toHaveLength(lines(join(out, file)).length);
      if (kind === 'pairs') {
        for (const row of rows) {
          expect(typeof row.scores.chosen).toBe('number');
          expect(typeof row.scores.rejected).toBe('number');
        }
      } else if (kind !== 'hard') {
        for (const row of rows) expect(typeof row.score).toBe('number');
      }
    }
    const result = await run(['score', out, '--model', model, '--out', join(work, 'score-dir')]);
    expect(result.code, result.stderr).toBe(0);
    for (const file of Object.values(files))
      expect(existsSync(join(work, 'score-dir', file)), file).toBe(true);
  });

  it('reward: each file and the run directory, one line per trajectory', async () => {
    for (const [kind, file] of Object.entries(files) as [keyof typeof files, string][]) {
      const rewards = join(work, 'reward', file.replace('/', '-'));
      const result = await run(['reward', join(out, file), '--out', rewards]);
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
      expect(result.stdout).not.toMatch(/without gold answers/);
      const records = lines(join(out, file)).length;
      const rows = lines(rewards);
      expect(rows.length).toBeGreaterThanOrEqual(records);
      expect(rows.length).toBeLessThanOrEqual(records * perRecord[kind]);
    }
    // A rollout's reward recomputed from its record is the reward the rollout loop gave it, up
    // to the RM term (no --rm here): the outcome component matches.
    const rollouts = lines(join(out, files.rollouts)).map((l) => JSON.parse(l));
    const rewards = lines(join(work, 'reward', files.rollouts.replace('/', '-'))).map((l) =>
      JSON.parse(l),
    );
    expect(rewards.map((r) => r.outcome)).toEqual(rollouts.map((r) => r.reward.components.outcome));
    const result = await run(['reward', out, '--out', join(work, 'reward-dir')]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('convert: each file to SFT data; pairs to TRL, all without --from', async () => {
    for (const file of Object.values(files)) {
      const converted = join(work, 'convert', file.replace('/', '-'));
      const result = await run(['convert', '--to', 'sharegpt', join(out, file), converted]);
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
      expect(lines(converted).length).toBeGreaterThanOrEqual(lines(join(out, file)).length);
    }
    const trl = join(work, 'pairs.trl.jsonl');
    const result = await run(['convert', '--to', 'trl', join(out, files.pairs), trl]);
    expect(result.code, result.stderr).toBe(0);
    expect(lines(trl)).toHaveLength(counts.pairs!);
  });

  it('train-rm on the run pairs, and report on the run directory', async () => {
    const rm = join(work, 'rm');
    const trained = await run([
      'train-rm',
      '--pairs',
      join(out, files.pairs),
      '--out',
      rm,
      '--epochs',
      '2',
      '--buckets',
      '4096',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(existsSync(join(rm, 'model.onnx'))).toBe(true);
    const report = join(work, 'report.html');
    const reported = await run(['report', out, '--out', report]);
    expect(reported.code, reported.stderr).toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('Pipeline funnel');
  }, 120_000);

  it('evaluate --tasks takes the task file synthesize accepted', async () => {
    const report = join(work, 'with-tasks.jsonl');
    const result = await run([
      'evaluate',
      join(out, files.candidates),
      '--tasks',
      demoFixtures.tasksPath,
      '--out',
      report,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(lines(report)).toHaveLength(counts.candidates!);
  });

  it('a file whose every line is rejected exits 1 and says where the rejects went', async () => {
    const bad = join(work, 'bad-candidates.jsonl');
    const good = JSON.parse(lines(join(out, files.candidates))[0]!);
    writeFileSync(bad, `${JSON.stringify({ ...good, quality: 'high' })}\n{not json\n`);
    const report = join(work, 'bad-report.jsonl');
    const result = await run(['evaluate', bad, '--out', report]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`2 of 2 lines of ${bad} rejected -> ${report}.rejects.jsonl`);
    expect(result.stderr).toContain(`every line of ${bad} was rejected`);
    const rejects = lines(`${report}.rejects.jsonl`).map((l) => JSON.parse(l));
    expect(rejects.map((r) => r.line).sort()).toEqual([1, 2]);
    expect(rejects.find((r) => r.line === 1).message).toMatch(/quality/);
  });
});
