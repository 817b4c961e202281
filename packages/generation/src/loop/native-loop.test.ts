import { afterEach, describe, expect, it } from 'vitest';
import { createVllmProvider } from '../models/providers.js';
import { arithmeticRuntime } from '../testing/arithmetic-runtime.js';
import { type LoopbackServer, startLoopbackServer } from '../testing/index.js';
import { generateTrajectory } from './generate-trajectory.js';

const task = { id: 'six', question: 'What is 2 times 3?' };

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function native(replies: Parameters<typeof startLoopbackServer>[0]['reply']) {
  server = await startLoopbackServer({ reply: replies });
  const python = arithmeticRuntime('python');
  const trajectory = await generateTrajectory({
    model: createVllmProvider({ baseURL: server.baseURL }).languageModel('qwen'),
    task,
    tools: [python, arithmeticRuntime()],
    protocol: 'native',
    retry: { retries: 0 },
  });
  return { trajectory, python };
}

const issueCodes = (metadata: Record<string, unknown>) =>
  ((metadata.issues ?? []) as Array<{ code: string; message: string }>).map((i) => i.code);

// Shapes measured from Qwen2.5-Coder-1.5B-Instruct offered native tools (issue 27).
describe('native protocol: tool calls written as text', () => {
  it('records a ```python block with an invented ```output block as text-form-tool-call', async () => {
    const { trajectory, python } = await native(() => ({
      text: '```python\nprint(2*3)\n```\n```output\n6\n```\nThe answer is \\boxed{6}.',
    }));
    expect(python.calls).toEqual([]);
    expect(trajectory.steps.map((s) => s.type)).toEqual(['answer']);
    expect(trajectory.metadata.generation).toMatchObject({ toolCalls: 0 });
    const issues = trajectory.metadata.issues as Array<{ code: string; message: string }>;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.code).toBe('text-form-tool-call');
    expect(issues[0]!.message).toContain('python code written in a ```python block');
  });

  it('records a JSON call in a ```json block', async () => {
    const { trajectory } = await native(() => ({
      text: '```json\n{"name": "python", "arguments": {"code": "print(1+1)"}}\n```',
    }));
    const issues = trajectory.metadata.issues as Array<{ code: string; message: string }>;
    expect(issues.map((i) => i.code)).toEqual(['text-form-tool-call']);
    expect(issues[0]!.message).toContain('a python call written as JSON in a ```json block');
  });

  it('records nothing for a real call, nor for an answer quoting its code', async () => {
    const { trajectory, python } = await native((_, { callIndex }) =>
      callIndex === 0
        ? { toolCalls: [{ name: 'python', arguments: { code: 'print(2*3)' } }] }
        : { text: 'Running\n```python\nprint(2*3)\n```\ngave 6, so \\boxed{6}.' },
    );
    expect(python.calls).toEqual([{ code: 'print(2*3)' }]);
    expect(trajectory.steps.map((s) => s.type)).toEqual(['tool-call', 'tool-result', 'answer']);
    expect(issueCodes(trajectory.metadata)).toEqual([]);
  });
});
