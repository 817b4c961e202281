import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEvaluator } from '@autotraj/evaluator';
import { createVllmProvider, readTasksJsonl } from '@autotraj/generation';
import {
  type Gsm8kProblem,
  gsm8kPolicyReply,
  type LoopbackServer,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import {
  createCalculatorRuntime,
  createPythonPool,
  createPythonRuntime,
  type PythonPool,
} from '@autotraj/tools';
import { ValidationError } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepairer } from '../repair/repairer.js';
import { GSM8K_TRAIN } from '../test-support/gsm8k-train.js';
import { type SynthesisEvent, synthesize } from './synthesize.js';

const LIMIT = 12;
const BAD_LINE = 7;
const lines = readFileSync(GSM8K_TRAIN, 'utf8').split('\n').slice(0, LIMIT);
const problems: Gsm8kProblem[] = lines.map((line) => JSON.parse(line) as Gsm8kProblem);
const FILES = ['journal', 'candidates', 'sft', 'pairs', 'hard'];

let pool: PythonPool;
let server: LoopbackServer;
let tmp: string;
beforeAll(async () => {
  pool = createPythonPool({ size: 2 });
  // Latency keeps several tasks in flight when the bad line is read or the signal fires.
  server = await startLoopbackServer({ reply: gsm8kPolicyReply({ problems }), latencyMs: 40 });
  tmp = mkdtempSync(join(tmpdir(), 'autotraj-synth-stop-'));
});
afterAll(async () => {
  await server.close();
  await pool.close();
  rmSync(tmp, { recursive: true, force: true });
});

function tasksFile(name: string, badLine?: number): string {
  const path = join(tmp, `${name}.jsonl`);
  const body = lines.map((line, i) => (i + 1 === badLine ? '{"not":"a task"}' : line));
  writeFileSync(path, `${body.join('\n')}\n`);
  return path;
}

function run(options: {
  tasksPath: string;
  outDir: string;
  signal?: AbortSignal;
  onProgress?: (e: SynthesisEvent) => void;
}) {
  const model = createVllmProvider({ baseURL: server.baseURL }).languageModel('scripted-policy');
  const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
  const evaluator = createEvaluator({ preset: 'paper' });
  const retry = { retries: 2, baseDelayMs: 1, timeoutMs: 5_000 };
  return synthesize({
    // Streamed, as the CLI reads it: the bad line is met mid-run, not up front.
    tasks: readTasksJsonl(options.tasksPath),
    policy: { model, tools, retry },
    repairer: createRepairer({ model, tools, evaluator, retry }),
    evaluator,
    n: 2,
    outDir: options.outDir,
    concurrency: 2,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

let reference: Promise<{ outDir: string; summary: Awaited<ReturnType<typeof synthesize>> }>;
/** One uninterrupted run over the good file, shared by the tests. */
function uninterrupted() {
  reference ??= (async () => {
    const outDir = join(tmp, 'reference');
    return { outDir, summary: await run({ tasksPath: tasksFile('good'), outDir }) };
  })();
  return reference;
}

/** Size and mtime of every file in the run directory. */
function snapshot(outDir: string): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const name of readdirSync(outDir)) {
    const stat = statSync(join(outDir, name));
    out[name] = [stat.size, stat.mtimeMs];
  }
  return out;
}

/** File descriptors of this process open on a file inside `dir`. */
function openIn(dir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) open.push(target);
    } catch {}
  }
  return open;
}

/** Records without wall-clock fields, keyed and sorted by id. */
function normalized(outDir: string, name: string): Array<[string, unknown]> {
  return readFileSync(join(outDir, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) =>
      JSON.parse(line, (key, value) =>
        ['startedAt', 'finishedAt', 'durationMs', 'modelMs', 'toolMs', 'evaluationMs'].includes(key)
          ? undefined
          : value,
      ),
    )
    .map((r): [string, unknown] => [r.id, r])
    .sort(([a], [b]) => a.localeCompare(b));
}

/** After a stopped run: nothing is written any more, no file is left open, nothing is requested. */
async function expectSettledClean(outDir: string): Promise<void> {
  expect(openIn(outDir)).toEqual([]);
  const files = snapshot(outDir);
  const requests = server.requests.length;
  // Longer than several model calls: an orphaned task would have written by now.
  await sleep(500);
  expect(snapshot(outDir)).toEqual(files);
  expect(server.requests.length).toBe(requests);
  expect(Object.keys(files)).not.toContain('manifest.json');
}

describe('synthesize stops cleanly', () => {
  it('a bad line mid-file: typed error naming file and line, no write after, no open file, rerun completes', async () => {
    const { outDir: reference, summary } = await uninterrupted();
    expect(summary.run).toMatchObject({ done: LIMIT, failed: 0 });

    const broken = tasksFile('broken', BAD_LINE);
    const outDir = join(tmp, 'bad-line');
    const events: SynthesisEvent[] = [];
    const error = await run({
      tasksPath: broken,
      outDir,
      onProgress: (e) => events.push(e),
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).location).toEqual({ file: broken, line: BAD_LINE });
    expect((error as Error).message).toContain(`${broken}, line ${BAD_LINE}`);
    // Tasks were in flight (started, not finished) when the line was read: they were stopped,
    // not reported as failures of their own.
    const finished = events.filter((e) => e.type === 'task-done').length;
    expect(finished).toBeLessThan(BAD_LINE - 1);
    expect(events.some((e) => e.type === 'task-failed')).toBe(false);
    expect(events.at(-1)?.type).not.toBe('finish');
    await expectSettledClean(outDir);
    // Only whole tasks were recorded: one journal line per finished task.
    expect(normalized(outDir, 'journal')).toHaveLength(finished);

    // Fixed line, same directory: the output is the uninterrupted run's.
    const rerun = await run({ tasksPath: tasksFile('fixed'), outDir });
    expect(rerun.run).toMatchObject({ resumed: finished, done: LIMIT - finished, failed: 0 });
    expect(rerun.counts).toEqual(summary.counts);
    for (const name of FILES) {
      const actual = normalized(outDir, name);
      expect(new Set(actual.map(([id]) => id)).size).toBe(actual.length);
      expect(actual).toEqual(normalized(reference, name));
    }
    expect(openIn(outDir)).toEqual([]);
  }, 60_000);

  it('an abort: rejects with the signal reason once every task has stopped and every file is closed; rerun completes', async () => {
    const { outDir: reference } = await uninterrupted();
    const outDir = join(tmp, 'aborted');
    const controller = new AbortController();
    let done = 0;
    const error = await run({
      tasksPath: tasksFile('abort'),
      outDir,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'task-done' && ++done === 2) controller.abort(new Error('stop here'));
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('stop here');
    await expectSettledClean(outDir);
    expect(normalized(outDir, 'journal')).toHaveLength(2);

    const rerun = await run({ tasksPath: tasksFile('abort'), outDir });
    expect(rerun.run).toMatchObject({ resumed: 2, done: LIMIT - 2, failed: 0 });
    for (const name of FILES) expect(normalized(outDir, name)).toEqual(normalized(reference, name));
  }, 60_000);
});
