import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trajectoryFromText } from '../build-trajectory.js';
import { parseAiSdkSteps } from '../codecs/ai-sdk-messages.js';
import { markdownTirCodec } from '../codecs/markdown-tir.js';
import { tagCodec } from '../codecs/tags.js';
import type { Step } from '../schemas/step.js';
import { safeText, stepsArbitrary } from '../test-support/arbitraries.js';
import { findFabricatedToolOutput } from './fabricated-tool-output.js';
import { fencedBlocks } from './fenced-blocks.js';
import { findTextFormToolCalls } from './text-form-tool-calls.js';

// Measured from Qwen2.5-Coder-1.5B-Instruct offered native tools (issue 27).
const QWEN_INVENTED_OUTPUT =
  '```python\nprint(2*3)\n```\n```output\n6\n```\nThe answer is \\boxed{6}.';
const QWEN_JSON_CALL = '```json\n{"name": "python", "arguments": {"code": "print(1+1)"}}\n```';

/** A native run that wrote only text: what `parseAiSdkSteps` makes of it. */
const nativeText = (...texts: string[]): Step[] =>
  parseAiSdkSteps([{ content: texts.map((text) => ({ type: 'text', text })) }]).steps;

const kinds = (findings: ReadonlyArray<{ stepIndex: number | null; kind: string }>) =>
  findings.map((f) => [f.stepIndex, f.kind]);

const executedCall: Step[] = [
  { type: 'think', text: 'Let me compute 2*3 with Python; its output is what I need.' },
  { type: 'tool-call', callId: 'c1', toolName: 'python', input: { code: 'print(2*3)' } },
  { type: 'tool-result', callId: 'c1', toolName: 'python', output: '6\n', isError: false },
  { type: 'answer', text: 'The output is 6, so the answer is \\boxed{6}.', answer: '6' },
];

describe('fencedBlocks', () => {
  it('reads languages, bodies and unclosed blocks', () => {
    const blocks = fencedBlocks('a\n```Python\nx = 1\n```\n```\n6\n```\n```py\nprint(1)');
    expect(blocks.map(({ language, body, closed }) => [language, body, closed])).toEqual([
      ['python', 'x = 1', true],
      ['', '6', true],
      ['py', 'print(1)', false],
    ]);
    expect(fencedBlocks('inline ``` fence, not a block')).toEqual([]);
  });
});

describe('findTextFormToolCalls', () => {
  it("finds Qwen's ```python block written instead of a native call", () => {
    const steps = nativeText(QWEN_INVENTED_OUTPUT);
    const [finding, ...rest] = findTextFormToolCalls(steps, { tools: ['python', 'calculator'] });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'text-form-tool-call',
      kind: 'code-block',
      stepIndex: 0,
      toolName: 'python',
      offset: 0,
      excerpt: '```python\nprint(2*3)\n```',
    });
    expect(finding!.message).toContain('python code written in a ```python block');
    expect(finding!.message).toContain('print(2*3)');
  });

  it("finds Qwen's JSON call in a ```json block", () => {
    const findings = findTextFormToolCalls(nativeText(QWEN_JSON_CALL));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'json-call', toolName: 'python', stepIndex: 0 });
    expect(findings[0]!.message).toContain('a python call written as JSON in a ```json block');
  });

  it.each([
    [
      '<tool_call>',
      'I will run it.\n<tool_call>\n{"name": "python", "arguments": {"code": "print(1+1)"}}\n</tool_call>',
      'tool-call-tag',
      'python',
    ],
    [
      'unclosed <tool_call>',
      '<tool_call>\n{"name": "calculator", "arguments": {',
      'tool-call-tag',
      'calculator',
    ],
    [
      'bare JSON as the whole text',
      '{"name": "python", "arguments": {"code": "print(1+1)"}}',
      'json-call',
      'python',
    ],
    [
      'JSON with raw newlines in the code (not valid JSON)',
      '```\n{"name": "python", "arguments": {"code": "x = 2\nprint(x*3)"}}\n```',
      'json-call',
      'python',
    ],
    [
      'parameters instead of arguments',
      '```json\n{"name": "calculator", "parameters": {"expression": "2*3"}}\n```',
      'json-call',
      'calculator',
    ],
    [
      'OpenAI tool_calls shape',
      '```json\n[{"type": "function", "function": {"name": "search", "arguments": "{\\"query\\": \\"x\\"}"}}]\n```',
      'json-call',
      'search',
    ],
    [
      '```py block the model never closed',
      'Let me check:\n```py\nprint(sum(range(10)))\n',
      'code-block',
      'python',
    ],
  ])('finds %s', (_, text, kind, toolName) => {
    const findings = findTextFormToolCalls([{ type: 'think', text }]);
    expect(findings.map((f) => [f.kind, f.toolName])).toEqual([[kind, toolName]]);
  });

  it.each([
    ['prose', 'Multiply 2 by 3 to get the output, 6. The answer is \\boxed{6}.'],
    ['JSON that is not a call', '```json\n{"answer": 6, "name": "six"}\n```'],
    [
      'a call naming a tool that was not offered',
      '```json\n{"name": "search", "arguments": {"query": "x"}}\n```',
    ],
    [
      'code in a language no offered tool runs',
      '```bash\necho 6\n```\n```javascript\nconsole.log(6)\n```',
    ],
    ['python code when python was not offered', '```python\nprint(6)\n```'],
    ['an empty python block', '```python\n```'],
    ['a tag named in prose', 'Calls go in <tool_call> tags, which I will not use.'],
  ])('finds nothing in %s', (_, text) => {
    expect(findTextFormToolCalls([{ type: 'answer', text }], { tools: ['calculator'] })).toEqual(
      [],
    );
  });

  it('finds nothing in a trajectory whose calls were executed, nor in a block quoting their code', () => {
    expect(findTextFormToolCalls(executedCall)).toEqual([]);
    const quoting: Step[] = [
      ...executedCall.slice(0, 3),
      { type: 'answer', text: 'I ran\n```python\nprint(2*3)\n```\nso \\boxed{6}.', answer: '6' },
    ];
    expect(findTextFormToolCalls(quoting)).toEqual([]);
  });

  it('finds nothing where text is the call: tag and markdown-tir trajectories', () => {
    const tags = tagCodec.parse(
      '<think>Compute.</think>\n<code>\n```python\nprint(6*7)\n```\n</code>\n<result>42</result>\n<answer>\\boxed{42}</answer>',
    );
    const markdown = markdownTirCodec.parse(QWEN_INVENTED_OUTPUT);
    expect(findTextFormToolCalls(tags.steps)).toEqual([]);
    expect(findTextFormToolCalls(markdown.steps)).toEqual([]);
  });

  it('property: no finding in codec-rendered trajectories parsed back', () => {
    fc.assert(
      fc.property(stepsArbitrary({ tools: ['python'] }), (steps) => {
        for (const codec of [tagCodec, markdownTirCodec]) {
          const parsed = codec.parse(codec.render(steps)).steps;
          expect(findTextFormToolCalls(parsed)).toEqual([]);
          expect(findFabricatedToolOutput({ steps: parsed })).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('findFabricatedToolOutput', () => {
  it("finds Qwen's invented ```output block after its ```python block", () => {
    const steps = nativeText(QWEN_INVENTED_OUTPUT);
    const findings = findFabricatedToolOutput({ steps });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: 'fabricated-tool-output',
      kind: 'output-block',
      stepIndex: 0,
      offset: QWEN_INVENTED_OUTPUT.indexOf('```output'),
      excerpt: '```output\n6\n```',
    });
    expect(findings[0]!.message).toContain('a ```output block');
  });

  it.each([
    ['<result> in reasoning', 'I compute 2*3.\n<result>\n6\n</result>\nSo 6.', 'result-tag'],
    [
      'a bare block right after the code',
      '```python\nprint(2*3)\n```\n```\n6\n```',
      'output-block',
    ],
    [
      'an "Output:" ```text block',
      '```py\nprint(2*3)\n```\nOutput:\n```text\n6\n```',
      'output-block',
    ],
    ['an ```output block anywhere', 'Running it gives\n```output\n6\n```', 'output-block'],
  ])('finds %s', (_, text, kind) => {
    const findings = findFabricatedToolOutput({ steps: [{ type: 'think', text }] });
    expect(kinds(findings)).toEqual([[0, kind]]);
  });

  it.each([
    [
      'prose about output',
      'The output of the program is 6; output and result agree, so \\boxed{6}.',
    ],
    ['the prompt wording repeated', 'Its output will appear inside <result></result>.'],
    ['a text block after prose, not after code', 'The table:\n```text\na | b\n```'],
    [
      'a text block after code with prose between',
      '```python\nx = 2\n```\nThen I explain the table:\n```text\na | b\n```',
    ],
    ['two code blocks', '```python\nx = 2\n```\n```python\nprint(x)\n```'],
  ])('finds nothing in %s', (_, text) => {
    expect(findFabricatedToolOutput({ steps: [{ type: 'answer', text }] })).toEqual([]);
  });

  it('finds nothing in a real executed call followed by its result, nor in a quote of it', () => {
    expect(findFabricatedToolOutput({ steps: executedCall })).toEqual([]);
    const quoting: Step[] = [
      ...executedCall.slice(0, 3),
      {
        type: 'answer',
        text: 'Running\n```python\nprint(2*3)\n```\n```output\n6\n```\ngives \\boxed{6}.',
        answer: '6',
      },
    ];
    expect(findFabricatedToolOutput({ steps: quoting })).toEqual([]);
  });

  it('does not flag markdown-tir output blocks: the tool wrote them', () => {
    const { trajectory } = trajectoryFromText(
      "Let's compute.\n```python\nprint(2*3)\n```\n```output\n6\n```\nThe answer is \\boxed{6}.",
      { format: 'markdown-tir', taskId: 't' },
    );
    expect(trajectory.steps.map((s) => s.type)).toEqual([
      'think',
      'tool-call',
      'tool-result',
      'answer',
    ]);
    expect(findFabricatedToolOutput(trajectory)).toEqual([]);
  });

  it('finds results a parse left out of the steps because no call came before them', () => {
    const tags = trajectoryFromText(
      '<think>2*3 is</think>\n<result>6</result>\n<answer>\\boxed{6}</answer>',
      { format: 'tags', taskId: 't' },
    ).trajectory;
    const markdown = trajectoryFromText('So:\n```output\n6\n```\nThe answer is \\boxed{6}.', {
      format: 'markdown-tir',
      taskId: 't',
    }).trajectory;
    // generateTrajectory records the loop's parse issues as metadata.issues.
    const generated = {
      steps: tags.steps,
      metadata: {
        issues: [{ code: 'orphan-result', message: '<result> without a preceding call' }],
      },
    };
    for (const trajectory of [tags, markdown, generated]) {
      const findings = findFabricatedToolOutput(trajectory);
      expect(kinds(findings)).toEqual([[null, 'orphan-result']]);
      expect(findings[0]!.message).toContain('the model wrote it itself');
    }
  });

  it('property: prose of safe text, with or without the word output, is never flagged', () => {
    const prose = fc
      .array(fc.oneof(safeText, fc.constantFrom('output', 'Output:', 'result', 'the result is')), {
        minLength: 1,
        maxLength: 8,
      })
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(prose, (text) => {
        const steps: Step[] = [
          { type: 'think', text },
          { type: 'answer', text },
        ];
        expect(findFabricatedToolOutput({ steps })).toEqual([]);
        expect(findTextFormToolCalls(steps)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
