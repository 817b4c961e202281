import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTrajectoryScorer } from '@autotraj/reward-model';
import { writeRandomRewardModel } from '@autotraj/reward-model/testing';
import { type TrajectoryScorer, taskSchema } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTrlPromptRow, writeTrlJsonl } from '../bridges/trl.js';
import { paperRewardOptions } from '../reward/paper-reward.js';
import { createRewardServer, type RewardServer } from '../server/reward-server.js';
import { python, runCheck } from './run-python.js';

const tasks = [
  { id: 'g1', question: 'What is 6*7?', goldAnswers: ['42'], dataSource: 'gsm8k' },
  { id: 'g2', question: 'What is 12+30?', goldAnswers: ['42'], dataSource: 'gsm8k' },
].map((t) => taskSchema.parse(t));

describe.skipIf(python === undefined)('TRL GRPOTrainer with AutoTraj rewards', () => {
  let dir: string;
  let scorer: TrajectoryScorer;
  let server: RewardServer;
  let url: string;
  const seen: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rl-grpo-'));
    scorer = await openTrajectoryScorer({
      path: await writeRandomRewardModel(join(dir, 'rm', 'model.onnx')),
    });
    // Count what the server scored, to tie the trainer's numbers to this server.
    const counting: TrajectoryScorer = {
      async score(items) {
        seen.push(items.length);
        return scorer.score(items);
      },
      close: () => scorer.close(),
    };
    server = createRewardServer({ scorer: counting, reward: paperRewardOptions() });
    ({ url } = await server.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await server?.close();
    await scorer?.close();
  });

  it('runs 2 optimizer steps; the logged rewards are the ones our server returned', async () => {
    const prompts = join(dir, 'prompts.trl.jsonl');
    writeTrlJsonl(
      prompts,
      tasks.map((t) =>
        toTrlPromptRow(t, { instructions: 'Think in <think>, answer in \\boxed{}.' }),
      ),
    );
    const out = (await runCheck('grpo_check.py', [prompts, dir], {
      AUTOTRAJ_REWARD_URL: url,
    })) as {
      globalStep: number;
      returned: Record<string, number[][]>;
      logged: Array<Record<string, number>>;
      changed: string[];
      parameters: number;
    };
    expect(out.globalStep).toBe(2);
    const paper = out.returned.autotraj_reward!;
    const rm = out.returned.autotraj_rm_score!;
    // One generation batch per step: 4 completions (one prompt x num_generations 4).
    expect(paper.map((b) => b.length)).toEqual([4, 4]);
    expect(rm.map((b) => b.length)).toEqual([4, 4]);
    // A random policy breaks the paper's tag rules: every paper reward is the -1 penalty.
    for (const batch of paper) for (const r of batch) expect([-1, 0]).toContain(r);
    // The RM scored every completion (the server saw all 16 texts) and its scores vary.
    expect(seen.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(8);
    expect(new Set(rm.flat()).size).toBeGreaterThan(1);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(out.logged).toHaveLength(2);
    out.logged.forEach((entry, step) => {
      expect(entry['rewards/autotraj_reward/mean']).toBeCloseTo(mean(paper[step]!), 5);
      expect(entry['rewards/autotraj_rm_score/mean']).toBeCloseTo(mean(rm[step]!), 5);
      expect(entry.reward).toBeCloseTo(mean(paper[step]!) + mean(rm[step]!), 5);
    });
    // The advantages were non-zero, so the optimizer moved the weights.
    expect(out.changed.length).toBeGreaterThan(out.parameters / 2);
  }, 600_000);
});
