import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTrajectoryScorer } from '@autotraj/reward-model';
import { writeRandomRewardModel } from '@autotraj/reward-model/testing';
import {
  createCalculatorRuntime,
  createPythonPool,
  createPythonRuntime,
  type PythonPool,
} from '@autotraj/tools';
import { type TrajectoryScorer, taskSchema } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTrlPromptRow, writeTrlJsonl } from '../bridges/trl.js';
import { paperRewardOptions } from '../reward/paper-reward.js';
import { createRewardServer, type RewardServer } from '../server/reward-server.js';
import { python, runCheck } from './run-python.js';

interface Captured {
  text: string;
  masked: string;
  endsTurn: boolean;
  length: number;
  maskLength: number;
}

describe.skipIf(python === undefined)(
  "TRL GRPOTrainer with trl_rollout.py: the policy's tool calls run in the sandbox",
  () => {
    let dir: string;
    let scorer: TrajectoryScorer;
    let server: RewardServer;
    let pool: PythonPool;
    let url: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rl-tool-rollout-'));
      scorer = await openTrajectoryScorer({
        path: await writeRandomRewardModel(join(dir, 'rm', 'model.onnx')),
      });
      pool = createPythonPool({ size: 1 });
      server = createRewardServer({
        scorer,
        reward: paperRewardOptions(),
        tools: [createPythonRuntime({ pool }), createCalculatorRuntime()],
      });
      ({ url } = await server.listen({ port: 0, host: '127.0.0.1' }));
    });
    afterAll(async () => {
      await server?.close();
      await pool?.close();
      await scorer?.close();
    });

    const run = async (maxLength: number) => {
      const prompts = join(dir, `prompts-${maxLength}.trl.jsonl`);
      const task = taskSchema.parse({
        id: 'g1',
        question: 'What is 6*7?',
        goldAnswers: ['42'],
        dataSource: 'gsm8k',
      });
      writeTrlJsonl(prompts, [toTrlPromptRow(task, { instructions: 'Use <code> and <answer>.' })]);
      return (await runCheck('tool_rollout_check.py', [prompts, join(dir, `w${maxLength}`)], {
        AUTOTRAJ_REWARD_URL: url,
        CHECK_MAX_LENGTH: String(maxLength),
      })) as {
        globalStep: number;
        completions: Captured[];
        rewards: number[];
        stats: Record<string, number>;
        changed: number;
        stopTokens: string[][];
      };
    };

    it('runs each <code> call, appends its real <result> (masked out of the loss), cuts text after a stop', async () => {
      const before = server.metrics().toolCalls;
      const out = await run(160);
      expect(out.globalStep).toBe(1);
      // The stop strings of the first completion end inside a token, as with SmolLM2's vocabulary.
      expect(out.stopTokens[0]).toContain('>)');
      expect(out.stopTokens[1]).toContain('>.');
      const [one, two, failing, none] = out.completions;
      // Text after a stop string never reaches the completion; results come from the sandbox.
      expect(one!.text).toBe(
        '<think>six times seven</think>\n<code>\nx = 6 * 7\nprint(x)\n</code>\n<result>42</result>\n<think>It is 42.</think>\n<answer>\\boxed{42}</answer>',
      );
      expect(one!.masked).toBe('\n<result>42</result>\n');
      expect(one!.endsTurn).toBe(true);
      // Calls of one completion share the interpreter session.
      expect(two!.text).toBe(
        '<think>t</think>\n<code>\ny = 40\nprint(y)\n</code>\n<result>40</result>\n<code>\nprint(y + 2)\n</code>\n<result>42</result>\n<answer>\\boxed{42}</answer>',
      );
      expect(two!.masked).toBe('\n<result>40</result>\n\n<result>42</result>\n');
      // Another completion's names are not there: the error the model reads is the sandbox's.
      expect(failing!.text).toMatch(
        /^<code>\nprint\(z\)\n<\/code>\n<result>.*NameError: name 'z' is not defined.*<\/result>\n<answer>\\boxed\{0\}<\/answer>$/s,
      );
      expect(none!.text).toBe('<think>no tool</think>\n<answer>\\boxed{42}</answer>');
      expect(none!.masked).toBe('');
      for (const c of out.completions) expect(c.maskLength).toBe(c.length);
      expect(out.stats).toMatchObject({
        completions: 4,
        toolCalls: 4,
        toolErrors: 1,
        budgetCut: 0,
      });
      expect(server.metrics().toolCalls - before).toBe(4);
      // The paper reward scored the text with the real results: right answers 1 + RM, the wrong one not.
      expect(out.rewards).toHaveLength(4);
      expect(out.rewards[0]).toBeGreaterThanOrEqual(1);
      expect(out.rewards[2]).toBeLessThan(1);
      expect(out.changed).toBeGreaterThan(0);
    }, 600_000);

    it('keeps every completion within max_completion_length, tool output included', async () => {
      const out = await run(24);
      for (const c of out.completions) {
        expect(c.length).toBeLessThanOrEqual(24);
        expect(c.maskLength).toBe(c.length);
      }
      expect(out.completions.some((c) => c.length === 24)).toBe(true);
    }, 600_000);
  },
);
