import { ValidationError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import { createPythonPool, PythonPoolError } from './index.js';

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
