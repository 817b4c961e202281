import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderWithLossMask } from '../render/loss-mask.js';
import type { Step } from '../schemas/step.js';
import { safeText, stepsArbitrary } from '../test-support/arbitraries.js';
import { parseAiSdkMessages, parseAiSdkSteps, renderAiSdkMessages } from './ai-sdk-messages.js';
import { extractLastBoxed } from './answer-extraction.js';
import { gsm8kCalculatorCodec } from './gsm8k-calculator.js';
import { markdownTirCodec } from './markdown-tir.js';
import { parseOpenAiChat, renderOpenAiChat } from './openai-chat.js';
import { detectTextFormat } from './registry.js';
import { createTagCodec, tagCodec } from './tags.js';

describe('round trips: parse(render(steps)) == steps', () => {
  it('tag format', () => {
    fc.assert(
      fc.property(stepsArbitrary(), (steps) => {
        expect(tagCodec.parse(tagCodec.render(steps)).steps).toEqual(steps);
      }),
      { numRuns: 300 },
    );
  });

  it('tag format with fenced code', () => {
    const fenced = createTagCodec({ fenceCode: true });
    fc.assert(
      fc.property(stepsArbitrary(), (steps) => {
        expect(fenced.parse(fenced.render(steps)).steps).toEqual(steps);
      }),
      { numRuns: 100 },
    );
  });

  it('markdown TIR (python only)', () => {
    fc.assert(
      fc.property(stepsArbitrary({ tools: ['python'] }), (steps) => {
        const parsed = markdownTirCodec.parse(markdownTirCodec.render(steps));
        // Prose has no boundaries in markdown: reasoning right before the answer joins the answer.
        const expected: Step[] = [];
        for (const step of steps) {
          const last = expected[expected.length - 1];
          if (step.type === 'answer' && last?.type === 'think')
            expected[expected.length - 1] = { ...step, text: `${last.text}\n${step.text}` };
          else expected.push(step);
        }
        expect(parsed.steps).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('GSM8K calculator annotations (calculator only)', () => {
    const calculatorSteps = fc
      .tuple(
        fc.array(
          fc.tuple(
            safeText,
            safeText.filter((t) => !t.includes('=') && !t.includes('\n')),
            safeText.filter((t) => !t.includes('=') && !t.includes('\n')),
          ),
          { maxLength: 5 },
        ),
        safeText.filter((t) => !t.includes('\n')),
      )
      .map(([parts, answer]) => {
        const steps: Step[] = [];
        parts.forEach(([text, expression, result], i) => {
          steps.push({ type: 'think', text: `${text} ` });
          steps.push({
            type: 'tool-call',
            callId: `call_${i}`,
            toolName: 'calculator',
            input: { expression },
          });
          steps.push({
            type: 'tool-result',
            callId: `call_${i}`,
            toolName: 'calculator',
            output: result,
            isError: false,
          });
        });
        steps.push({ type: 'answer', text: `A: ${answer}`, answer });
        return steps;
      });
    fc.assert(
      fc.property(calculatorSteps, (steps) => {
        expect(gsm8kCalculatorCodec.parse(gsm8kCalculatorCodec.render(steps)).steps).toEqual(steps);
      }),
      { numRuns: 300 },
    );
  });

  it('ai SDK messages', () => {
    fc.assert(
      fc.property(stepsArbitrary(), safeText, (steps, question) => {
        const messages = renderAiSdkMessages(steps, { question });
        const parsed = parseAiSdkMessages(messages);
        expect(parsed.steps).toEqual(steps);
        expect(parsed.question).toBe(question);
      }),
      { numRuns: 300 },
    );
  });

  it('OpenAI chat messages', () => {
    fc.assert(
      fc.property(stepsArbitrary(), safeText, (steps, question) => {
        const messages = renderOpenAiChat(steps, { question, instruction: 'be brief' });
        const parsed = parseOpenAiChat(JSON.parse(JSON.stringify(messages)));
        expect(parsed.steps).toEqual(steps);
        expect(parsed.instruction).toBe('be brief');
      }),
      { numRuns: 300 },
    );
  });
});

describe('tag format on malformed real-world text', () => {
  it('parses what it can and reports the rest', () => {
    const text = [
      'Let me start.',
      '<think>compute 3*4',
      '<code>print(3*4)</code>',
      '<result>12</result>',
      '<result>stray output</result>',
      '<answer>first \\boxed{11}</answer>',
      '<answer>so \\boxed{12}</answer>',
      '<code>print(1)',
    ].join('\n');
    const parsed = tagCodec.parse(text);
    expect(parsed.steps.map((s) => s.type)).toEqual([
      'think',
      'think',
      'tool-call',
      'tool-result',
      'answer',
      'answer',
      'tool-call',
    ]);
    expect(parsed.finalAnswer).toBe('12');
    expect(parsed.issues.map((i) => i.code).sort()).toEqual(
      [
        'missing-result',
        'multiple-answers',
        'orphan-result',
        'text-outside-tags',
        'unclosed-tag',
        'unclosed-tag',
      ].sort(),
    );
    const orphan = parsed.issues.find((i) => i.code === 'orphan-result');
    expect(orphan?.excerpt).toBe('stray output');
    expect(text.slice(orphan!.offset!)).toMatch(/^<result>stray/);
  });

  it('reads Tool-Star style fenced code inside <code>', () => {
    const parsed = tagCodec.parse(
      '<think>x</think>\n<code>\n```python\nprint(2)\n```\n</code>\n<result>\n2\n</result>\n<answer>\\boxed{2}</answer>',
    );
    expect(parsed.steps[1]).toEqual({
      type: 'tool-call',
      callId: 'call_0',
      toolName: 'python',
      input: { code: 'print(2)' },
    });
    expect(parsed.issues).toEqual([]);
  });

  it('maps <search> to the search tool', () => {
    const parsed = tagCodec.parse(
      '<search>capital of France</search><result>Paris</result><answer>\\boxed{Paris}</answer>',
    );
    expect(parsed.steps[0]).toMatchObject({
      type: 'tool-call',
      toolName: 'search',
      input: { query: 'capital of France' },
    });
  });
});

describe('loss-mask spans', () => {
  it('cover the whole text, alternate sources, and put every tool output under a tool span', () => {
    fc.assert(
      fc.property(stepsArbitrary(), (steps) => {
        for (const codec of [tagCodec, markdownTirCodec]) {
          const rendered = renderWithLossMask(steps, codec);
          let at = 0;
          for (const span of rendered.spans) {
            expect(span.start).toBe(at);
            at = span.end;
          }
          expect(at).toBe(rendered.text.length);
          const outputs = steps.flatMap((step) =>
            step.type === 'tool-result' ? [step.output] : [],
          );
          const toolSpans = rendered.spans
            .filter((s) => s.source === 'tool')
            .map((s) => rendered.text.slice(s.start, s.end));
          expect(toolSpans).toHaveLength(outputs.length);
          outputs.forEach((output, i) => {
            expect(toolSpans[i]).toContain(output);
          });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('tags: the <result> block and the newline before it are tool-written', () => {
    const rendered = renderWithLossMask(
      tagCodec.parse(
        '<think>a</think>\n<code>x=1</code>\n<result>1</result>\n<answer>\\boxed{1}</answer>',
      ).steps,
      tagCodec,
    );
    expect(
      rendered.spans
        .filter((s) => s.source === 'tool')
        .map((s) => rendered.text.slice(s.start, s.end)),
    ).toEqual(['\n<result>1</result>']);
  });
});

describe('ai SDK generateText steps', () => {
  it('keeps executed results and tool errors, and the last text becomes the answer', () => {
    // A plain value, as a caller holds `result.steps` (no excess-property check on literals).
    const runSteps = [
      {
        content: [
          { type: 'text', text: 'I will compute.' },
          {
            type: 'tool-call',
            toolCallId: 'c1',
            toolName: 'calculator',
            input: { expression: '2+2' },
          },
          {
            type: 'tool-result',
            toolCallId: 'c1',
            toolName: 'calculator',
            input: {},
            output: { value: 4 },
          },
        ],
      },
      {
        content: [
          { type: 'tool-call', toolCallId: 'c2', toolName: 'python', input: { code: '1/0' } },
          {
            type: 'tool-error',
            toolCallId: 'c2',
            toolName: 'python',
            input: {},
            error: new Error('ZeroDivisionError'),
          },
        ],
      },
      { content: [{ type: 'text', text: 'The answer is \\boxed{4}.' }] },
    ];
    const parsed = parseAiSdkSteps(runSteps);
    expect(parsed.steps).toEqual([
      { type: 'think', text: 'I will compute.' },
      { type: 'tool-call', callId: 'c1', toolName: 'calculator', input: { expression: '2+2' } },
      {
        type: 'tool-result',
        callId: 'c1',
        toolName: 'calculator',
        output: '{"value":4}',
        isError: false,
      },
      { type: 'tool-call', callId: 'c2', toolName: 'python', input: { code: '1/0' } },
      {
        type: 'tool-result',
        callId: 'c2',
        toolName: 'python',
        output: 'ZeroDivisionError',
        isError: true,
      },
      { type: 'answer', text: 'The answer is \\boxed{4}.', answer: '4' },
    ]);
  });
});

describe('OpenAI chat', () => {
  it('reports arguments that are not JSON and tool messages for unknown calls', () => {
    const parsed = parseOpenAiChat([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'python', arguments: '{bad' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: 'out' },
      { role: 'tool', tool_call_id: 'zzz', content: 'lost?' },
      { role: 'assistant', content: 'done \\boxed{1}' },
    ]);
    expect(parsed.steps[0]).toMatchObject({ type: 'tool-call', input: '{bad' });
    expect(parsed.issues.map((i) => i.code)).toEqual(['invalid-tool-input', 'orphan-result']);
    expect(parsed.finalAnswer).toBe('1');
  });

  it('names the message and field of an invalid message', () => {
    expect(() =>
      parseOpenAiChat([
        { role: 'user', content: 'q' },
        { role: 'tool', content: 'x' },
      ]),
    ).toThrow(/messages\[1\]/);
  });
});

describe('helpers', () => {
  it('extracts the last \\boxed{} with nested braces', () => {
    expect(extractLastBoxed('\\boxed{1} then \\boxed{\\frac{1}{2}}')).toBe('\\frac{1}{2}');
    expect(extractLastBoxed('\\fbox{x^{2}}')).toBe('x^{2}');
    expect(extractLastBoxed('\\boxed{unclosed')).toBeNull();
  });

  it('detects text formats', () => {
    expect(detectTextFormat('<think>a</think>')).toBe('tags');
    expect(detectTextFormat('```python\nprint(1)\n```')).toBe('markdown-tir');
    expect(detectTextFormat('3+4=<<3+4=7>>7\nA: 7')).toBe('gsm8k-calculator');
    expect(detectTextFormat('plain prose')).toBeNull();
  });
});
