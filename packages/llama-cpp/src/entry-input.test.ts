import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  createLlamaCppModel,
  detectToolCalling,
  fetchedModelPath,
  LlamaCppError,
  LlamaCppLanguageModel,
  llamaCppSource,
  ModelNotFetchedError,
  modelsDir,
  readGgufSummary,
  verifiedFetchedModelPath,
} from './index.js';

async function refused(call: () => unknown, entry: string, field: string): Promise<void> {
  let thrown: unknown;
  try {
    await call();
  } catch (error) {
    thrown = error;
  }
  expect(LlamaCppError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as LlamaCppError;
  expect(error.code).toBe('invalid_input');
  expect(error.message).toContain(`${entry}: ${field}:`);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
  expect((error.cause as ValidationError).issues[0]?.path).toBe(field);
}

function invalid(options: unknown, field: string): Promise<void> {
  return refused(() => createLlamaCppModel(options as never), 'createLlamaCppModel', field);
}

// Refused before any worker starts or any file is opened (the paths need not exist).
describe('createLlamaCppModel entry input', () => {
  it('refuses a missing model path', async () => {
    await invalid({ workers: 1 }, 'options.modelPath');
    await invalid({ modelPath: 'm.gguf', lora: [{ scale: 1 }] }, 'options.lora[0].path');
  });

  it('refuses a wrong type, naming the field', async () => {
    await invalid({ modelPath: 'm.gguf', threads: '2' }, 'options.threads');
    await invalid({ modelPath: 'm.gguf', reusePrefix: 'yes' }, 'options.reusePrefix');
  });

  it('refuses a misspelt option, naming it', async () => {
    await invalid({ modelPath: 'm.gguf', thread: 2 }, 'options.thread');
    await invalid(
      { modelPath: 'm.gguf', lora: [{ path: 'a.gguf', scal: 0.5 }] },
      'options.lora[0].scal',
    );
  });
});

// `new LlamaCppLanguageModel` is as public as the factory: the same check, before any worker.
describe('LlamaCppLanguageModel constructor: entry input', () => {
  it('refuses a missing field, a wrong type and a misspelt option', async () => {
    const make = (options: unknown) => () => new LlamaCppLanguageModel(options as never);
    const entry = 'new LlamaCppLanguageModel';
    await refused(make({ workers: 1 }), entry, 'options.modelPath');
    await refused(make({ modelPath: 'm.gguf', workers: '2' }), entry, 'options.workers');
    await refused(make({ modelPath: 'm.gguf', worker: 2 }), entry, 'options.worker');
    expect(new LlamaCppLanguageModel({ modelPath: 'm.gguf' }).modelId).toBe('m.gguf');
  });
});

// Refused before any file is looked at or any cache directory made.
describe('model files, cache and templates: entry input', () => {
  it('take well-formed arguments; an unknown model name is still ModelNotFetchedError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llama-entry-'));
    try {
      expect(modelsDir({ AUTOTRAJ_MODELS_DIR: dir })).toBe(dir);
      expect(() => fetchedModelPath('smollm2', { modelsDir: dir })).toThrow(ModelNotFetchedError);
      expect(() => fetchedModelPath('gpt-9' as never, { modelsDir: dir })).toThrow(
        ModelNotFetchedError,
      );
      expect(detectToolCalling('{{ messages }}').supported).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuse a missing field, naming it', async () => {
    await refused(() => fetchedModelPath(undefined as never), 'fetchedModelPath', 'name');
    await refused(
      () => verifiedFetchedModelPath(undefined as never),
      'verifiedFetchedModelPath',
      'name',
    );
    await refused(() => readGgufSummary(undefined as never), 'readGgufSummary', 'file');
    await refused(() => detectToolCalling(undefined as never), 'detectToolCalling', 'source');
  });

  it('refuse a wrong type, naming the field (async ones reject)', async () => {
    await refused(
      () => fetchedModelPath('smollm2', { modelsDir: 7 } as never),
      'fetchedModelPath',
      'options.modelsDir',
    );
    await refused(
      () => modelsDir({ XDG_CACHE_HOME: 7 } as never),
      'modelsDir',
      'env.XDG_CACHE_HOME',
    );
    await refused(() => modelsDir('~/.cache' as never), 'modelsDir', 'env');
    const pending = llamaCppSource({ cacheDir: 7 } as never);
    expect(pending).toBeInstanceOf(Promise);
    await refused(() => pending, 'llamaCppSource', 'options.cacheDir');
    await refused(() => readGgufSummary({ path: 'm.gguf' } as never), 'readGgufSummary', 'file');
  });

  it('refuse a misspelt option key, naming it (was the default cache)', async () => {
    await refused(
      () => fetchedModelPath('smollm2', { modelDir: '/models' } as never),
      'fetchedModelPath',
      'options.modelDir',
    );
    await refused(
      () => verifiedFetchedModelPath('smollm2', { modelDir: '/models' } as never),
      'verifiedFetchedModelPath',
      'options.modelDir',
    );
    await refused(
      () => llamaCppSource({ cachedir: '/tmp/x' } as never),
      'llamaCppSource',
      'options.cachedir',
    );
  });
});
