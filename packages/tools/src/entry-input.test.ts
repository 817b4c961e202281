import { ValidationError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  calculate,
  calculatorResultMatches,
  calculatorTool,
  createBm25Index,
  createCalculatorRuntime,
  createFlashRagClient,
  createPythonPool,
  createPythonRuntime,
  createSandboxFusionExecutor,
  createSearchRuntime,
  formatCalculatorOutput,
  formatSearchHits,
  PythonPoolError,
  pythonTool,
  searchTool,
  ToolInputError,
} from './index.js';

function invalid(call: () => unknown, field: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(PythonPoolError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as PythonPoolError;
  expect(error.code).toBe('invalid_input');
  expect(error.message).toContain(`createPythonPool: ${field}:`);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
  expect((error.cause as ValidationError).issues[0]?.path).toBe(field);
}

// No worker starts for any of these: the options are refused first.
describe('createPythonPool entry input', () => {
  it('refuses a wrong type, naming the field', () => {
    invalid(() => createPythonPool({ size: '2' } as never), 'options.size');
    invalid(() => createPythonPool({ isolation: 'docker' } as never), 'options.isolation');
    invalid(() => createPythonPool({ env: { A: 1 } } as never), 'options.env.A');
  });

  it('refuses a misspelt key, naming it (a pool would otherwise run with its defaults)', () => {
    invalid(() => createPythonPool({ sizes: 4 } as never), 'options.sizes');
    invalid(
      () => createPythonPool({ defaults: { timeout: 1000 } } as never),
      'options.defaults.timeout',
    );
  });

  it('refuses an empty interpreter path (every option is optional), and keeps its own range checks', () => {
    invalid(() => createPythonPool({ python: '' } as never), 'options.python');
    expect(() => createPythonPool({ size: 0 })).toThrow(RangeError);
  });
});

function invalidInput(call: () => unknown, entry: string, field: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(ToolInputError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as ToolInputError;
  expect(error.code).toBe('invalid_input');
  expect(error.field).toBe(field);
  expect(error.message).toContain(`${entry}: ${field}:`);
}

describe('createBm25Index entry input', () => {
  const docs = [
    { id: 'paris', title: 'Paris', text: 'Paris is the capital of France.' },
    { id: 'berlin', text: 'Berlin is the capital of Germany.', source: 'ignored' },
  ];

  it('indexes documents without their defaulted title, ignoring unknown document keys', () => {
    expect(createBm25Index(docs).searchSync('Germany')[0]).toMatchObject({
      id: 'berlin',
      title: '',
    });
  });

  it('refuses a missing field, a wrong type and a misspelt option, naming them', () => {
    invalidInput(() => createBm25Index([{ id: 'x' }] as never), 'createBm25Index', 'docs[0].text');
    invalidInput(
      () => createBm25Index([docs[0]!, { id: 2, text: 7 }] as never),
      'createBm25Index',
      'docs[1].text',
    );
    invalidInput(
      () => createBm25Index(docs, { k1: '1.2' } as never),
      'createBm25Index',
      'options.k1',
    );
    invalidInput(
      () => createBm25Index(docs, { stopword: [] } as never),
      'createBm25Index',
      'options.stopword',
    );
    invalidInput(() => createBm25Index(7 as never), 'createBm25Index', 'docs');
    invalidInput(
      () => createBm25Index(docs).searchSync('x', { top: 3 } as never),
      'bm25Index.search',
      'options.top',
    );
  });
});

describe('remote clients: entry input', () => {
  const fetch = (() => {
    throw new Error('no request may be sent');
  }) as never;

  it('createFlashRagClient refuses a missing field, a wrong type and a misspelt key', async () => {
    invalidInput(
      () => createFlashRagClient({} as never),
      'createFlashRagClient',
      'options.baseURL',
    );
    invalidInput(
      () => createFlashRagClient({ baseURL: 'http://h', timeoutMs: '5' } as never),
      'createFlashRagClient',
      'options.timeoutMs',
    );
    invalidInput(
      () => createFlashRagClient({ baseURL: 'http://h', timeout: 5000 } as never),
      'createFlashRagClient',
      'options.timeout',
    );
    invalidInput(
      () => createFlashRagClient({ baseURL: 'not a url' }),
      'createFlashRagClient',
      'options.baseURL',
    );
    const client = createFlashRagClient({ baseURL: 'http://127.0.0.1:9', fetch });
    const error = await client.search('q', { top_n: 3 } as never).catch((e: unknown) => e);
    invalidInput(
      () => {
        throw error;
      },
      'flashRagClient.search',
      'options.top_n',
    );
  });

  it('createSandboxFusionExecutor refuses a missing field, a wrong type and a misspelt key', () => {
    invalidInput(
      () => createSandboxFusionExecutor({} as never),
      'createSandboxFusionExecutor',
      'options.baseURL',
    );
    invalidInput(
      () => createSandboxFusionExecutor({ baseURL: 'http://h', httpSlackMs: '1' } as never),
      'createSandboxFusionExecutor',
      'options.httpSlackMs',
    );
    invalidInput(
      () => createSandboxFusionExecutor({ baseURL: 'http://h', defaults: { timeout: 1 } } as never),
      'createSandboxFusionExecutor',
      'options.defaults.timeout',
    );
  });
});

describe('tool runtimes and ai SDK tools: entry input', () => {
  // A stand-in executor: these checks run before any call reaches it.
  const pool = { run: async () => ({}), endSession: async () => {} } as never;
  const index = createBm25Index([{ id: 'a', text: 'Paris is in France.' }]);

  it('build with valid options', async () => {
    expect(createPythonRuntime({ pool, limits: { timeoutMs: 100 } }).name).toBe('python');
    expect(
      (await createCalculatorRuntime({ precision: 6 }).run({ expression: '1/3' })).output,
    ).toBe('0.333333');
    expect(createSearchRuntime({ index, topK: 1 }).name).toBe('search');
    expect(pythonTool({ pool, sessionId: 's1' })).toBeDefined();
    expect(calculatorTool({ description: 'math' })).toBeDefined();
    expect(searchTool({ client: index })).toBeDefined();
  });

  it('refuse a missing field, naming it', () => {
    invalidInput(() => createPythonRuntime({} as never), 'createPythonRuntime', 'options.pool');
    invalidInput(
      () => createSearchRuntime({ topK: 2 } as never),
      'createSearchRuntime',
      'options.client',
    );
    invalidInput(() => pythonTool({} as never), 'pythonTool', 'options.pool');
    invalidInput(() => searchTool({} as never), 'searchTool', 'options.client');
  });

  it('refuse a wrong type, naming the field', () => {
    invalidInput(
      () => createPythonRuntime({ pool: { run: () => 1 } } as never),
      'createPythonRuntime',
      'options.pool',
    );
    invalidInput(
      () => createPythonRuntime({ pool, limits: { timeoutMs: '5' } } as never),
      'createPythonRuntime',
      'options.limits.timeoutMs',
    );
    invalidInput(
      () => createCalculatorRuntime({ normalize: 'yes' } as never),
      'createCalculatorRuntime',
      'options.normalize',
    );
    invalidInput(
      () => createSearchRuntime({ index, topK: 0 }),
      'createSearchRuntime',
      'options.topK',
    );
    invalidInput(
      () => createSearchRuntime({ index, client: index } as never),
      'createSearchRuntime',
      'options.client',
    );
  });

  it('refuse a misspelt key, naming it (the setting would otherwise be ignored)', () => {
    invalidInput(
      () => createPythonRuntime({ pool, limit: {} } as never),
      'createPythonRuntime',
      'options.limit',
    );
    invalidInput(
      () => createPythonRuntime({ pool, limits: { sessionId: 'x' } } as never),
      'createPythonRuntime',
      'options.limits.sessionId',
    );
    invalidInput(
      () => calculatorTool({ precison: 3 } as never),
      'calculatorTool',
      'options.precison',
    );
    invalidInput(
      () => searchTool({ client: index, topk: 3 } as never),
      'searchTool',
      'options.topk',
    );
    invalidInput(
      () => pythonTool({ pool, session: 's' } as never),
      'pythonTool',
      'options.session',
    );
  });
});

describe('calculator and output formatters: entry input', () => {
  const hit = { id: 'p', title: 'Paris', text: 'Paris is the capital.', score: 1 };

  it('take well-formed arguments', () => {
    const result = calculate('6*7');
    expect(result).toMatchObject({ ok: true, text: '42' });
    expect(calculate('1/3', { precision: 3 })).toMatchObject({ text: '0.333' });
    expect(calculatorResultMatches('42', result)).toBe(true);
    expect(formatCalculatorOutput(result)).toBe('42');
    expect(formatSearchHits([hit])).toContain('(Title: Paris)');
  });

  it('refuse a missing field, naming it', () => {
    invalidInput(
      () => calculatorResultMatches('42', { ok: true } as never),
      'calculatorResultMatches',
      'result',
    );
    const { text: _t, ...noText } = hit;
    invalidInput(() => formatSearchHits([noText] as never), 'formatSearchHits', 'hits[0].text');
  });

  it('refuse a wrong type, naming the field', () => {
    invalidInput(() => calculate(42 as never), 'calculate', 'expression');
    invalidInput(
      () => calculate('1', { precision: '3' } as never),
      'calculate',
      'options.precision',
    );
    invalidInput(() => formatCalculatorOutput('42' as never), 'formatCalculatorOutput', 'result');
  });

  it('refuse a misspelt option key, naming it', () => {
    invalidInput(
      () => calculate('1', { normalise: false } as never),
      'calculate',
      'options.normalise',
    );
  });
});
