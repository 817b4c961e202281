import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSealedTrajectory } from '@autotraj/trajectory/internal';
import { describe, expect, it } from 'vitest';
import {
  createPresetReward,
  type Reward,
  RlConfigError,
  runRollouts,
  trajectoryFromPolicyText,
} from '../index.js';
import { isSealedRewardBatch, sealRewardBatch } from './sealed-batch.js';
import type { RewardItem } from './types.js';

const text =
  '<think>6*7</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>';
const item = (): RewardItem => ({
  trajectory: trajectoryFromPolicyText(text),
  question: 'What is 6 * 7?',
  goldAnswers: Object.freeze(['42']),
  dataSource: 'gsm8k',
});

describe('sealed reward batches (what the rollout loop passes a reward)', () => {
  it('are sealed only when every trajectory is, and then cannot change', () => {
    const batch = sealRewardBatch([item(), item()]);
    expect(isSealedRewardBatch(batch)).toBe(true);
    expect(() => (batch as RewardItem[]).push(item())).toThrow(TypeError);
    expect(() => {
      (batch[0] as { question: unknown }).question = 7;
    }).toThrow(TypeError);
    expect(() => (batch[0]!.goldAnswers as string[]).push('x')).toThrow(TypeError);
    expect(isSealedTrajectory(batch[0]!.trajectory)).toBe(true);
    // A plain trajectory (a caller's generate may return one): left for the reward to check.
    const plain = [{ ...item(), trajectory: structuredClone(item().trajectory) }];
    expect(sealRewardBatch(plain)).toBe(plain);
    expect(isSealedRewardBatch(plain)).toBe(false);
    expect(Object.isFrozen(plain[0])).toBe(false);
  });

  it('score as the same items unsealed do; a copy is checked again', async () => {
    const reward = createPresetReward('paper');
    const batch = sealRewardBatch([item()]);
    expect(await reward.score(batch)).toEqual(await reward.score([item()]));
    const copy = batch.map((i) => ({ ...i, question: 7 }));
    const error = await reward.score(copy as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(RlConfigError.isInstance(error)).toBe(true);
    expect((error as RlConfigError).option).toBe('items[0].question');
  });
});

it('the rollout loop passes a checked reward sealed batches of the trajectories it generated', async () => {
  const checked = createPresetReward('paper');
  const seen: boolean[] = [];
  const reward: Reward = {
    score: (items) => {
      seen.push(isSealedRewardBatch(items));
      return checked.score(items);
    },
  };
  const task = {
    id: 'q1',
    question: 'What is 6 * 7?',
    goldAnswers: ['42'],
    dataSource: 'gsm8k',
    metadata: {},
  };
  const outDir = mkdtempSync(join(tmpdir(), 'sealed-batch-'));
  try {
    const summary = await runRollouts({
      prompts: [task],
      groupSize: 2,
      reward,
      outDir,
      generate: async (t) => trajectoryFromPolicyText(text, { question: t.question, taskId: t.id }),
    });
    expect(summary.rollouts).toBe(2);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(Boolean)).toBe(true);
    // The caller's task is not frozen: the batch holds a frozen copy of its answers.
    expect(Object.isFrozen(task.goldAnswers)).toBe(false);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
