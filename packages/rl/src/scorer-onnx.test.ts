import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOnnxScorer } from '@autotraj/reward-model';
import { writeRandomRewardModel } from '@autotraj/reward-model/testing';
import { describe, expect, it } from 'vitest';
import { createRewardServer } from './server/reward-server.js';
import { Agent, postRaw } from './server/test-client.js';
import { trajectoryFromPolicyText } from './text-trajectory.js';

describe('reward server with the real ONNX scorer', () => {
  it('micro-batched answers equal scoring each trajectory alone', async () => {
    const path = await writeRandomRewardModel(
      join(mkdtempSync(join(tmpdir(), 'rl-onnx-')), 'model.onnx'),
    );
    const scorer = await createOnnxScorer({ path });
    const server = createRewardServer({ scorer });
    const { url } = await server.listen();
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    try {
      const texts = Array.from(
        { length: 40 },
        (_, i) =>
          `<think>try ${i} ${'word '.repeat(i)}</think><code>print(${i}*2)</code><result>${i * 2}</result><answer>\\boxed{${i * 2}}</answer>`,
      );
      const answers = await Promise.all(
        texts.map((t) =>
          postRaw(agent, `${url}/score`, JSON.stringify({ trajectory: t, question: 'Double it.' })),
        ),
      );
      for (const [i, text] of texts.entries()) {
        const alone = await scorer.score([
          {
            question: 'Double it.',
            trajectory: trajectoryFromPolicyText(text, { question: 'Double it.' }),
          },
        ]);
        expect(JSON.parse(answers[i]!.text).score).toBeCloseTo(alone[0]!, 5);
      }
      // Different trajectories get different scores (the model is random, not constant).
      expect(new Set(answers.map((a) => JSON.parse(a.text).score)).size).toBeGreaterThan(10);
      expect(server.metrics().batches).toBeLessThan(40);
    } finally {
      agent.destroy();
      await server.close();
      await scorer.close();
    }
  });
});
