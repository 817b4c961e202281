import { ValidationError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import { createLlamaCppModel, LlamaCppError } from './index.js';

function invalid(options: unknown, field: string): void {
  let thrown: unknown;
  try {
    createLlamaCppModel(options as never);
  } catch (error) {
    thrown = error;
  }
  expect(LlamaCppError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as LlamaCppError;
  expect(error.code).toBe('invalid_input');
  expect(error.message).toContain(`createLlamaCppModel: ${field}:`);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
  expect((error.cause as ValidationError).issues[0]?.path).toBe(field);
}

// Refused before any worker starts or any file is opened (the paths need not exist).
describe('createLlamaCppModel entry input', () => {
  it('refuses a missing model path', () => {
    invalid({ workers: 1 }, 'options.modelPath');
    invalid({ modelPath: 'm.gguf', lora: [{ scale: 1 }] }, 'options.lora[0].path');
  });

  it('refuses a wrong type, naming the field', () => {
    invalid({ modelPath: 'm.gguf', threads: '2' }, 'options.threads');
    invalid({ modelPath: 'm.gguf', reusePrefix: 'yes' }, 'options.reusePrefix');
  });

  it('refuses a misspelt option, naming it', () => {
    invalid({ modelPath: 'm.gguf', thread: 2 }, 'options.thread');
    invalid({ modelPath: 'm.gguf', lora: [{ path: 'a.gguf', scal: 0.5 }] }, 'options.lora[0].scal');
  });
});
