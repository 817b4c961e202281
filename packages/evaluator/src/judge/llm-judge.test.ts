import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tagCodec, taskSchema, trajectoryFromSteps } from '@autotraj/trajectory';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../evaluate/create-evaluator.js';
import { createJudgeCache } from './cache.js';
import { createLlmJudge } from './llm-judge.js';

const task = taskSchema.parse({ id: 't', question: 'What is 6 * 7?', goldAnswers: ['42'] });
const trajectory = trajectoryFromSteps(
  tagCodec.parse(
    '<think>6*7</think>\n<code>print(6*7)</code>\n<result>42</result>\n<answer>\\boxed{42}</answer>',
  ),
  { taskId: 't', id: 'traj' },
);

function mockModel(verdict: object) {
  return new MockLanguageModelV4({
    doGenerate: async () => ({
      content: [{ type: 'text', text: JSON.stringify(verdict) }],
      finishReason: { unified: 'stop', raw: undefined },
      usage: {
        inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 20, text: 20, reasoning: undefined },
      },
      warnings: [],
    }),
  });
}

const verdict = {
  reasoningQuality: 5,
  toolUse: 3,
  clarity: 4,
  issues: [{ stepIndex: 1, message: 'the code could print more context' }],
};

describe('LLM judge', () => {
  it('answers the rubric as structured output, maps it to [0, 1] and caches by request', async () => {
    const model = mockModel(verdict);
    const judge = createLlmJudge({ model });
    const first = await judge.judge({ task, trajectory });
    expect(first.score).toBeCloseTo((4 - 1) / 4, 10);
    expect(first.diagnostics).toEqual([
      { stepIndex: 1, code: 'judge/issue', message: 'the code could print more context' },
    ]);
    expect(first.cached).toBe(false);
    const second = await judge.judge({ task, trajectory });
    expect(second.cached).toBe(true);
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(JSON.stringify(model.doGenerateCalls[0]!.responseFormat)).toContain('reasoningQuality');
  });

  it('persists verdicts in a JSONL cache file that a new judge reuses', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'judge-')), 'cache.jsonl');
    await createLlmJudge({ model: mockModel(verdict), cache: createJudgeCache({ file }) }).judge({
      task,
      trajectory,
    });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    const model = mockModel(verdict);
    const again = await createLlmJudge({ model, cache: createJudgeCache({ file }) }).judge({
      task,
      trajectory,
    });
    expect(again.cached).toBe(true);
    expect(model.doGenerateCalls).toHaveLength(0);
  });

  it('adds a weighted judge dimension to the evaluator', async () => {
    const evaluator = createEvaluator({
      judge: createLlmJudge({ model: mockModel(verdict) }),
      judgeWeight: 0.5,
    });
    const report = await evaluator.evaluate({ task, trajectory });
    expect(report.dimensions.judge!.score).toBeCloseTo(0.75, 10);
    // Rule quality is 1 here (confident, shortest, no repetition): (1 - 0.5) * 1 + 0.5 * 0.75.
    expect(report.quality).toBeCloseTo(0.875, 10);
  });
});
