import { toolResultStep } from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { createPythonPool } from '../python/pool.js';
import { createBm25Index } from '../search/bm25.js';
import type { SearchClient } from '../search/types.js';
import { createCalculatorRuntime, createPythonRuntime, createSearchRuntime } from './runtimes.js';

const pool = createPythonPool({ size: 1 });
afterAll(() => pool.close());

describe('tool runtimes', () => {
  it('python: { code } in, ToRA-style output, sessions through the run context', async () => {
    const python = createPythonRuntime({ pool });
    expect(python.name).toBe('python');
    await python.run({ code: 'total = 40' }, { sessionId: 't1' });
    const ok = await python.run({ code: 'print(total + 2)' }, { sessionId: 't1' });
    expect(ok).toMatchObject({ output: '42', isError: false, timedOut: false });
    const failed = await python.run({ code: 'print("partial")\n[][1]' }, { sessionId: 't1' });
    expect(failed).toMatchObject({
      output: 'partial\nIndexError: list index out of range',
      isError: true,
    });
    await python.endSession!('t1');
    expect((await python.run({ code: 'print(total)' }, { sessionId: 't1' })).output).toBe(
      "NameError: name 'total' is not defined",
    );
    const step = toolResultStep({ callId: 'call-1', toolName: 'python', result: ok });
    expect(step).toMatchObject({
      type: 'tool-result',
      callId: 'call-1',
      output: '42',
      isError: false,
    });
  });

  it('python: a timeout is an error result with timedOut, and bad input names the field', async () => {
    const python = createPythonRuntime({ pool, limits: { timeoutMs: 300 } });
    expect(await python.run({ code: 'while True: pass' })).toMatchObject({
      isError: true,
      timedOut: true,
    });
    expect(await python.run({ source: 'print(1)' })).toMatchObject({
      isError: true,
      output: expect.stringContaining('field code'),
    });
    expect(await python.run('print(7)')).toMatchObject({ output: '7', isError: false });
  });

  it('calculator: { expression } in, the annotation text out', async () => {
    const calculator = createCalculatorRuntime();
    expect(calculator.name).toBe('calculator');
    expect(await calculator.run({ expression: '48/2' })).toMatchObject({
      output: '24',
      isError: false,
    });
    expect(await calculator.run({ expression: 'x+1' })).toMatchObject({
      output: 'UndefinedSymbol: undefined symbol x',
      isError: true,
    });
    expect(await calculator.run({ expr: '1' })).toMatchObject({
      isError: true,
      output: expect.stringContaining('field expression'),
    });
  });

  it('search: { query } in, numbered passages out; client failures become error results', async () => {
    const index = createBm25Index([
      { id: '1', title: 'Paris', text: 'Paris is the capital of France.' },
      { id: '2', title: 'Berlin', text: 'Berlin is the capital of Germany.' },
    ]);
    const search = createSearchRuntime({ index, topK: 1 });
    expect(search.name).toBe('search');
    expect(await search.run({ query: 'capital of Germany' })).toMatchObject({
      output: 'Doc 1 (Title: Berlin) Berlin is the capital of Germany.',
      isError: false,
    });
    expect((await search.run({ query: 'capital', topK: 2 })).output.split('\n')).toHaveLength(2);
    const broken: SearchClient = { search: async () => Promise.reject(new Error('service down')) };
    expect(await createSearchRuntime({ client: broken }).run({ query: 'q' })).toMatchObject({
      isError: true,
      output: 'SearchError: service down',
    });
  });
});
