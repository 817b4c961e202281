import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  aiToolsFromRuntimes,
  callWithRetry,
  createCompatibleProvider,
  createCompletionsModel,
  createLimiter,
  createOpenAIChatProvider,
  createRecordingModel,
  createReplayModel,
  createVllmProvider,
  defaultPrompt,
  formatShard,
  GenerationConfigError,
  generateTrajectory,
  generationPrompt,
  generationPromptTurns,
  isInShard,
  jinjaChatTemplate,
  loadChatTemplate,
  markContinuation,
  markdownInstructions,
  nativeInstructions,
  readCassette,
  readTasksJsonl,
  renderTaskPrompt,
  requestKey,
  resolveModel,
  resolvePrompt,
  sampleCandidates,
  shardIndexOf,
  tirInstructions,
  withoutContinuation,
  withRetries,
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

describe('model and provider factories, retries and the task prompt: entry input', () => {
  const model = () => createVllmProvider({ baseURL: server.baseURL }).languageModel('policy');
  const template = defaultPrompt('generation', 'text-tags');
  const values = { question: 'What is 6 * 7?', toolNames: ['python'], maxToolCalls: 4 };

  it('build from well-formed options', async () => {
    expect(withRetries(model(), { retries: 1 }).modelId).toBe('policy');
    expect(
      createCompatibleProvider({ baseURL: server.baseURL, continuation: 'prefill' }),
    ).toBeDefined();
    expect(createReplayModel({ cassette: [], modelId: 'm' }).modelId).toBe('m');
    expect(resolveModel({ model: `vllm:policy`, baseURL: server.baseURL }).modelName).toBe(
      'vllm:policy',
    );
    expect(renderTaskPrompt(template, values).user).toContain('What is 6 * 7?');
    expect(await callWithRetry(async () => 7, { retries: 0 })).toBe(7);
  });

  it('refuse a missing field, naming it', async () => {
    await invalid(() => createVllmProvider({} as never), 'createVllmProvider', 'options.baseURL');
    await invalid(
      () => createCompletionsModel({ baseURL: server.baseURL } as never),
      'createCompletionsModel',
      'options.modelId',
    );
    await invalid(
      () => createOpenAIChatProvider({} as never),
      'createOpenAIChatProvider',
      'options.apiKey',
    );
    await invalid(
      () => createRecordingModel({ cassette: 'c.jsonl' } as never),
      'createRecordingModel',
      'options.model',
    );
    const { question: _q, ...noQuestion } = values;
    await invalid(
      () => renderTaskPrompt(template, noQuestion as never),
      'renderTaskPrompt',
      'values.question',
    );
  });

  it('refuse a wrong type, naming the field', async () => {
    await invalid(() => withRetries({} as never), 'withRetries', 'model');
    await invalid(() => withRetries(model(), { retries: -1 }), 'withRetries', 'options.retries');
    await invalid(
      () => createCompatibleProvider({ baseURL: server.baseURL, continuation: 'native' } as never),
      'createCompatibleProvider',
      'options.continuation',
    );
    await invalid(
      () => createReplayModel({ cassette: 7 } as never),
      'createReplayModel',
      'options.cassette',
    );
    await invalid(() => resolveModel({ model: 7 } as never), 'resolveModel', 'spec.model');
    await invalid(
      () => renderTaskPrompt({ ...template, version: 0 }, values),
      'renderTaskPrompt',
      'template.version',
    );
    await invalid(() => callWithRetry('f' as never), 'callWithRetry', 'fn');
  });

  it('refuse a misspelt option key, naming it', async () => {
    await invalid(
      () => createVllmProvider({ baseUrl: server.baseURL } as never),
      'createVllmProvider',
      'options.baseUrl',
    );
    await invalid(
      () => withRetries(model(), { retry: 2 } as never),
      'withRetries',
      'options.retry',
    );
    await invalid(
      () => resolveModel({ model: 'vllm:policy', baseUrl: server.baseURL } as never),
      'resolveModel',
      'spec.baseUrl',
    );
    await invalid(
      () => renderTaskPrompt(template, { ...values, note: 'x' } as never),
      'renderTaskPrompt',
      'values.note',
    );
    await invalid(
      () => callWithRetry(async () => 1, { retires: 2 } as never),
      'callWithRetry',
      'options.retires',
    );
  });
});

describe('prompt builders, the ai SDK tool bridge and the limiter: entry input', () => {
  it('build from well-formed options', () => {
    expect(tirInstructions({ toolNames: ['python'], maxToolCalls: 3 })).toContain('at most 3');
    expect(markdownInstructions({ maxToolCalls: 2 })).toContain('at most 2');
    expect(generationPrompt({ question: 'q?', toolNames: [] }).rendered.user).toContain('q?');
    expect(generationPromptTurns({ question: 'q?', toolNames: [] })?.user).toContain('q?');
    expect(
      Object.keys(aiToolsFromRuntimes([arithmeticRuntime()], { sessionId: 's' })),
    ).toHaveLength(1);
    expect(createLimiter(2).concurrency).toBe(2);
  });

  it('refuse a missing field, naming it', async () => {
    await invalid(
      () => nativeInstructions({} as never),
      'nativeInstructions',
      'options.maxToolCalls',
    );
    await invalid(
      () => generationPrompt({ toolNames: [] } as never),
      'generationPrompt',
      'options.question',
    );
    await invalid(
      () => aiToolsFromRuntimes([arithmeticRuntime()], {} as never),
      'aiToolsFromRuntimes',
      'options.sessionId',
    );
  });

  it('refuse a wrong type, naming the field', async () => {
    await invalid(
      () => tirInstructions({ toolNames: 'python', maxToolCalls: 3 } as never),
      'tirInstructions',
      'options.toolNames',
    );
    await invalid(
      () => generationPromptTurns({ question: 'q?', toolNames: [], protocol: 'tags' } as never),
      'generationPromptTurns',
      'options.protocol',
    );
    await invalid(
      () => aiToolsFromRuntimes([{}] as never, { sessionId: 's' }),
      'aiToolsFromRuntimes',
      'runtimes[0]',
    );
    await invalid(() => createLimiter(0), 'createLimiter', 'concurrency');
  });

  it('refuse a misspelt key, naming it', async () => {
    await invalid(
      () => tirInstructions({ toolNames: [], maxToolCall: 3 } as never),
      'tirInstructions',
      'options.maxToolCall',
    );
    await invalid(
      () =>
        generationPrompt({ question: 'q?', toolNames: [], promptValues: { note: 'x' } } as never),
      'generationPrompt',
      'options.promptValues.note',
    );
  });
});

describe('task reader and Jinja template: entry input', () => {
  it('check path and options when called', async () => {
    expect(jinjaChatTemplate('{{ messages[0].content }}')([{ role: 'user', content: 'hi' }])).toBe(
      'hi',
    );
    await invalid(() => readTasksJsonl(undefined as never), 'readTasksJsonl', 'path');
    await invalid(
      () => readTasksJsonl('tasks.jsonl', { limit: '2' } as never),
      'readTasksJsonl',
      'options.limit',
    );
    await invalid(
      () => readTasksJsonl('tasks.jsonl', { limt: 2 } as never),
      'readTasksJsonl',
      'options.limt',
    );
    await invalid(
      () => jinjaChatTemplate('x', { eos: '</s>' } as never),
      'jinjaChatTemplate',
      'options.eos',
    );
    await invalid(() => jinjaChatTemplate(7 as never), 'jinjaChatTemplate', 'source');
  });
});

describe('chat template and cassette files: entry input', () => {
  // One string each, no options: a missing or wrong-typed one is named before any file is read
  // (it was a read of the file "undefined", reported as unreadable).
  it('read a named template and an empty cassette', () => {
    expect(loadChatTemplate('chatml')([{ role: 'user', content: 'hi' }])).toContain('hi');
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      writeFileSync(join(dir, 'c.jsonl'), '\n');
      expect(readCassette(join(dir, 'c.jsonl'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuse a missing or wrong-typed argument, naming it', async () => {
    await invalid(() => loadChatTemplate(undefined as never), 'loadChatTemplate', 'source');
    await invalid(
      () => loadChatTemplate({ path: 'x.jinja' } as never),
      'loadChatTemplate',
      'source',
    );
    await invalid(() => readCassette(undefined as never), 'readCassette', 'path');
    await invalid(() => readCassette(['c.jsonl'] as never), 'readCassette', 'path');
  });
});

describe('shard, prompt, continuation and cassette-key helpers: entry input', () => {
  const shard = { index: 1, count: 4, source: 'flag' } as const;
  const model = () => createVllmProvider({ baseURL: server.baseURL }).languageModel('policy');

  it('take well-formed arguments (a manifest shard record with its spec too)', () => {
    expect(shardIndexOf('q1', 4)).toBeLessThan(4);
    expect(isInShard('q1', { ...shard, index: shardIndexOf('q1', 4) })).toBe(true);
    expect(isInShard('q1', { ...shard, index: shardIndexOf('q1', 4), spec: '1/4' } as never)).toBe(
      true,
    );
    expect(formatShard(shard)).toBe('1/4');
    expect(
      resolvePrompt(defaultPrompt('generation', 'text-tags').name, { kind: 'generation' }).kind,
    ).toBe('generation');
    const m = model();
    expect(markContinuation(m, 'vllm')).toBe(m);
    expect(
      requestKey({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] } as never),
    ).toMatch(/^req_/);
  });

  it('refuse a missing field, naming it', async () => {
    await invalid(() => isInShard('q1', { count: 4 } as never), 'isInShard', 'shard.index');
    await invalid(
      () => resolvePrompt('tags-example', {} as never),
      'resolvePrompt',
      'expected.kind',
    );
    await invalid(() => requestKey({} as never), 'requestKey', 'options.prompt');
    await invalid(() => withoutContinuation(undefined as never), 'withoutContinuation', 'model');
  });

  it('refuse a wrong type or value, naming the field (a count of 0 was shard NaN)', async () => {
    await invalid(() => shardIndexOf('q1', 0), 'shardIndexOf', 'count');
    await invalid(() => formatShard({ index: 4, count: 4 }), 'formatShard', 'shard.index');
    await invalid(() => defaultPrompt('generation', 'tags' as never), 'defaultPrompt', 'protocol');
    await invalid(() => markContinuation(model(), 'server' as never), 'markContinuation', 'mode');
  });

  it('refuse a misspelt key, naming it', async () => {
    await invalid(
      () => resolvePrompt('tags-example', { kind: 'generation', protocl: 'native' } as never),
      'resolvePrompt',
      'expected.protocl',
    );
  });
});
