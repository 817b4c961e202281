import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVllmProvider } from '@autotraj/generation';
import { startLoopbackServer } from '@autotraj/generation/testing';
import { OutputWriteError } from '@autotraj/trajectory';
import { mountTinyDisk } from '@autotraj/trajectory/internal';
import { afterAll, describe, expect, it } from 'vitest';
import { runEval } from './run-eval.js';
import { tinyQaQuestions, tinyQaSettings } from './tiny-qa.test-support.js';

const questions = tinyQaQuestions;
const settings = tinyQaSettings;

// A real ENOSPC: the output directory is a 32 KB tmpfs (skipped where this may not mount one).
const disk = mountTinyDisk(32 * 1024);

describe.skipIf(disk === undefined)('runEval on a disk that fills up', () => {
  afterAll(() => disk?.unmount());

  it('stops with disk_full; a rerun with room has every sample once, as a run with room all along', async () => {
    const server = await startLoopbackServer({
      reply: (request) => ({
        text: `<think>seed ${request.seed}</think>\n<answer>\\boxed{${request.seed}}</answer>`,
      }),
    });
    const reference = await mkdtemp(join(tmpdir(), 'eval-full-reference-'));
    try {
      const options = (outDir: string) => ({
        questions,
        sources: { 'tiny-qa': 'tiny-qa.jsonl' },
        model: createVllmProvider({ baseURL: server.baseURL }).languageModel('policy'),
        modelName: 'vllm:policy',
        modelMode: 'live',
        tools: { math: [], qa: [] },
        settings,
        outDir,
      });
      const samples = (outDir: string) =>
        readFileSync(join(outDir, 'records.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const r = JSON.parse(line);
            return `${r.questionId}#${r.sample}=${r.verdict.extractedAnswer}`;
          });
      await runEval(options(reference));

      const outDir = join(disk?.dir ?? '', 'eval');
      const error = await runEval(options(outDir)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(OutputWriteError.isInstance(error), String(error)).toBe(true);
      expect(error).toMatchObject({ code: 'disk_full', errno: 'ENOSPC' });
      // Whole lines only (each parses), fewer than all the samples.
      const cut = samples(outDir);
      expect(cut.length).toBeGreaterThan(0);
      expect(cut.length).toBeLessThan(60);

      disk?.grow(4 * 1024 * 1024);
      const summary = await runEval(options(outDir));
      expect(summary.run.failures).toEqual([]);
      expect(summary.run.done + summary.run.resumed).toBe(60);
      expect(samples(outDir)).toEqual(samples(reference));
    } finally {
      await server.close();
      rmSync(reference, { recursive: true, force: true });
    }
  });
});
