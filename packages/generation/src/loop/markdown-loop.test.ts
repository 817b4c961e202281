import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { markdownTirCodec, renderWithLossMask, tagCodec } from '@autotraj/trajectory';
import { modelWrittenText } from '@autotraj/trajectory/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { GenerationConfigError } from '../errors.js';
import { markContinuation } from '../models/continuation.js';
import { createOpenAIChatProvider, createVllmProvider } from '../models/providers.js';
import { arithmeticRuntime } from '../testing/arithmetic-runtime.js';
import {
  assistantPrefix,
  type LoopbackChatRequest,
  type LoopbackServer,
  startLoopbackServer,
} from '../testing/index.js';
import { generateTrajectory } from './generate-trajectory.js';
import { markdownInstructions } from './prompts.js';

const task = {
  id: 'eggs',
  question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many eggs are left?',
};

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const chat = (s: LoopbackServer) =>
  createVllmProvider({ baseURL: s.baseURL }).languageModel('qwen');

/** The output blocks the environment has appended so far, in order. */
function outputsIn(prefix: string): string[] {
  return [...prefix.matchAll(/```output\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

/**
 * A strict stand-in for Qwen2.5-Coder-1.5B-Instruct: each turn it writes prose and a ```python
 * block and then, as the real model does when nothing stops it, goes on to invent an output
 * block (with a wrong value) and an answer from it. Only the stop sequence keeps that invention
 * out; after a real output block it reads the printed value and answers with it.
 */
function qwenLike(turn: (outputs: string[]) => string) {
  return (request: LoopbackChatRequest) => ({
    text: turn(outputsIn(assistantPrefix(request.messages))),
  });
}

const eggs = qwenLike((outputs) =>
  outputs.length === 0
    ? "I'll compute the eggs left.\n```python\nprint(3 * 12 - 5)\n```\n```output\n30\n```\nSo \\boxed{30} eggs are left."
    : `The program printed ${outputs[0]}, so \\boxed{${outputs[0]}} eggs are left.`,
);

describe('generateTrajectory (markdown protocol)', () => {
  it('stops at ```output, runs the block, appends the real output and continues to \\boxed{}', async () => {
    server = await startLoopbackServer({ reply: eggs });
    const python = arithmeticRuntime('python');
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [python],
      protocol: 'markdown',
      instructions: markdownInstructions({ maxToolCalls: 3 }),
      sampling: { temperature: 0 },
    });
    expect(python.calls).toEqual([{ code: 'print(3 * 12 - 5)' }]);
    expect(trajectory.steps).toMatchObject([
      { type: 'think', text: "I'll compute the eggs left." },
      { type: 'tool-call', toolName: 'python', input: { code: 'print(3 * 12 - 5)' } },
      { type: 'tool-result', toolName: 'python', output: '31', isError: false },
      { type: 'answer', answer: '31' },
    ]);
    expect(trajectory.finalAnswer).toBe('31');
    expect(trajectory.provenance.format).toBe('markdown-tir');
    expect(trajectory.metadata).toMatchObject({
      protocol: 'markdown',
      generation: { modelCalls: 2, toolCalls: 1, finishReason: 'stop' },
    });
    expect(trajectory.metadata.issues).toBeUndefined();
    // Both spellings of the output opener stop the model; the rules say not to write one.
    expect(server.requests[0]!.stop).toEqual(['```output', '``` output']);
    expect(server.requests[0]!.messages[0]).toEqual({
      role: 'system',
      content: markdownInstructions({ maxToolCalls: 3 }),
    });
    expect(markdownInstructions({ maxToolCalls: 3 })).toContain(
      'never write an ```output block yourself',
    );
    expect(markdownInstructions({ maxToolCalls: 3 })).toContain('Use at most 3 code blocks.');
    // The continuation is the model's text up to its block, then the environment's output block.
    const continuation = server.requests[1]!.messages.at(-1)!;
    expect(continuation.role).toBe('assistant');
    expect(continuation.content).toBe(
      "I'll compute the eggs left.\n```python\nprint(3 * 12 - 5)\n```\n```output\n31\n```\n",
    );
  });

  it('renders back to the text it generated, with the output block masked (and as tags for export)', async () => {
    server = await startLoopbackServer({ reply: eggs });
    const { steps } = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime('python')],
      protocol: 'markdown',
    });
    const generated =
      "I'll compute the eggs left.\n```python\nprint(3 * 12 - 5)\n```\n```output\n31\n```\nThe program printed 31, so \\boxed{31} eggs are left.";
    expect(markdownTirCodec.render(steps)).toBe(generated);
    // Parsing that text gives the same steps, timings aside (the codec cannot know them).
    expect(markdownTirCodec.parse(generated).steps).toEqual(
      steps.map((step) => {
        if (step.type !== 'tool-result') return step;
        const { durationMs: _ms, ...rest } = step;
        return rest;
      }),
    );
    // The environment wrote the output block (and the newline before it): no loss on it.
    const markdown = renderWithLossMask(steps, markdownTirCodec);
    expect(markdown.text).toBe(generated);
    expect(
      markdown.spans.filter((s) => s.source === 'tool').map((s) => generated.slice(s.start, s.end)),
    ).toEqual(['\n```output\n31\n```']);
    expect(modelWrittenText(markdown)).not.toContain('```output');
    // Steps are protocol-free: a trainer that wants the paper's tags gets them, result masked.
    const tags = renderWithLossMask(steps, tagCodec);
    expect(tags.text).toContain('<code>print(3 * 12 - 5)</code>');
    expect(tags.text).toContain('<answer>The program printed 31, so \\boxed{31} eggs are left.');
    const toolText = tags.spans
      .filter((s) => s.source === 'tool')
      .map((s) => tags.text.slice(s.start, s.end))
      .join('');
    expect(toolText).toContain('<result>31</result>');
    expect(modelWrittenText(tags)).not.toContain('31</result>');
  });

  it('runs a block whose fence the stop took ("``` output" spelling, block left unclosed)', async () => {
    server = await startLoopbackServer({
      reply: qwenLike((outputs) =>
        outputs.length === 0
          ? 'Compute:\n```python\nprint(36 - 5)\n``` output\n30\n```\n'
          : `\\boxed{${outputs[0]}}`,
      ),
    });
    const python = arithmeticRuntime('python');
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [python],
      protocol: 'markdown',
    });
    expect(python.calls).toEqual([{ code: 'print(36 - 5)' }]);
    // The block is closed where the model left it, so the text parses as one call and result.
    expect(server.requests[1]!.messages.at(-1)!.content).toBe(
      'Compute:\n```python\nprint(36 - 5)\n```\n```output\n31\n```\n',
    );
    expect(trajectory.steps.map((s) => s.type)).toEqual([
      'think',
      'tool-call',
      'tool-result',
      'answer',
    ]);
    expect(trajectory.finalAnswer).toBe('31');
  });

  it('runs a block the model ends its turn on, and keeps prose written between block and stop', async () => {
    server = await startLoopbackServer({
      reply: qwenLike((outputs) =>
        outputs.length === 0
          ? '```python\nprint(36 - 5)\n```\nRunning this prints:\n'
          : `It printed ${outputs[0]}: \\boxed{${outputs[0]}}`,
      ),
    });
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime('python')],
      protocol: 'markdown',
    });
    expect(trajectory.steps).toMatchObject([
      { type: 'tool-call', input: { code: 'print(36 - 5)' } },
      { type: 'think', text: 'Running this prints:' },
      { type: 'tool-result', output: '31' },
      { type: 'answer', text: 'It printed 31: \\boxed{31}', answer: '31' },
    ]);
  });

  it('does not run a block the model already answered after', async () => {
    server = await startLoopbackServer({
      reply: () => ({ text: '```python\nprint(36 - 5)\n```\nThat is \\boxed{31}.' }),
    });
    const python = arithmeticRuntime('python');
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [python],
      protocol: 'markdown',
    });
    expect(python.calls).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(trajectory.finalAnswer).toBe('31');
    expect(trajectory.metadata.issues).toEqual([
      expect.objectContaining({ code: 'missing-result' }),
    ]);
  });

  it('ends at the tool budget: a further block is cut at its invented output and left unrun', async () => {
    server = await startLoopbackServer({
      reply: qwenLike((outputs) =>
        outputs.length === 0
          ? '```python\nprint(36 - 5)\n```\n```output\n30\n```\n'
          : `Check again.\n\`\`\`python\nprint(36 - 4)\n\`\`\`\n\`\`\`output\n32\n\`\`\`\n\\boxed{32}`,
      ),
    });
    const python = arithmeticRuntime('python');
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [python],
      protocol: 'markdown',
      maxToolCalls: 1,
    });
    expect(python.calls).toEqual([{ code: 'print(36 - 5)' }]);
    expect(server.requests).toHaveLength(2);
    // The stop stays on past the budget: the invented "32" never reads as a tool result.
    expect(server.requests[1]!.stop).toEqual(['```output', '``` output']);
    expect(trajectory.steps.map((s) => s.type)).toEqual([
      'tool-call',
      'tool-result',
      'think',
      'tool-call',
    ]);
    expect(trajectory.steps.filter((s) => s.type === 'tool-result')).toMatchObject([
      { output: '31' },
    ]);
    expect(trajectory.finalAnswer).toBeNull();
    expect(trajectory.metadata.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'missing-result' }),
        expect.objectContaining({ code: 'missing-answer' }),
      ]),
    );
  });

  it('does not run a block cut by the token limit', async () => {
    server = await startLoopbackServer({
      reply: () => ({ text: '```python\nx = 36\nprint(x', finishReason: 'length' }),
    });
    const python = arithmeticRuntime('python');
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [python],
      protocol: 'markdown',
    });
    expect(python.calls).toEqual([]);
    expect(trajectory.metadata.generation).toMatchObject({ finishReason: 'length', toolCalls: 0 });
  });

  it('records a failing block as a tool error the model reads', async () => {
    server = await startLoopbackServer({
      reply: qwenLike((outputs) =>
        outputs.length === 0
          ? '```python\nprint(eggs)\n```\n```output\n31\n```\n'
          : `The code failed (${outputs[0]}); 36 - 5 = 31, so \\boxed{31}`,
      ),
    });
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime('python')],
      protocol: 'markdown',
    });
    expect(trajectory.steps[1]).toMatchObject({ type: 'tool-result', isError: true });
    expect(trajectory.finalAnswer).toBe('31');
  });

  it('cuts an output block a provider returned despite the stop sequence', async () => {
    // A provider that ignores stop sequences: the loop discards the invented block itself.
    const texts = ['```python\nprint(36 - 5)\n```\n```output\n30\n```\n\\boxed{30}', '\\boxed{31}'];
    const seen: LanguageModelV4CallOptions[] = [];
    const ignoresStops: LanguageModelV4 = markContinuation(
      {
        specificationVersion: 'v4',
        provider: 'stub',
        modelId: 'ignores-stops',
        supportedUrls: {},
        async doGenerate(call) {
          seen.push(call);
          return {
            content: [{ type: 'text', text: texts[seen.length - 1] ?? '' }],
            finishReason: { unified: 'stop', raw: 'stop' },
            usage: {
              inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
              outputTokens: { total: 5, text: 5, reasoning: 0 },
            },
            warnings: [],
          };
        },
        async doStream() {
          throw new Error('not used');
        },
      },
      'native',
    );
    const trajectory = await generateTrajectory({
      model: ignoresStops,
      task,
      tools: [arithmeticRuntime('python')],
      protocol: 'markdown',
      wrapRetries: false,
    });
    expect(trajectory.steps.filter((s) => s.type === 'tool-result')).toMatchObject([
      { output: '31' },
    ]);
    expect(trajectory.finalAnswer).toBe('31');
  });

  it('resumes from a prefix: rendered as markdown, its results kept', async () => {
    server = await startLoopbackServer({ reply: qwenLike(() => 'So \\boxed{31}.') });
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime('python')],
      protocol: 'markdown',
      prefix: [
        { type: 'think', text: 'Eggs:' },
        { type: 'tool-call', callId: 'c', toolName: 'python', input: { code: 'print(31)' } },
        {
          type: 'tool-result',
          callId: 'c',
          toolName: 'python',
          output: '31',
          isError: false,
          durationMs: 7,
        },
      ],
    });
    expect(server.requests[0]!.messages.at(-1)!.content).toBe(
      'Eggs:\n```python\nprint(31)\n```\n```output\n31\n```\n',
    );
    expect(trajectory.steps[2]).toMatchObject({ type: 'tool-result', output: '31', durationMs: 7 });
    expect(trajectory.metadata.generation).toMatchObject({ toolCalls: 0 });
    expect(trajectory.finalAnswer).toBe('31');
  });

  it('refuses a model that cannot continue a message, and a tool set without python', async () => {
    const openai = createOpenAIChatProvider({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
    const noPrefill = await generateTrajectory({
      model: openai.languageModel('gpt'),
      task,
      tools: [arithmeticRuntime('python')],
      protocol: 'markdown',
    }).catch((e: unknown) => e);
    expect(GenerationConfigError.isInstance(noPrefill)).toBe(true);
    expect((noPrefill as Error).message).toContain('markdown protocol');
    server = await startLoopbackServer({ reply: eggs });
    const noPython = await generateTrajectory({
      model: chat(server),
      task,
      tools: [arithmeticRuntime('calculator')],
      protocol: 'markdown',
    }).catch((e: unknown) => e);
    expect(GenerationConfigError.isInstance(noPython)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('with no tools at all is chain-of-thought: one completion, a block is never run', async () => {
    server = await startLoopbackServer({
      reply: () => ({ text: 'Each box holds 12.\n```python\nprint(3*12-5)\n```\nSo \\boxed{31}.' }),
    });
    const trajectory = await generateTrajectory({
      model: chat(server),
      task,
      tools: [],
      protocol: 'markdown',
    });
    expect(server.requests).toHaveLength(1);
    expect(trajectory.steps.some((s) => s.type === 'tool-result')).toBe(false);
    expect(trajectory.metadata.generation).toMatchObject({ toolCalls: 0 });
    expect(trajectory.finalAnswer).toBe('31');
  });
});
