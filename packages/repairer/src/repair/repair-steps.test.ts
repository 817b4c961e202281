import { createVllmProvider, generateTrajectory } from '@autotraj/generation';
import {
  arithmeticRuntime,
  isRepairRequest,
  type LoopbackChatRequest,
  type LoopbackReply,
  type LoopbackServer,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import { generateText, isStepCount, streamText, tool } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { paperRuleEvaluator } from '../testing/index.js';
import { repairSteps, runtimesFromAiTools } from './repair-steps.js';
import { createRepairer } from './repairer.js';

const task = {
  id: 'task_eggs',
  question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many eggs are left?',
  goldAnswers: ['31'],
  dataSource: 'test',
  metadata: {},
};

/** A native tool-calling model: calls the calculator once, then answers from the tool result. */
function nativeReply(expression: string, answer: (toolOutput: string) => string) {
  return (request: LoopbackChatRequest): LoopbackReply => {
    const toolMessage = request.messages.findLast((m) => m.role === 'tool');
    if (toolMessage === undefined)
      return { toolCalls: [{ name: 'calculator', arguments: { expression } }] };
    return { text: answer(String(toolMessage.content)) };
  };
}

let servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const start = async (options: Parameters<typeof startLoopbackServer>[0]) => {
  const server = await startLoopbackServer(options);
  servers.push(server);
  return server;
};
const chat = (s: LoopbackServer, id: string) =>
  createVllmProvider({ baseURL: s.baseURL }).languageModel(id);

describe('native tool calling', () => {
  it('runs provider tool calls through the runtime and records timings and usage', async () => {
    const server = await start({
      reply: nativeReply('3*12-5', (out) => `There are \\boxed{${out}} eggs left.`),
    });
    const calculator = arithmeticRuntime();
    const trajectory = await generateTrajectory({
      model: chat(server, 'agent'),
      task,
      tools: [calculator],
      protocol: 'native',
    });
    expect(trajectory.steps.map((s) => s.type)).toEqual(['tool-call', 'tool-result', 'answer']);
    expect(trajectory.steps[1]).toMatchObject({
      output: '31',
      isError: false,
      durationMs: expect.any(Number),
    });
    expect(trajectory.finalAnswer).toBe('31');
    expect(trajectory.provenance.format).toBe('ai-sdk');
    expect(server.requests[0]!.tools.map((t) => t.name)).toEqual(['calculator']);
  });

  it('a malformed tool-call JSON becomes a tool error in the trajectory, and the run still ends', async () => {
    const server = await start({
      reply: (request) => ({
        text: request.messages.some((m) => m.role === 'tool')
          ? 'I could not compute it; \\boxed{30}'
          : 'x',
      }),
      fault: (request) =>
        request.messages.some((m) => m.role === 'tool')
          ? undefined
          : { fault: 'malformed-tool-call', name: 'calculator' },
    });
    const trajectory = await generateTrajectory({
      model: chat(server, 'agent'),
      task,
      tools: [arithmeticRuntime()],
      protocol: 'native',
    });
    const result = trajectory.steps.find((s) => s.type === 'tool-result');
    expect(result).toMatchObject({ isError: true });
    expect(trajectory.finalAnswer).toBe('30');
  });
});

describe('repairSteps', () => {
  it('repairs a failed ai SDK agent run and returns repaired messages', async () => {
    // The agent's model writes a bad expression; its answer is wrong.
    const agentServer = await start({
      reply: nativeReply('3*12', (out) => `So \\boxed{${out}} eggs.`),
    });
    const calculatorTool = tool({
      description: 'Evaluate arithmetic',
      inputSchema: z.object({ expression: z.string() }),
      execute: async ({ expression }) => String(Function(`return (${expression})`)()),
    });
    const run = await generateText({
      model: chat(agentServer, 'agent'),
      prompt: task.question,
      tools: { calculator: calculatorTool },
      stopWhen: isStepCount(4),
    });
    expect(run.text).toContain('36');

    const repairServer = await start({
      reply: (request) => {
        expect(isRepairRequest(request.messages)).toBe(true);
        return nativeReply('3*12-5', (out) => `There are \\boxed{${out}} eggs left.`)(request);
      },
    });
    const repairer = createRepairer({
      model: chat(repairServer, 'repairer'),
      tools: runtimesFromAiTools({ calculator: calculatorTool }),
      evaluator: paperRuleEvaluator(),
      protocol: 'native',
    });
    const repaired = await repairSteps({ repairer, task, steps: run.steps });
    expect(repaired.status).toBe('accepted');
    expect(repaired.before.correct).toBe(false);
    expect(repaired.after?.correct).toBe(true);
    expect(repaired.messages?.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(JSON.stringify(repaired.messages)).toContain('3*12-5');

    // The same run given as messages repairs the same way.
    const viaMessages = await repairSteps({
      repairer,
      task,
      messages: [{ role: 'user', content: task.question }, ...run.responseMessages],
    });
    expect(viaMessages.status).toBe('accepted');
  });

  it('streams through the provider (SSE) and survives a stream cut half-way', async () => {
    const server = await start({
      reply: nativeReply('3*12-5', (out) => `There are \\boxed{${out}} eggs left.`),
      fault: (_request, { callIndex }) => (callIndex === 0 ? { fault: 'truncate' } : undefined),
    });
    const { withRetries } = await import('@autotraj/generation');
    const result = streamText({
      model: withRetries(chat(server, 'agent'), { baseDelayMs: 1 }),
      prompt: task.question,
      tools: {
        calculator: tool({
          inputSchema: z.object({ expression: z.string() }),
          execute: async () => '31',
        }),
      },
      stopWhen: isStepCount(3),
      maxRetries: 0,
    });
    expect(await result.text).toBe('There are \\boxed{31} eggs left.');
    expect(server.faults).toEqual({ truncate: 1 });
    expect(server.requests.every((r) => r.stream)).toBe(true);
  });
});
