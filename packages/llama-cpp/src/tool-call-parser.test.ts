import { describe, expect, it } from 'vitest';
import {
  type CompletionPiece,
  mergeText,
  parseCompletion,
  ToolCallParser,
} from './tool-call-parser.js';

const toolNames = new Set(['python', 'search']);
let n = 0;
const options = () => ({ toolNames, generateId: () => `id-${n++}` });
const parse = (text: string) => parseCompletion(text, options());
const call = (toolName: string, input: unknown, form: 'tag' | 'fenced-json' = 'tag') => ({
  type: 'tool-call',
  toolName,
  input: JSON.stringify(input),
  form,
});

// Qwen2.5-Coder-1.5B's greedy answer to a GSM8K problem with the python tool (recorded from the
// real model through this package): a fenced block, not the template's <tool_call> tag.
const FENCED_CALL =
  '```json\n{\n  "name": "python",\n  "arguments": {\n    "code": "print(12 * (50 / 60))"\n  }\n}\n```';

describe('parseCompletion', () => {
  it('keeps a completion without calls as its text', () => {
    expect(parse('The answer is 42.\n')).toEqual({
      pieces: [{ type: 'text', text: 'The answer is 42.\n' }],
      problems: [],
    });
  });

  it('splits text and a <tool_call> block into a text part and a call', () => {
    const { pieces, problems } = parse(
      'I will compute it.\n<tool_call>\n{"name": "python", "arguments": {"code": "print(1234 * 5678)"}}\n</tool_call>',
    );
    expect(pieces).toMatchObject([
      { type: 'text', text: 'I will compute it.' },
      call('python', { code: 'print(1234 * 5678)' }),
    ]);
    expect(problems).toEqual([]);
  });

  it('gives each call its own id', () => {
    const block = '<tool_call>{"name": "search", "arguments": {"query": "x"}}</tool_call>';
    const { pieces } = parseCompletion(`${block}\n${block}`, { toolNames });
    const ids = pieces.map((p) => (p.type === 'tool-call' ? p.toolCallId : ''));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^call-[0-9a-f-]{36}$/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it('takes arguments encoded as a JSON string, and missing arguments as none', () => {
    expect(
      parse('<tool_call>{"name": "python", "arguments": "{\\"code\\": \\"1\\"}"}</tool_call>')
        .pieces,
    ).toMatchObject([call('python', { code: '1' })]);
    expect(parse('<tool_call>{"name": "search"}</tool_call>').pieces).toMatchObject([
      call('search', {}),
    ]);
  });

  it('returns a block that is not a call as text, with a problem, never throwing', () => {
    const cases: [string, RegExp][] = [
      ['<tool_call>\n{"name": "python", "arguments": {"code": "x"}\n</tool_call>', /is not JSON/],
      ['<tool_call>["python"]</tool_call>', /is not a JSON object/],
      ['<tool_call>{"arguments": {}}</tool_call>', /has no string "name"/],
      [
        '<tool_call>{"name": "shell", "arguments": {"cmd": "ls"}}</tool_call>',
        /names an unknown tool "shell" \(tools: python, search\)/,
      ],
      ['<tool_call>{"name": "python", "arguments": [1]}</tool_call>', /are not an object/],
      ['<tool_call>{"name": "python", "arguments": "nope"}</tool_call>', /neither an object/],
      ['<tool_call>\n{"name": "python", "argu', /was never closed/],
    ];
    for (const [block, problem] of cases) {
      const text = `Let me see.\n${block}`;
      const { pieces, problems } = parse(text);
      expect(pieces).toEqual([{ type: 'text', text }]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(problem);
      expect(problems[0]).toMatch(/^<tool_call> block 1 .*; returned as text$/);
    }
  });

  it('takes a block the turn ended in as a call when it holds a whole one', () => {
    // Qwen2.5-Coder-1.5B, forced to call python, ends its turn after the JSON (recorded).
    const forced = '<tool_call>\n{"name": "python", "arguments":  {"code": "print(1234 * 5678)"}}';
    expect(parse(forced)).toMatchObject({
      pieces: [call('python', { code: 'print(1234 * 5678)' })],
      problems: [],
    });
    expect(
      parse('Now:\n```json\n{"name": "python", "arguments": {"code": "1"}}\n').pieces,
    ).toMatchObject([{ type: 'text', text: 'Now:' }, call('python', { code: '1' }, 'fenced-json')]);
    const [problem] = parse('<tool_call>{"name": "python", "arguments": {"co').problems;
    expect(problem).toMatch(
      /^<tool_call> block 1 was never closed and is not JSON \(.+\); returned as text$/,
    );
  });

  it('keeps the good calls of a completion whose other block is malformed', () => {
    const { pieces, problems } = parse(
      '<tool_call>{"name": "nope"}</tool_call><tool_call>{"name": "search", "arguments": {"query": "q"}}</tool_call>',
    );
    expect(pieces).toMatchObject([
      { type: 'text', text: '<tool_call>{"name": "nope"}</tool_call>' },
      call('search', { query: 'q' }),
    ]);
    expect(problems).toEqual([
      '<tool_call> block 1 names an unknown tool "nope" (tools: python, search); returned as text',
    ]);
  });

  it('reads a fenced JSON call as a call, and keeps the text around it', () => {
    const { pieces, problems } = parse(`Using Python:\n\n${FENCED_CALL}\n\nDone.`);
    expect(pieces).toMatchObject([
      { type: 'text', text: 'Using Python:' },
      call('python', { code: 'print(12 * (50 / 60))' }, 'fenced-json'),
      { type: 'text', text: 'Done.' },
    ]);
    expect(problems).toEqual([]);
    expect(parse(FENCED_CALL).pieces).toMatchObject([
      call('python', { code: 'print(12 * (50 / 60))' }, 'fenced-json'),
    ]);
  });

  it('leaves fenced code and JSON that is not a call as text, without a problem', () => {
    for (const text of [
      'Data:\n```json\n{"name": "Ann", "age": 3}\n```\nok',
      '```json\n{"name": "python", "arguments"\n```',
      'Code:\n```python\nprint("```")\n```\n',
      'inline ```json\n{"name": "python", "arguments": {}}\n``` is not at a line start',
    ])
      expect(parse(text)).toEqual({ pieces: [{ type: 'text', text }], problems: [] });
  });

  it('finds a fenced call after a code block (its closing fence opens nothing)', () => {
    const code = 'Plan:\n```python\nx = 1\n```';
    const { pieces } = parse(`${code}\nNow:\n${FENCED_CALL}`);
    expect(pieces).toMatchObject([
      { type: 'text', text: `${code}\nNow:` },
      call('python', { code: 'print(12 * (50 / 60))' }, 'fenced-json'),
    ]);
  });

  it('reports a fenced call to an unknown tool and keeps it as text', () => {
    const text = '```json\n{"name": "shell", "arguments": {"cmd": "ls"}}\n```';
    const { pieces, problems } = parse(text);
    expect(pieces).toEqual([{ type: 'text', text }]);
    expect(problems).toEqual([
      'fenced JSON call names an unknown tool "shell" (tools: python, search); returned as text',
    ]);
  });
});

describe('ToolCallParser, streamed', () => {
  const samples = [
    'I will compute it.\n<tool_call>\n{"name": "python", "arguments": {"code": "print(1234 * 5678)"}}\n</tool_call>',
    `Using Python:\n\n${FENCED_CALL}\n\nDone.`,
    'Plan:\n```python\nx = 1\n```\nNow <tool_c is not a tag, `` nor a fence\n',
    'Let me see.\n<tool_call>\n{"name": "shell", "arguments": {}}\n</tool_call> after',
    'Oops <tool_call>{"name": "python"',
  ];

  it('gives the same pieces in any chunking as the whole text', () => {
    for (const text of samples) {
      const whole = parse(text);
      for (const size of [1, 2, 3, 5, 8, 13]) {
        const parser = new ToolCallParser(options());
        const streamed: CompletionPiece[] = [];
        for (let at = 0; at < text.length; at += size)
          streamed.push(...parser.push(text.slice(at, at + size)));
        streamed.push(...parser.flush());
        const strip = (pieces: CompletionPiece[]) =>
          pieces.map((p) => (p.type === 'tool-call' ? { ...p, toolCallId: '' } : p));
        expect(strip(mergeText(streamed))).toEqual(strip(whole.pieces));
        expect(parser.problems).toEqual(whole.problems);
      }
    }
  });

  it('never releases part of a call as text', () => {
    const parser = new ToolCallParser(options());
    const text = samples[0] ?? '';
    const released: string[] = [];
    for (const char of text)
      for (const piece of parser.push(char)) if (piece.type === 'text') released.push(piece.text);
    expect(released.join('')).toBe('I will compute it.');
    expect(parser.flush()).toEqual([]);
  });

  it('releases text as it comes when it cannot open a block', () => {
    const parser = new ToolCallParser(options());
    expect(parser.push('The answer')).toEqual([{ type: 'text', text: 'The answer' }]);
    // Held: trailing whitespace and what may become `<tool_call>` or a fence.
    expect(parser.push(' is <tool')).toEqual([{ type: 'text', text: ' is' }]);
    expect(parser.push('s> 4\n``')).toEqual([{ type: 'text', text: ' <tools> 4' }]);
    expect(parser.push('`python\n')).toEqual([]);
    expect(parser.flush()).toEqual([{ type: 'text', text: '\n```python\n' }]);
  });
});
