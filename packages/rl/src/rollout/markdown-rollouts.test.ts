import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVllmProvider } from '@autotraj/generation';
import {
  arithmeticRuntime,
  assistantPrefix,
  type LoopbackServer,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import { type Task, taskSchema } from '@autotraj/trajectory';
import { modelWrittenText } from '@autotraj/trajectory/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { createReward } from '../reward/create-reward.js';
import { mathOutcome } from '../reward/outcomes.js';
import { readRollouts } from './read-rollouts.js';
import { runRollouts } from './run-rollouts.js';

const task: Task = taskSchema.parse({
  id: 'mul',
  question: 'What is 6*7?',
  goldAnswers: ['42'],
  dataSource: 'gsm8k',
});

let loopback: LoopbackServer | undefined;
afterEach(async () => {
  await loopback?.close();
  loopback = undefined;
});

describe('runRollouts with the markdown protocol', () => {
  it('runs each ```python block, and records the rollout as markdown with its output block masked', async () => {
    // Like Qwen2.5: a python block, then an invented (wrong) output the stop sequence cuts.
    loopback = await startLoopbackServer({
      reply: (request) => {
        const printed = /```output\n([\s\S]*?)\n```/.exec(assistantPrefix(request.messages));
        return {
          text:
            printed === null
              ? 'Multiply.\n```python\nprint(6*7)\n```\n```output\n41\n```\n\\boxed{41}'
              : `It printed ${printed[1]}, so \\boxed{${printed[1]}}.`,
        };
      },
    });
    const outDir = mkdtempSync(join(tmpdir(), 'rl-markdown-'));
    try {
      const summary = await runRollouts({
        prompts: [task],
        groupSize: 2,
        model: createVllmProvider({ baseURL: loopback.baseURL }).languageModel('qwen'),
        tools: [arithmeticRuntime('python')],
        generation: { protocol: 'markdown', sampling: { temperature: 1, seed: 0 } },
        reward: createReward({
          format: null,
          outcome: mathOutcome({ verify: ({ gold, pred }) => ({ equivalent: gold === pred }) }),
        }),
        outDir,
      });
      expect(summary).toMatchObject({ groups: 1, rollouts: 2, failedGroups: 0 });
      const { records } = await readRollouts(summary.path);
      expect(records).toHaveLength(2);
      for (const record of records) {
        expect(record.trajectory.provenance.format).toBe('markdown-tir');
        expect(record.trajectory.finalAnswer).toBe('42');
        expect(record.reward.components.outcome).toBe(1);
        expect(record.rendered.format).toBe('markdown-tir');
        expect(record.rendered.text).toBe(
          'Multiply.\n```python\nprint(6*7)\n```\n```output\n42\n```\nIt printed 42, so \\boxed{42}.',
        );
        const tool = record.rendered.spans
          .filter((s) => s.source === 'tool')
          .map((s) => record.rendered.text.slice(s.start, s.end));
        expect(tool).toEqual(['\n```output\n42\n```']);
        expect(modelWrittenText(record.rendered)).not.toContain('```output');
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
