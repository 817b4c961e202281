import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVllmProvider } from '@autotraj/generation';
import { startLoopbackServer } from '@autotraj/generation/testing';
import { SAMPLE_SEED_DERIVATION, sampleSeed } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { runEval } from './run-eval.js';
import { tinyQaQuestions, tinyQaSettings } from './tiny-qa.test-support.js';

const questions = tinyQaQuestions;
const settings = tinyQaSettings;

describe('runEval sample seeds', () => {
  it('draws sample i of each question with the seed derived from --seed, the question and i', async () => {
    const server = await startLoopbackServer({
      reply: (request) => ({
        text: `<think>seed ${request.seed}</think>\n<answer>\\boxed{${request.seed}}</answer>`,
      }),
    });
    try {
      const outDir = await mkdtemp(join(tmpdir(), 'eval-seeds-'));
      const options = {
        questions,
        sources: { 'tiny-qa': 'tiny-qa.jsonl' },
        model: createVllmProvider({ baseURL: server.baseURL }).languageModel('policy'),
        modelName: 'vllm:policy',
        modelMode: 'live',
        tools: { math: [], qa: [] },
        settings,
        outDir,
      };
      const summary = await runEval(options);
      expect(summary.run.done).toBe(60);

      const records = readFileSync(join(outDir, 'records.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const sent = new Set(server.requests.map((r) => r.seed));
      for (const r of records) {
        const seed = sampleSeed({ runSeed: 11, taskId: r.questionId, index: r.sample });
        expect(r.trajectory.provenance.sampling).toEqual({ temperature: 0.7, seed });
        expect(r.verdict.extractedAnswer).toBe(String(seed));
        expect(sent.has(seed)).toBe(true);
      }
      // Sample 1 of 30 questions: 30 different draws, not seed 11 + 1 thirty times.
      const ones = records.filter((r) => r.sample === 1).map((r) => r.verdict.extractedAnswer);
      expect(new Set(ones).size).toBe(30);
      expect(ones).not.toContain('12');

      // The manifest names the rule; a directory sampled under the older one is not resumed.
      const manifestPath = join(outDir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      expect(manifest.seedDerivation).toBe(SAMPLE_SEED_DERIVATION);
      const { seedDerivation: _, ...older } = manifest;
      writeFileSync(manifestPath, JSON.stringify(older));
      // A directory written before settings.json existed: its manifest is what it recorded.
      rmSync(join(outDir, 'settings.json'));
      const before = server.requests.length;
      await expect(runEval(options)).rejects.toThrow(
        /seedDerivation: recorded "seed\+i", now "sha256\(runSeed\|taskId\|index\)"/,
      );
      expect(server.requests.length).toBe(before);
    } finally {
      await server.close();
    }
  });
});
