import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluator } from '@autotraj/evaluator';
import { createVllmProvider, readTasksJsonl } from '@autotraj/generation';
import { gsm8kPolicyReply, startLoopbackServer } from '@autotraj/generation/testing';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import { OutputWriteError, type Task } from '@autotraj/trajectory';
import { mountTinyDisk } from '@autotraj/trajectory/internal';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepairer } from '../repair/repairer.js';
import { GSM8K_TRAIN, gsm8kTrainProblems } from '../test-support/gsm8k-train.js';
import { synthesize } from './synthesize.js';

const problems = gsm8kTrainProblems(8);

// A real ENOSPC: the output directory is a 32 KB tmpfs (skipped where this may not mount one).
const disk = mountTinyDisk(32 * 1024);

describe.skipIf(disk === undefined)('synthesize on a disk that fills up', () => {
  const pool = createPythonPool({ size: 2 });
  const tmp = mkdtempSync(join(tmpdir(), 'autotraj-synth-full-'));
  afterAll(async () => {
    await pool.close();
    disk?.unmount();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function run(outDir: string, baseURL: string) {
    const tasks: Task[] = [];
    for await (const task of readTasksJsonl(GSM8K_TRAIN, { limit: problems.length }))
      tasks.push(task);
    const model = createVllmProvider({ baseURL }).languageModel('scripted-policy');
    const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
    const evaluator = createEvaluator({ preset: 'paper' });
    const retry = { retries: 1, baseDelayMs: 1, timeoutMs: 5_000 };
    return synthesize({
      tasks,
      policy: { model, tools, retry },
      repairer: createRepairer({ model, tools, evaluator, retry }),
      evaluator,
      n: 2,
      concurrency: 2,
      outDir,
    });
  }

  /** Every JSONL file of a directory: its lines parsed (a partial line fails the parse). */
  const records = (dir: string) =>
    Object.fromEntries(
      readdirSync(dir)
        .filter((name) => name.endsWith('.jsonl'))
        .map((name) => [
          name,
          readFileSync(join(dir, name), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as { id?: string; taskId?: string }),
        ]),
    );
  const ids = (files: ReturnType<typeof records>) =>
    Object.fromEntries(
      Object.entries(files).map(([name, lines]) => [
        name,
        lines.map((l) => l.id ?? l.taskId ?? JSON.stringify(l)).sort(),
      ]),
    );

  it('stops with disk_full, keeps whole lines, and a rerun with room ends as one uninterrupted run', async () => {
    const server = await startLoopbackServer({ reply: gsm8kPolicyReply({ problems }) });
    try {
      const reference = join(tmp, 'reference');
      await run(reference, server.baseURL);

      const outDir = join(disk?.dir ?? '', 'run');
      const error = await run(outDir, server.baseURL).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(OutputWriteError.isInstance(error), String(error)).toBe(true);
      expect(error).toMatchObject({ code: 'disk_full', errno: 'ENOSPC' });
      expect((error as OutputWriteError).file.startsWith(outDir)).toBe(true);
      const cut = ids(records(outDir));
      // It filled up mid-run: some tasks were written, not all.
      expect(cut['journal.jsonl']?.length ?? 0).toBeGreaterThan(0);
      expect(cut['journal.jsonl']?.length ?? 0).toBeLessThan(problems.length);

      disk?.grow(4 * 1024 * 1024);
      const summary = await run(outDir, server.baseURL);
      expect(summary.run.failures).toEqual([]);
      expect(summary.run.done + summary.run.resumed).toBe(problems.length);
      // Each record once, the same records as the run that had room all along.
      const resumed = ids(records(outDir));
      expect(resumed).toEqual(ids(records(reference)));
      for (const list of Object.values(resumed)) expect(new Set(list).size).toBe(list.length);
    } finally {
      await server.close();
    }
  }, 120_000);
});
