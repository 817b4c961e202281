import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkPath, evalRecordSchema } from '@autotraj/benchmarks';
import { type LoopbackServer, startLoopbackServer } from '@autotraj/generation/testing';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalPolicyReply } from '../test-support/eval-policy.js';
import { evalRecordsWithoutClock } from '../test-support/eval-records.js';
import { run } from '../test-support/run.js';
import { expectRefused } from '../test-support/run-dir.js';

const corpus = new URL('../../../benchmarks/data/qa-sample-corpus.jsonl', import.meta.url).pathname;
const bin = new URL('../../dist/bin.js', import.meta.url).pathname;
const files = [benchmarkPath('gsm8k-test'), benchmarkPath('bamboogle')];

let dir: string;
let server: LoopbackServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'autotraj-eval-'));
  server = await startLoopbackServer({ reply: evalPolicyReply(files), latencyMs: 20 });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const evalArgs = (out: string) => [
  'eval',
  '--benchmark',
  'gsm8k-test,bamboogle',
  '--limit',
  '3',
  '--corpus',
  corpus,
  '--model',
  'vllm:scripted',
  '--base-url',
  server.baseURL,
  '--out',
  out,
];

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('autotraj eval', () => {
  it('runs math with Python and QA with BM25 search, writing records, results and a markdown table', async () => {
    const out = join(dir, 'run');
    const result = await run(evalArgs(out));
    expect(result.stderr).toMatch(/eval: 6\/6 samples/);
    expect(result.code).toBe(0);
    const records = lines(join(out, 'records.jsonl'));
    expect(records.map((r) => `${r.benchmark}/${r.questionId}#${r.sample}`)).toEqual([
      'gsm8k-test/gsm8k-test-0#0',
      'gsm8k-test/gsm8k-test-1#0',
      'gsm8k-test/gsm8k-test-2#0',
      'bamboogle/bamboogle-0#0',
      'bamboogle/bamboogle-1#0',
      'bamboogle/bamboogle-2#0',
    ]);
    for (const r of records) evalRecordSchema.parse(r);
    expect(records.map((r) => r.verdict.correct)).toEqual([true, false, true, true, false, true]);
    // The Python tool really ran: its output is the printed gold (plus one where the policy is wrong).
    const math = records[1];
    expect(
      math.trajectory.steps.find((s: { type: string }) => s.type === 'tool-result').output.trim(),
    ).toBe('4');
    expect(math.verdict).toMatchObject({
      extractedAnswer: '4',
      toolCalls: 1,
      toolErrors: 0,
      formatViolations: 0,
    });
    // BM25 found the passage that answers the question.
    const qa = records[3];
    expect(
      qa.trajectory.steps.find((s: { type: string }) => s.type === 'tool-result').output,
    ).toMatch(/Citibank was founded in 1812/);
    expect(qa.verdict).toMatchObject({ extractedAnswer: 'james madison', em: 1, f1: 1 });
    expect(records[4].verdict).toMatchObject({ extractedAnswer: 'London', em: 0, f1: 0 });

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.benchmarks.map((b: { benchmark: string }) => b.benchmark)).toEqual([
      'gsm8k-test',
      'bamboogle',
    ]);
    expect(results.benchmarks[0]).toMatchObject({
      questions: 3,
      complete: true,
      toolCallsPerSample: 1,
    });
    expect(results.benchmarks[0].accuracy).toBeCloseTo(2 / 3, 12);
    expect(results.benchmarks[1].em).toBeCloseTo(2 / 3, 12);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      kind: 'eval',
      model: { name: 'vllm:scripted', mode: 'live' },
      settings: {
        n: 1,
        temperature: 0,
        maxToolCalls: 3,
        tools: { math: ['python'], qa: ['search'] },
        search: { kind: 'bm25', source: corpus },
      },
      counts: { expected: 6, done: 6, failed: 0 },
    });
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).toContain('| gsm8k-test | 3 | 66.7 |  |  |');
    expect(md).toContain('| bamboogle | 3 | 66.7 | 66.7 | 66.7 |');

    // Rerun: nothing to do, same results.
    const again = await run([...evalArgs(out), '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(results);
    // The settings are recorded resolved: the defaults written out are the same run.
    const d = RUN_DEFAULTS.eval;
    const written = await run([
      ...evalArgs(out),
      ...[
        '--max-tool-calls',
        String(RUN_DEFAULTS.maxToolCalls),
        '--temperature',
        String(d.temperature),
      ],
      ...['--seed', String(d.seed), '--n', String(d.n), '--json'],
    ]);
    expect(written.code, written.stderr).toBe(0);
    expect(JSON.parse(written.stdout)).toEqual(results);

    // Other settings in the same directory are refused rather than mixed in, untouched.
    for (const [flags, setting, recorded, requested] of [
      [['--max-tool-calls', '2'], 'maxToolCalls (--max-tool-calls)', 3, 2],
      [['--temperature', '0.5'], 'temperature (--temperature)', 0, 0.5],
      [['--seed', '3'], 'seed (--seed)', 0, 3],
      [['--prompt', 'paper'], 'prompts', { name: 'tags-example' }, { name: 'paper' }],
    ] as const) {
      if (setting === 'prompts') {
        const prompt = await run([...evalArgs(out), ...flags]);
        expect(prompt.code).toBe(1);
        expect(prompt.stderr).toMatch(
          /prompts \(--prompt\): recorded \{"math":\{"name":"tags-example"/,
        );
        continue;
      }
      await expectRefused(out, [...evalArgs(out), ...flags], setting, recorded, requested);
    }
    const model = evalArgs(out).map((arg) => (arg === 'vllm:scripted' ? 'vllm:other' : arg));
    await expectRefused(out, model, 'model (--model)', 'vllm:scripted', 'vllm:other');

    // --force-new: the earlier evaluation moves aside, the new one starts afresh.
    const fresh = await run([...evalArgs(out), '--max-tool-calls', '2', '--force-new', '--json']);
    expect(fresh.code, fresh.stderr).toBe(0);
    const aside = readdirSync(dir).filter((name) => name.startsWith('run.replaced-'));
    expect(aside).toHaveLength(1);
    expect(lines(join(dir, aside[0]!, 'records.jsonl'))).toHaveLength(6);
    // Back as it was, for the tests below that compare with this directory.
    rmSync(out, { recursive: true });
    renameSync(join(dir, aside[0]!), out);

    // Two processes on one directory at once: the second is refused.
    const raced = join(dir, 'raced');
    const both = await Promise.all([run(evalArgs(raced)), run(evalArgs(raced))]);
    expect(both.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(both.find((r) => r.code === 1)!.stderr).toMatch(/is in use by eval \(pid \d+/);
  });

  it('compares two runs with paired bootstrap intervals', async () => {
    const base = join(dir, 'run');
    const out = join(dir, 'limit2');
    expect((await run([...evalArgs(out), '--limit', '2'])).code).toBe(0);
    const compared = await run(['compare', base, out, '--resamples', '500', '--seed', '3']);
    expect(compared.code).toBe(0);
    // limit2 has questions 0 and 1 of each benchmark: base and it agree on both.
    expect(compared.stdout).toContain(`| gsm8k-test | 2 | 50.0 | 50.0 | +0.0 [+0.0, +0.0] |`);
    expect(compared.stdout).toContain('500 resamples, seed 3, 95% percentile interval');
    const one = await run(['compare', base]);
    expect(one.code).toBe(2);
  });

  it('evaluates a --benchmark-file named after the file', async () => {
    const file = join(dir, 'mine.jsonl');
    const rows = readFileSync(benchmarkPath('gsm8k-test'), 'utf8')
      .split('\n')
      .slice(0, 2)
      .map((l, i) => ({ ...JSON.parse(l), id: `mine-${i}` }));
    writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const out = join(dir, 'file');
    const result = await run([
      'eval',
      '--benchmark-file',
      file,
      '--model',
      'vllm:scripted',
      '--base-url',
      server.baseURL,
      '--out',
      out,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const [b] = JSON.parse(result.stdout).benchmarks;
    expect(b).toMatchObject({ benchmark: 'mine', questions: 2, accuracy: 0.5, correctSamples: 1 });
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).benchmarks).toEqual([
      { name: 'mine', kind: 'math', source: file, questions: 2 },
    ]);
  });

  it('refuses QA without a search tool, unknown benchmarks and n > 1 at temperature 0', async () => {
    const noSearch = await run([
      'eval',
      '--benchmark',
      'bamboogle',
      '--model',
      'vllm:x',
      '--base-url',
      server.baseURL,
      '--out',
      join(dir, 'x'),
    ]);
    expect(noSearch.code).toBe(2);
    expect(noSearch.stderr).toMatch(/QA benchmarks need a search tool: --corpus/);
    const unknown = await run([
      'eval',
      '--benchmark',
      'gsm8k',
      '--model',
      'vllm:x',
      '--base-url',
      server.baseURL,
      '--out',
      join(dir, 'x'),
    ]);
    expect(unknown.stderr).toMatch(/unknown benchmark "gsm8k"/);
    const greedy = await run([
      'eval',
      '--benchmark',
      'gsm8k-test',
      '--n',
      '4',
      '--model',
      'vllm:x',
      '--base-url',
      server.baseURL,
      '--out',
      join(dir, 'x'),
    ]);
    expect(greedy.stderr).toMatch(/--n 4 needs --temperature > 0/);
  });

  it('SIGTERM stops cleanly: finished samples summarised as partial, exit 130, a rerun completes', async () => {
    if (!existsSync(bin))
      throw new Error('build the CLI first (the child process runs dist/bin.js)');
    const out = join(dir, 'stopped');
    const slow = await startLoopbackServer({ reply: evalPolicyReply(files), latencyMs: 150 });
    try {
      const args = [
        bin,
        ...evalArgs(out).map((a) => (a === server.baseURL ? slow.baseURL : a)),
        '--concurrency',
        '1',
      ];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const code = await new Promise<number | null>((resolve) => {
        let err = '';
        let sent = false;
        child.stderr!.on('data', (d) => {
          err += d;
          if (!sent && /eval: 2\/6 samples/.test(err)) {
            sent = true;
            child.kill('SIGTERM');
          }
        });
        child.on('exit', (c) => resolve(c));
      });
      expect(code).toBe(130);
      const done = readFileSync(join(out, 'records.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean).length;
      expect(done).toBeGreaterThanOrEqual(2);
      expect(done).toBeLessThan(6);
      const partial = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      const samples = partial.benchmarks.reduce(
        (s: number, b: { samples: number }) => s + b.samples,
        0,
      );
      expect(samples).toBe(done);
      expect(partial.benchmarks.some((b: { complete: boolean }) => !b.complete)).toBe(true);
      expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(/\(partial\)/);
      const rerun = await run(evalArgs(out).map((a) => (a === server.baseURL ? slow.baseURL : a)));
      expect(rerun.code).toBe(0);
    } finally {
      await slow.close();
    }
    expect(evalRecordsWithoutClock(out)).toEqual(evalRecordsWithoutClock(join(dir, 'run')));
  }, 120_000);

  it('killed mid-run and rerun, ends equal to an uninterrupted run', async () => {
    if (!existsSync(bin))
      throw new Error('build the CLI first (the child process runs dist/bin.js)');
    const reference = join(dir, 'run');
    const resumed = join(dir, 'killed');
    const args = (out: string) => [bin, ...evalArgs(out), '--concurrency', '1'];
    // Slow replies, so the kill lands while samples are still in flight.
    const slow = await startLoopbackServer({ reply: evalPolicyReply(files), latencyMs: 150 });
    try {
      const child: ChildProcess = spawn(
        process.execPath,
        args(resumed).map((a) => (a === server.baseURL ? slow.baseURL : a)),
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      await new Promise<void>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (d) => {
          err += d;
          if (/eval: 2\/6 samples/.test(err)) child.kill('SIGKILL');
        });
        child.on('exit', (code, signal) =>
          signal === 'SIGKILL' ? resolve() : reject(new Error(`not killed (exit ${code}): ${err}`)),
        );
      });
      const partial = readFileSync(join(resumed, 'records.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean);
      expect(partial.length).toBeGreaterThanOrEqual(2);
      expect(partial.length).toBeLessThan(6);
      expect(existsSync(join(resumed, 'results.json'))).toBe(false);
      const rerun = await run(
        evalArgs(resumed).map((a) => (a === server.baseURL ? slow.baseURL : a)),
      );
      expect(rerun.code).toBe(0);
      expect(rerun.stderr).toMatch(
        new RegExp(`resuming, ${partial.length}/6 samples done earlier`),
      );
    } finally {
      await slow.close();
    }
    expect(evalRecordsWithoutClock(resumed)).toEqual(evalRecordsWithoutClock(reference));
    const results = (out: string) => {
      const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      for (const b of r.benchmarks) {
        delete b.msPerSample;
        delete b.msTotal;
      }
      return r;
    };
    expect(results(resumed)).toEqual(results(reference));
  }, 120_000);
});
