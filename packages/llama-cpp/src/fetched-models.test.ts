import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelNotFetchedError } from './errors.js';
import { FETCHED_MODELS, fetchedModelPath, modelsDir } from './fetched-models.js';

describe('fetchedModelPath', () => {
  it('finds a fetched model by name in the models directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-models-'));
    writeFileSync(join(dir, FETCHED_MODELS.smollm2.file), 'x');
    expect(fetchedModelPath('smollm2', { modelsDir: dir })).toBe(
      join(dir, 'SmolLM2-135M-Instruct.Q4_1.gguf'),
    );
  });

  it('says to run ./dev models when the file is absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-models-'));
    let error: unknown;
    try {
      fetchedModelPath('gemma3', { modelsDir: dir });
    } catch (e) {
      error = e;
    }
    expect(ModelNotFetchedError.isInstance(error)).toBe(true);
    expect((error as ModelNotFetchedError).code).toBe('model_not_fetched');
    expect((error as Error).message).toContain('gemma-3-270m-q4_k_m.gguf does not exist');
    expect((error as Error).message).toContain('./dev models');
  });

  it('refuses an unknown name', () => {
    expect(() => fetchedModelPath('llama70b' as 'smollm2', { modelsDir: '/tmp' })).toThrow(
      /unknown model name \(known: qwen2.5-coder-1.5b, smollm2, gemma3\)/,
    );
  });

  it('finds the per-user cache without ./dev: AUTOTRAJ_MODELS_DIR, XDG_CACHE_HOME, ~/.cache', () => {
    expect(modelsDir({ AUTOTRAJ_MODELS_DIR: '/m', XDG_CACHE_HOME: '/x' })).toBe('/m');
    expect(modelsDir({ AUTOTRAJ_MODELS_DIR: '', XDG_CACHE_HOME: '/x' })).toBe(
      join('/x', 'autotraj', 'models'),
    );
    expect(modelsDir({})).toBe(join(homedir(), '.cache', 'autotraj', 'models'));
  });
});
