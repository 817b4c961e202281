import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markContinuation } from '@autotraj/generation';
import { arithmeticRuntime } from '@autotraj/generation/testing';
import { createRepairer, synthesize } from '@autotraj/repairer';
import { paperRuleEvaluator } from '@autotraj/repairer/testing';
import { wrapLanguageModel } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';
import { childPids } from './test-support/processes.js';

const smollm2 = realModelPath('smollm2');
const tasks = [
  { id: 'eggs', question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many are left?' },
  { id: 'pens', question: 'A pen costs 4 dollars. How much do 7 pens cost?' },
  { id: 'laps', question: 'Ann runs 6 laps a day for 5 days. How many laps is that?' },
].map((task) => ({ ...task, goldAnswers: [], dataSource: 'test', metadata: {} }));

describe.skipIf(smollm2 === undefined)(
  'synthesis while a model worker is killed (real SmolLM2)',
  () => {
    const local = createLlamaCppModel({ modelPath: smollm2 ?? '', workers: 2, contextSize: 2048 });
    const outDir = mkdtempSync(join(tmpdir(), 'autotraj-llama-kill-'));
    afterAll(async () => {
      await local.close();
      rmSync(outDir, { recursive: true, force: true });
    });

    it('completes every task once; the killed call ran again on a fresh worker', async () => {
      await local.ready();
      let calls = 0;
      const deaths: number[] = [];
      const model = markContinuation(
        wrapLanguageModel({
          model: local,
          middleware: {
            specificationVersion: 'v4',
            wrapGenerate: async ({ doGenerate }) => {
              // The third model call of the run: a worker is killed while it generates.
              if (++calls === 3) {
                const victims = childPids(process.pid, 'worker');
                setTimeout(() => {
                  for (const pid of victims) process.kill(pid, 'SIGKILL');
                }, 150);
              }
              const result = await doGenerate();
              deaths.push(Number(result.providerMetadata?.llamaCpp?.workerDeaths ?? 0));
              return result;
            },
          },
        }),
        'native',
      );
      const tools = [arithmeticRuntime()];
      const evaluator = paperRuleEvaluator();
      const sampling = { temperature: 0, maxOutputTokens: 40 };
      const summary = await synthesize({
        tasks,
        policy: { model, tools, sampling, modelName: 'local:smollm2' },
        repairer: createRepairer({ model, tools, evaluator, strategy: 'regenerate', sampling }),
        evaluator,
        n: 1,
        concurrency: 2,
        outDir,
      });
      expect(summary.run.failures).toEqual([]);
      expect(summary.run.done).toBe(tasks.length);
      // Both workers were killed under running calls; each such call came back on a fresh one.
      expect(deaths.filter((d) => d > 0).length).toBeGreaterThanOrEqual(1);
      const candidates = readFileSync(join(outDir, 'candidates.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { taskId: string }).taskId)
        .sort();
      expect(candidates).toEqual(tasks.map((t) => t.id).sort());
    });
  },
);
