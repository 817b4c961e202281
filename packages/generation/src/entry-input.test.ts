import { ValidationError } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  createVllmProvider,
  GenerationConfigError,
  generateTrajectory,
  sampleCandidates,
} from './index.js';
import {
  arithmeticRuntime,
  assistantPrefix,
  continueTagScript,
  type LoopbackServer,
  startLoopbackServer,
} from './testing/index.js';

const script = '<think>Six times seven.</think>\n<answer>\\boxed{42}</answer>';
let server: LoopbackServer;
let calls = 0;
beforeAll(async () => {
  server = await startLoopbackServer({
    reply: (request) => {
      calls++;
      return { text: continueTagScript(script, assistantPrefix(request.messages)) };
    },
  });
});
afterAll(() => server.close());

const base = () => ({
  model: createVllmProvider({ baseURL: server.baseURL }).languageModel('policy'),
  task: { id: 'q1', question: 'What is 6 * 7?' },
  tools: [arithmeticRuntime()],
});

async function invalid(call: () => unknown, entry: string, field: string): Promise<void> {
  const before = calls;
  let thrown: unknown;
  try {
    await call();
  } catch (error) {
    thrown = error;
  }
  expect(GenerationConfigError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as GenerationConfigError;
  expect(error.code).toBe('invalid_input');
  expect(error.message).toContain(`${entry}: ${field}:`);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
  expect((error.cause as ValidationError).issues[0]?.path).toBe(field);
  // Refused before any model call.
  expect(calls).toBe(before);
}

describe('generation entry input', () => {
  it('generates for a task given as { id, question } (unknown task keys ignored)', async () => {
    const opts = base();
    const trajectory = await generateTrajectory({
      ...opts,
      task: { ...opts.task, source: 'mine' },
    } as never);
    expect(trajectory.finalAnswer).toBe('42');
    expect(trajectory.taskId).toBe('q1');
  });

  it('refuses a missing field, naming it', async () => {
    const { tools: _t, ...noTools } = base();
    await invalid(
      () => generateTrajectory(noTools as never),
      'generateTrajectory',
      'options.tools',
    );
    await invalid(
      () => generateTrajectory({ ...base(), task: { id: 'q1' } } as never),
      'generateTrajectory',
      'options.task.question',
    );
  });

  it('refuses a wrong type, naming the field', async () => {
    await invalid(
      () => sampleCandidates({ ...base(), n: '2' } as never),
      'sampleCandidates',
      'options.n',
    );
    await invalid(
      () => generateTrajectory({ ...base(), prefix: [{ type: 'think', text: 3 }] } as never),
      'generateTrajectory',
      'options.prefix[0].text',
    );
  });

  it('refuses a misspelt option key, naming it', async () => {
    await invalid(
      () => generateTrajectory({ ...base(), maxToolCall: 2 } as never),
      'generateTrajectory',
      'options.maxToolCall',
    );
    await invalid(
      () => sampleCandidates({ ...base(), n: 1, sampling: { temprature: 0.3 } } as never),
      'sampleCandidates',
      'options.sampling.temprature',
    );
  });
});
