import { parseAiSdkSteps } from '@autotraj/trajectory';
import { generateText, isStepCount } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, describe, expect, it } from 'vitest';
import { calculatorTool, pythonTool, searchTool } from './ai-tools.js';
import { createPythonPool } from './python/pool.js';
import { createBm25Index } from './search/bm25.js';

const pool = createPythonPool({ size: 1 });
afterAll(() => pool.close());

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

/** A mock model that makes the given tool calls in its first step, then answers. */
function scriptedModel(calls: Array<{ toolName: string; input: unknown }>) {
  let turn = 0;
  return new MockLanguageModelV4({
    doGenerate: async () => {
      turn++;
      if (turn === 1) {
        return {
          content: calls.map((call, i) => ({
            type: 'tool-call' as const,
            toolCallId: `call-${i}`,
            toolName: call.toolName,
            input: JSON.stringify(call.input),
          })),
          finishReason: { unified: 'tool-calls' as const, raw: undefined },
          usage,
          warnings: [],
        };
      }
      return {
        content: [{ type: 'text' as const, text: 'The answer is \\boxed{42}.' }],
        finishReason: { unified: 'stop' as const, raw: undefined },
        usage,
        warnings: [],
      };
    },
  });
}

describe('ai SDK tools', () => {
  it('run inside generateText and land in the trajectory as tool-result steps', async () => {
    const index = createBm25Index([
      { id: '1', title: 'Answer', text: 'The answer to everything is 42.' },
    ]);
    const result = await generateText({
      model: scriptedModel([
        { toolName: 'python', input: { code: 'print(6 * 7)' } },
        { toolName: 'calculator', input: { expression: '84/2' } },
        { toolName: 'search', input: { query: 'answer to everything' } },
        { toolName: 'python', input: { code: 'undefined_thing' } },
      ]),
      tools: {
        python: pythonTool({ pool }),
        calculator: calculatorTool(),
        search: searchTool({ client: index }),
      },
      stopWhen: isStepCount(3),
      prompt: 'What is 6 times 7?',
    });
    const { steps } = parseAiSdkSteps(result.steps);
    const results = steps.filter((s) => s.type === 'tool-result');
    expect(results).toEqual([
      expect.objectContaining({ toolName: 'python', output: '42', isError: false }),
      expect.objectContaining({ toolName: 'calculator', output: '42', isError: false }),
      expect.objectContaining({
        toolName: 'search',
        output: 'Doc 1 (Title: Answer) The answer to everything is 42.',
        isError: false,
      }),
      expect.objectContaining({
        toolName: 'python',
        output: "NameError: name 'undefined_thing' is not defined",
        isError: true,
      }),
    ]);
    expect(result.text).toContain('\\boxed{42}');
  });

  it('share one namespace across calls when given a session id', async () => {
    const python = pythonTool({ pool, sessionId: 'agent-run-1' });
    const execute = python.execute!;
    await execute({ code: 'x = 20' }, { toolCallId: 'a', messages: [], context: {} } as never);
    expect(
      await execute({ code: 'print(x + 22)' }, {
        toolCallId: 'b',
        messages: [],
        context: {},
      } as never),
    ).toBe('42');
  });
});
