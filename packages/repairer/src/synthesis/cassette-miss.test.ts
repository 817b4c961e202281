import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluator } from '@autotraj/evaluator';
import { CassetteMissError, createReplayModel, createVllmProvider } from '@autotraj/generation';
import { gsm8kPolicyReply, startLoopbackServer } from '@autotraj/generation/testing';
import { createCalculatorRuntime } from '@autotraj/tools';
import { gsm8kTask } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepairer } from '../repair/repairer.js';
import { gsm8kTrainProblems } from '../test-support/gsm8k-train.js';
import { synthesize } from './synthesize.js';

const problems = gsm8kTrainProblems(6);
const tasks = problems.map((p, index) => gsm8kTask({ ...p }, { index }));

let tmp: string;
let emptyCassette: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'autotraj-miss-'));
  emptyCassette = join(tmp, 'empty.jsonl');
  writeFileSync(emptyCassette, '');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a cassette miss', () => {
  it('stops synthesize with CassetteMissError naming the cassette when the policy replays', async () => {
    const model = createReplayModel({ cassette: emptyCassette });
    const tools = [createCalculatorRuntime()];
    const evaluator = createEvaluator({ preset: 'paper' });
    const error = await synthesize({
      tasks,
      policy: { model, tools },
      repairer: createRepairer({ model, tools, evaluator }),
      evaluator,
      n: 2,
      outDir: join(tmp, 'policy'),
    }).catch((e: unknown) => e);
    expect(CassetteMissError.isInstance(error)).toBe(true);
    expect((error as CassetteMissError).cassette).toBe(emptyCassette);
    // No manifest: the run did not finish, so nothing claims it did.
    expect(existsSync(join(tmp, 'policy', 'manifest.json'))).toBe(false);
  });

  it('is not swallowed as a failed repair attempt when the repairer replays', async () => {
    const server = await startLoopbackServer({ reply: gsm8kPolicyReply({ problems }) });
    try {
      const policy = createVllmProvider({ baseURL: server.baseURL }).languageModel('policy');
      const tools = [createCalculatorRuntime()];
      const evaluator = createEvaluator({ preset: 'paper' });
      const repairer = createRepairer({
        model: createReplayModel({ cassette: emptyCassette }),
        tools,
        evaluator,
      });
      const error = await synthesize({
        tasks,
        policy: { model: policy, tools, retry: { retries: 0 } },
        repairer,
        evaluator,
        n: 4,
        outDir: join(tmp, 'repair'),
      }).catch((e: unknown) => e);
      expect(CassetteMissError.isInstance(error)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
