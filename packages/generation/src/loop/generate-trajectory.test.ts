import { trajectoryToText } from '@autotraj/trajectory';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelCallError } from '../errors.js';
import { createVllmProvider } from '../models/providers.js';
import { arithmeticRuntime } from '../testing/arithmetic-runtime.js';
import { type LoopbackServer, startLoopbackServer, tagScriptReply } from '../testing/index.js';
import { generateTrajectory } from './generate-trajectory.js';

const task = {
  id: 'task_1',
  question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many eggs are left?',
};
const script =
  '<think>3 boxes of 12 is 36 eggs, minus 5 broken.</think>\n<calculator>3*12-5</calculator>\n<think>31 eggs are left.</think>\n<answer>\\boxed{31}</answer> trailing text the stop sequence cuts';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const chat = (s: LoopbackServer, id = 'policy') =>
  createVllmProvider({ baseURL: s.baseURL }).languageModel(id);

describe('generateTrajectory (text tags) over the OpenAI provider', () => {
  it('stops at the closing tool tag, runs the tool, appends <result> and continues to </answer>', async () => {
    server = await startLoopbackServer({ reply: tagScriptReply(() => script) });
    const calculator = arithmeticRuntime();
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [calculator],
      sampling: { temperature: 0.3, seed: 1 },
      salt: 0,
    });
    expect(calculator.calls).toEqual([{ expression: '3*12-5' }]);
    expect(trajectory.steps.map((s) => s.type)).toEqual([
      'think',
      'tool-call',
      'tool-result',
      'think',
      'answer',
    ]);
    expect(trajectory.steps[2]).toMatchObject({
      type: 'tool-result',
      output: '31',
      isError: false,
    });
    expect(trajectory.finalAnswer).toBe('31');
    expect(trajectory.provenance).toMatchObject({
      model: 'vllm:policy',
      origin: 'sampled',
      format: 'tags',
      sampling: { temperature: 0.3, seed: 1 },
    });
    expect(trajectory.provenance.usage?.totalTokens).toBeGreaterThan(0);
    expect(trajectory.metadata.generation).toMatchObject({ modelCalls: 2, toolCalls: 1 });
    // The second request continues the assistant text: the call, closed, and the tool's result.
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.stop).toEqual(['</calculator>', '</answer>']);
    const continuation = server.requests[1]!.messages.at(-1)!;
    expect(continuation.role).toBe('assistant');
    expect(continuation.content).toContain('<calculator>3*12-5</calculator>\n<result>31</result>');
  });

  it('keeps the text as the model wrote it in metadata.sourceText; the steps are its repaired parse', async () => {
    // What real models write: words outside any tag, a call inside a <think> (so the first
    // think is never closed before it), a stray </think> after the result.
    const malformed =
      'Let me compute.\n<think>3 boxes of 12, maybe 36<calculator>3*12-5</calculator>\nSo 31 are left.</think>\n<answer>\\boxed{31}</answer>';
    server = await startLoopbackServer({ reply: tagScriptReply(() => malformed) });
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime()],
    });
    const written =
      'Let me compute.\n<think>3 boxes of 12, maybe 36<calculator>3*12-5</calculator>\n<result>31</result>\nSo 31 are left.</think>\n<answer>\\boxed{31}</answer>';
    expect(trajectory.metadata.sourceText).toBe(written);
    expect(trajectory.steps).toMatchObject([
      { type: 'think', text: 'Let me compute.' },
      { type: 'think', text: '3 boxes of 12, maybe 36' },
      { type: 'tool-call', toolName: 'calculator' },
      { type: 'tool-result', output: '31' },
      { type: 'think', text: 'So 31 are left.</think>' },
      { type: 'answer', answer: '31' },
    ]);
    // The steps rendered again are other text: the paper preset must not score that.
    expect(trajectoryToText(trajectory, 'tags')).not.toBe(written);
  });

  it('parses with the tag map given on each call, even when one map object is changed between calls', async () => {
    server = await startLoopbackServer({
      reply: tagScriptReply(() => '<calculator>3*12-5</calculator>\n<answer>\\boxed{31}</answer>'),
    });
    const toolTags: Record<string, string> = { code: 'python' };
    const generate = () =>
      generateTrajectory({ model: chat(server!), task, tools: [arithmeticRuntime()], toolTags });
    // <calculator> is not a tool tag yet: kept as text, no call.
    const before = await generate();
    expect(before.steps.some((s) => s.type === 'tool-call')).toBe(false);
    // The codec is cached by content, so the same (changed) object gets one with <calculator>.
    toolTags.calculator = 'calculator';
    const after = await generate();
    expect(after.steps.filter((s) => s.type === 'tool-call')).toHaveLength(1);
    expect(after.steps.find((s) => s.type === 'tool-result')).toMatchObject({ output: '31' });
  });

  it('stops offering tools once the budget is spent and records a tool error as such', async () => {
    const looping =
      '<think>try</think><calculator>2+2</calculator><calculator>oops x</calculator><calculator>1+1</calculator><answer>\\boxed{4}</answer>';
    server = await startLoopbackServer({ reply: tagScriptReply(() => looping) });
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime()],
      maxToolCalls: 2,
    });
    const results = trajectory.steps.filter((s) => s.type === 'tool-result');
    expect(results.map((r) => r.isError)).toEqual([false, true]);
    expect(server.requests.at(-1)!.stop).toEqual(['</answer>']);
    expect(trajectory.metadata.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'missing-result' })]),
    );
  });

  it('retries 429 (honouring retry-after), 500, cut streams and empty completions, then succeeds', async () => {
    const faults = ['rate-limit', 'server-error', 'truncate', 'empty'] as const;
    server = await startLoopbackServer({
      reply: tagScriptReply(() => script),
      fault: (_request, { callIndex }) => {
        const fault = faults[callIndex];
        return fault === undefined
          ? undefined
          : fault === 'rate-limit'
            ? { fault, retryAfterSeconds: 0.3 }
            : { fault };
      },
    });
    const delays: Array<{ reason: string; delayMs: number }> = [];
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime()],
      retry: { baseDelayMs: 5, onRetry: ({ reason, delayMs }) => delays.push({ reason, delayMs }) },
    });
    expect(trajectory.finalAnswer).toBe('31');
    expect(delays.map((d) => d.reason)).toEqual([
      'rate-limited',
      'server-error',
      'incomplete-stream',
      'empty-completion',
    ]);
    expect(delays[0]!.delayMs).toBe(300);
  });

  it('with retryEmpty false, an empty completion is the turn as written: no retry, no step', async () => {
    // An embedded model's empty turn (it ended at once) is deterministic at greedy.
    server = await startLoopbackServer({
      reply: () => ({ text: 'x' }),
      fault: () => ({ fault: 'empty' }),
    });
    const retries: string[] = [];
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime()],
      retry: { retryEmpty: false, baseDelayMs: 1, onRetry: ({ reason }) => retries.push(reason) },
    });
    expect(retries).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(trajectory.steps).toEqual([]);
    expect(trajectory.finalAnswer).toBeNull();
    expect(trajectory.metadata.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'missing-answer' })]),
    );
  });

  it('times out a hung response, and fails with a typed reason once retries run out', async () => {
    server = await startLoopbackServer({
      reply: () => ({ text: 'x' }),
      fault: () => ({ fault: 'hang' }),
    });
    const error = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime()],
      retry: { retries: 1, timeoutMs: 150, baseDelayMs: 1 },
    }).catch((e: unknown) => e);
    expect(ModelCallError.isInstance(error)).toBe(true);
    expect((error as ModelCallError).reason).toBe('timeout');
    expect((error as ModelCallError).attempts).toBe(2);
  });
});
