import { createEvaluator } from '@autotraj/evaluator';
import { builtinPrompts } from '@autotraj/generation';
import { createLlamaCppModel } from '@autotraj/llama-cpp';
import { createRepairer } from '@autotraj/repairer';
import { createPythonPool, createPythonRuntime } from '@autotraj/tools';
import {
  checkAdmission,
  findPromptMetaText,
  type Task,
  trajectoryFromText,
  trajectoryToText,
} from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { realModelPath } from '../test-support/real-model.js';

const modelPath = realModelPath('qwen2.5-coder-1.5b', 'the real repairer test');

// GSM8K test #3: Qwen2.5-Coder-1.5B's own greedy answer (180, from 60 * 3) is wrong; the gold is
// 540. A repair prompt that leaks ("To fix the flawed trajectory...", "Evaluator diagnostics:")
// is what the issue measured; this is the real model reading today's repair prompt.
const task: Task = {
  id: 'gsm8k-test-3',
  question:
    'James decides to run 3 sprints 3 times a week.  He runs 60 meters each sprint.  How many total meters does he run a week?',
  goldAnswers: ['540'],
  dataSource: 'gsm8k',
  metadata: {},
};
const { trajectory: wrong } = trajectoryFromText(
  '<think>James runs 60 meters each sprint and he does this 3 times a week. Therefore, the total distance he runs in one week is 60 meters * 3 sprints. I will compute it with Python.</think>\n<code>\ntotal_distance = 60 * 3\nprint(total_distance)\n</code>\n<result>180</result>\n<think>James runs 180 meters in a week.</think>\n<answer>\\boxed{180}</answer>',
  { taskId: task.id, question: task.question, format: 'tags', metadata: { protocol: 'text-tags' } },
);

describe.skipIf(modelPath === undefined)(
  'the repair prompt on the real model (Qwen2.5-Coder-1.5B)',
  () => {
    const pool = createPythonPool({ size: 1 });
    const model =
      modelPath === undefined ? undefined : createLlamaCppModel({ modelPath, workers: 1 });
    afterAll(async () => {
      await model?.close();
      await pool.close();
    });

    // The default (the question alone) and ours (shown the attempt: where meta-text leaked).
    it.each(['repair-question', 'repair-trajectory'])(
      '%s writes a new trajectory, not a text about repairing one',
      async (name) => {
        const repairer = createRepairer({
          prompt: builtinPrompts[name]!,
          model: model!,
          tools: [createPythonRuntime({ pool })],
          evaluator: createEvaluator({ preset: 'paper' }),
          sampling: { temperature: 0, maxOutputTokens: 320 },
          retry: { timeoutMs: 900_000, retryEmpty: false },
        });
        const result = await repairer.repair({ task, trajectory: wrong });
        const repaired = result.repaired;
        expect(repaired, result.reason).not.toBeNull();
        const text = trajectoryToText(repaired!, 'tags');
        expect(findPromptMetaText(text, { question: task.question }), text).toEqual([]);
        expect(text.startsWith('<think>'), text).toBe(true);
        // The tools ran for real during the repair.
        expect(
          repaired!.steps.some((s) => s.type === 'tool-result' && !s.isError),
          text,
        ).toBe(true);
        expect(
          checkAdmission({ trajectory: repaired!, question: task.question }).reasons,
          text,
        ).toEqual([]);
      },
      900_000,
    );
  },
);
