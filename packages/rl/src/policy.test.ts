import { generateTrajectory } from '@autotraj/generation';
import {
  arithmeticRuntime,
  startLoopbackServer,
  tagScriptReply,
} from '@autotraj/generation/testing';
import { describe, expect, it } from 'vitest';
import { createPolicyModel } from './policy.js';

describe('createPolicyModel', () => {
  it('continues the assistant message on a vLLM-like server (the flags are sent)', async () => {
    const script =
      '<think>36 minus 5.</think>\n<calculator>3*12-5</calculator>\n<think>31.</think>\n<answer>\\boxed{31}</answer>';
    const server = await startLoopbackServer({ reply: tagScriptReply(() => script) });
    try {
      const trajectory = await generateTrajectory({
        model: createPolicyModel({ model: 'qwen', baseURL: server.baseURL }),
        task: { id: 'eggs', question: '3 boxes of 12 eggs, 5 break: how many are left?' },
        tools: [arithmeticRuntime()],
      });
      expect(trajectory.steps.map((s) => s.type)).toEqual([
        'think',
        'tool-call',
        'tool-result',
        'think',
        'answer',
      ]);
      expect(server.requests[1]!.body).toMatchObject({
        continue_final_message: true,
        add_generation_prompt: false,
      });
    } finally {
      await server.close();
    }
  });
});
