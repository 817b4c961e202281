import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluator } from '@autotraj/evaluator';
import {
  createVllmProvider,
  isInShard,
  parseShard,
  readTasksJsonl,
  type Shard,
} from '@autotraj/generation';
import {
  gsm8kPolicyReply,
  type LoopbackReply,
  type LoopbackServer,
  lastUserText,
  questionOf,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import {
  createCalculatorRuntime,
  createPythonPool,
  createPythonRuntime,
  type PythonPool,
} from '@autotraj/tools';
import {
  preferencePairSchema,
  RUN_DEFAULTS,
  RunLockedError,
  RunSettingsMismatchError,
  ShardMismatchError,
  sftRecordSchema,
  type Task,
} from '@autotraj/trajectory';
import { modelWrittenText } from '@autotraj/trajectory/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepairer } from '../repair/repairer.js';
import { GSM8K_TRAIN, gsm8kTrainProblems } from '../test-support/gsm8k-train.js';
import { candidateRecordSchema, droppedRecordSchema, hardCaseSchema } from './synthesis-records.js';
import { type SynthesisEvent, synthesize } from './synthesize.js';

const problems = gsm8kTrainProblems(10);

let pool: PythonPool;
let tmp: string;
beforeAll(() => {
  pool = createPythonPool({ size: 2 });
  tmp = mkdtempSync(join(tmpdir(), 'autotraj-synth-'));
});
afterAll(async () => {
  await pool.close();
  rmSync(tmp, { recursive: true, force: true });
});

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function tasks(limit: number): Promise<Task[]> {
  const out: Task[] = [];
  for await (const task of readTasksJsonl(GSM8K_TRAIN, { limit })) out.push(task);
  return out;
}

async function run(options: {
  server: LoopbackServer;
  outDir: string;
  n: number;
  limit: number;
  retries?: number;
  shard?: Shard;
  temperature?: number;
  forceNew?: boolean;
  onProgress?: (e: SynthesisEvent) => void;
}) {
  const model = createVllmProvider({ baseURL: options.server.baseURL }).languageModel(
    'scripted-policy',
  );
  const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
  const evaluator = createEvaluator({ preset: 'paper' });
  const retry = { retries: options.retries ?? 4, baseDelayMs: 1, timeoutMs: 2_000 };
  const repairer = createRepairer({ model, tools, evaluator, retry });
  return synthesize({
    tasks: await tasks(options.limit),
    policy: {
      model,
      tools,
      retry,
      ...(options.temperature === undefined
        ? {}
        : { sampling: { temperature: options.temperature } }),
    },
    repairer,
    evaluator,
    n: options.n,
    outDir: options.outDir,
    concurrency: 4,
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.forceNew ? { forceNew: true } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

describe('synthesize', () => {
  it('resumes only the same run: other settings are refused untouched, forceNew starts afresh, a second process is refused', async () => {
    const server = await startLoopbackServer({ reply: gsm8kPolicyReply({ problems }) });
    try {
      const outDir = join(tmp, 'same-run');
      await run({ server, outDir, n: 2, limit: 2 });
      const files = () =>
        Object.fromEntries(
          readdirSync(outDir).map((name) => [name, readFileSync(join(outDir, name), 'utf8')]),
        );
      const before = files();
      expect(JSON.parse(before['manifest.json']!).settings).toMatchObject({
        n: 2,
        temperature: 0.3,
        model: 'vllm:scripted-policy',
        tools: ['python', 'calculator'],
        maxToolCalls: 3,
        preset: 'paper',
      });
      for (const [change, setting, recorded, requested] of [
        [{ n: 4 }, 'n', 2, 4],
        [{ temperature: 1 }, 'temperature', 0.3, 1],
      ] as const) {
        const error = await run({ server, outDir, n: 2, limit: 2, ...change }).catch((e) => e);
        expect(RunSettingsMismatchError.isInstance(error)).toBe(true);
        expect((error as RunSettingsMismatchError).differences).toEqual([
          { setting, recorded, requested },
        ]);
        expect(files()).toEqual(before);
      }
      const resumed = await run({ server, outDir, n: 2, limit: 2 });
      expect(resumed.run).toMatchObject({ done: 0, resumed: 2 });
      // The settings are recorded resolved: the default temperature written out is the same run.
      const written = await run({
        server,
        outDir,
        n: 2,
        limit: 2,
        temperature: RUN_DEFAULTS.temperature,
      });
      expect(written.run).toMatchObject({ done: 0, resumed: 2 });

      const fresh = await run({ server, outDir, n: 4, limit: 2, forceNew: true });
      expect(fresh.run).toMatchObject({ done: 2, resumed: 0 });
      const aside = readdirSync(tmp).filter((name) => name.startsWith('same-run.replaced-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(tmp, aside[0]!, 'sft.jsonl'), 'utf8')).toBe(before['sft.jsonl']);

      // Two processes at once on one directory: one works, the other is refused.
      const both = await Promise.allSettled([
        run({ server, outDir: join(tmp, 'raced'), n: 2, limit: 2 }),
        run({ server, outDir: join(tmp, 'raced'), n: 2, limit: 2 }),
      ]);
      expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(RunLockedError.isInstance(refused.reason)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('runs one shard of the tasks, records what it covered, and keeps its shard on resume', async () => {
    const server = await startLoopbackServer({ reply: gsm8kPolicyReply({ problems }) });
    try {
      const shard = parseShard('1/2');
      const outDir = join(tmp, 'shard-1-of-2');
      const summary = await run({ server, outDir, n: 2, limit: 10, shard });
      const ids = (await tasks(10)).map((t) => t.id);
      const mine = ids.filter((id) => isInShard(id, shard));
      expect(summary.counts.tasks).toBe(mine.length);
      expect(summary.shard).toEqual({ index: 1, count: 2, source: 'flag', spec: '1/2' });
      expect(summary.coverage.run.count).toBe(10);
      expect(summary.coverage.assigned.count).toBe(mine.length);
      expect(summary.coverage.done).toEqual(summary.coverage.assigned);
      const taskIds = new Set(readLines(join(outDir, 'candidates.jsonl')).map((c) => c.taskId));
      expect([...taskIds].sort()).toEqual([...mine].sort());
      const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ kind: 'synthesis', shard: summary.shard });
      await expect(
        run({ server, outDir, n: 2, limit: 10, shard: parseShard('0/2') }),
      ).rejects.toSatisfy((error) => ShardMismatchError.isInstance(error));
    } finally {
      await server.close();
    }
  });

  it('writes candidates, loss-masked SFT records, repair pairs, hard cases and a manifest', async () => {
    const server = await startLoopbackServer({ reply: gsm8kPolicyReply({ problems }) });
    const outDir = join(tmp, 'full');
    const events: SynthesisEvent[] = [];
    const summary = await run({
      server,
      outDir,
      n: 4,
      limit: 10,
      onProgress: (e) => events.push(e),
    });
    await server.close();

    const candidates = readLines(join(outDir, 'candidates.jsonl')).map((r) =>
      candidateRecordSchema.parse(r),
    );
    const sft = readLines(join(outDir, 'sft.jsonl')).map((r) => sftRecordSchema.parse(r));
    const pairs = readLines(join(outDir, 'pairs.jsonl')).map((r) => preferencePairSchema.parse(r));
    const hard = readLines(join(outDir, 'hard.jsonl')).map((r) => hardCaseSchema.parse(r));
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));

    expect(candidates).toHaveLength(40);
    expect(new Set(candidates.map((c) => c.id)).size).toBe(40);
    // The scripted policy's variety reached the files: real Python errors, wrong answers, bad format.
    const toolErrors = candidates.filter((c) =>
      c.trajectory.steps.some((s) => s.type === 'tool-result' && s.isError),
    );
    expect(toolErrors.length).toBeGreaterThan(0);
    expect(toolErrors[0]!.trajectory.steps.find((s) => s.type === 'tool-result')).toMatchObject({
      output: expect.stringContaining('NameError'),
    });
    expect(candidates.some((c) => c.correct === false)).toBe(true);
    expect(candidates.some((c) => c.decision.action === 'keep')).toBe(true);

    // SFT: kept + accepted repairs, each text once per task (the scripted repairer writes the
    // same repair for every failed candidate of a task: the copies are dropped, their pairs kept).
    const dropped = readLines(join(outDir, 'dropped.jsonl')).map((r) =>
      droppedRecordSchema.parse(r),
    );
    const copies = dropped.filter((d) => d.reasons.some((r) => r.code === 'duplicate'));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.reasons.map((r) => r.code)).toEqual(['duplicate']);
      expect(copy.pair).toBeNull();
      const same = sft.filter(
        (r) => r.taskId === copy.taskId && r.rendered.text === copy.sft!.rendered.text,
      );
      expect(same).toHaveLength(1);
      expect(copy.reasons[0]!.message).toContain(same[0]!.id);
    }
    const texts = sft.map((r) => `${r.taskId}\n${r.rendered.text}`);
    expect(new Set(texts).size).toBe(sft.length);
    expect(
      sft.filter((r) => r.origin === 'repaired').length +
        copies.filter((d) => d.sft!.origin === 'repaired').length,
    ).toBe(pairs.length);
    expect(manifest.counts.droppedByReason.duplicate).toBe(copies.length);
    expect(pairs.length).toBeGreaterThan(0);
    expect(hard.length).toBeGreaterThan(0);
    for (const record of sft) {
      const toolText = record.rendered.spans
        .filter((span) => span.source === 'tool')
        .map((span) => record.rendered.text.slice(span.start, span.end))
        .join('');
      const outputs = record.trajectory.steps
        .filter((s) => s.type === 'tool-result')
        .map((s) => `<result>${s.output}</result>`);
      expect(toolText.replaceAll('\n', '')).toBe(outputs.join('').replaceAll('\n', ''));
      expect(modelWrittenText(record.rendered)).not.toContain('<result>');
    }
    for (const pair of pairs) {
      expect(pair.chosen.provenance.parentId).toBe(pair.rejected.id);
      expect(pair.chosen.finalAnswer).not.toBeNull();
      expect(pair.chosenScore!).toBeGreaterThan(0.8);
    }
    const repairDecisions = candidates.filter((c) => c.decision.action === 'repair').length;
    expect(pairs.length + hard.length).toBe(repairDecisions);

    expect(manifest.counts).toEqual(summary.counts);
    expect(manifest.counts).toMatchObject({
      tasks: 10,
      candidates: 40,
      sft: sft.length,
      pairs: pairs.length,
      hard: hard.length,
    });
    expect(manifest.config).toMatchObject({
      n: 4,
      protocol: 'text-tags',
      model: 'vllm:scripted-policy',
      sampling: { temperature: 0.3 },
    });
    expect(manifest.versions['@autotraj/repairer']).toMatch(/^\d+\.\d+\.\d+/);
    expect(events.filter((e) => e.type === 'task-done')).toHaveLength(10);
    expect(events.at(-1)?.type).toBe('finish');

    // Rerunning a finished job does nothing and duplicates nothing.
    const again = await run({
      server: await startLoopbackServer({ reply: () => ({ fault: 'server-error' }) }),
      outDir,
      n: 4,
      limit: 10,
    });
    expect(again.run).toMatchObject({ done: 0, resumed: 10, failed: 0 });
    expect(readLines(join(outDir, 'sft.jsonl'))).toHaveLength(sft.length);
  });

  it('under injected faults every task ends done or failed with a reason; failed tasks are redone on rerun', async () => {
    const faults: LoopbackReply[] = [
      { fault: 'rate-limit', retryAfterSeconds: 0.01 },
      { fault: 'server-error' },
      { fault: 'truncate' },
      { fault: 'empty' },
      { fault: 'hang' },
    ];
    const reply = gsm8kPolicyReply({ problems });
    // Faults are decided per distinct request, not per global call index: under concurrency a
    // call-index rule can hit one request's every retry. Here every third distinct request
    // fails once (its retry succeeds), whatever the interleaving.
    const attempts = new Map<string, number>();
    const server = await startLoopbackServer({
      reply,
      // Task 0's question always fails (to exercise the failure path).
      fault: (request) => {
        if (questionOf(lastUserText(request.messages)) === problems[0]!.question)
          return { fault: 'server-error' };
        const key = JSON.stringify([request.messages, request.seed, request.temperature]);
        const seen = attempts.get(key);
        attempts.set(key, (seen ?? 0) + 1);
        if (seen !== undefined) return undefined;
        const distinct = attempts.size - 1;
        return distinct % 3 === 0 ? faults[(distinct / 3) % faults.length] : undefined;
      },
    });
    const outDir = join(tmp, 'faults');
    const summary = await run({ server, outDir, n: 2, limit: 6, retries: 3 });
    await server.close();
    expect(summary.run.done + summary.run.failed).toBe(6);
    expect(summary.run.failures).toEqual([
      { taskId: expect.any(String), reason: expect.stringMatching(/server-error/) },
    ]);
    expect(Object.keys(server.faults).sort()).toEqual([
      'empty',
      'hang',
      'rate-limit',
      'server-error',
      'truncate',
    ]);

    const healthy = await startLoopbackServer({ reply });
    const rerun = await run({ server: healthy, outDir, n: 2, limit: 6 });
    await healthy.close();
    expect(rerun.run).toMatchObject({ done: 1, resumed: 5, failed: 0 });
    expect(readLines(join(outDir, 'candidates.jsonl'))).toHaveLength(12);
  });
});
