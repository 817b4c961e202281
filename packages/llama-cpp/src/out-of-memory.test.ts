import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { LlamaCppError } from './errors.js';
import { createLlamaCppModel, type LlamaCppModelOptions } from './language-model.js';
import { realModelPath } from './test-support/models.js';
import { childPids } from './test-support/processes.js';

const smollm2 = realModelPath('smollm2');
const qwen = realModelPath('qwen2.5-coder-1.5b');

function hasPrlimit(): boolean {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Memory really runs out, in llama.cpp itself: a worker gets an address-space limit (`prlimit
// --as`, what `ulimit -v` sets) once node-llama-cpp's runtime is in it (its CPU backend library is
// mapped) and before it maps the weights: its address space then plus 700 MB. SmolLM2 with a
// 2048-token context grew a worker by ~470 MB from there; Qwen2.5-Coder-1.5B's weights alone are
// 1066 MB. (A limit from the start cannot work: Node's TypeScript stripping reserves ~10 GB of
// address space for WebAssembly.)
const HEADROOM = 700 * 1024 * 1024;

function vmSize(pid: number): number {
  const kb = /VmSize:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

function runtimeLoaded(pid: number): boolean {
  return readFileSync(`/proc/${pid}/maps`, 'utf8').includes('libggml-cpu');
}

/** Loads a model whose workers run under the limit; resolves with ready()'s outcome. */
async function loadLimited(options: LlamaCppModelOptions) {
  const known = new Set(childPids(process.pid));
  const model = createLlamaCppModel(options);
  let loading = true;
  const limiting = (async () => {
    const limited = new Set<number>();
    while (loading) {
      for (const pid of childPids(process.pid))
        if (!known.has(pid) && !limited.has(pid) && runtimeLoaded(pid)) {
          const limit = vmSize(pid) + HEADROOM;
          execFileSync('prlimit', ['--pid', String(pid), `--as=${limit}:${limit}`]);
          limited.add(pid);
        }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return limited.size;
  })();
  const outcome = await model.ready().then(
    (info) => ({ info, error: undefined }),
    (error: unknown) => ({ info: undefined, error }),
  );
  loading = false;
  return { model, limited: await limiting, ...outcome };
}

function expectOutOfMemory(error: unknown, file: string, evidence: RegExp): void {
  expect(LlamaCppError.isInstance(error), String(error)).toBe(true);
  const typed = error as LlamaCppError;
  expect(typed.code, typed.message).toBe('out_of_memory');
  expect(typed.message).toContain(file);
  expect(typed.message).toMatch(evidence);
  expect(typed.message).toMatch(/MB free/);
}

describe.skipIf(!hasPrlimit())('out of memory while loading (a real address-space limit)', () => {
  it.skipIf(smollm2 === undefined)('within the limit, SmolLM2 loads and answers', async () => {
    const { model, error, limited } = await loadLimited({
      modelPath: smollm2 ?? '',
      contextSize: 2048,
    });
    expect(limited).toBe(1);
    expect(error).toBeUndefined();
    const { text } = await generateText({ model, prompt: 'Hi', maxOutputTokens: 4 });
    expect(text.length).toBeGreaterThan(0);
    await model.close();
  });

  it.skipIf(qwen === undefined)(
    'weights that do not fit: out_of_memory naming the file, with llama.cpp’s reason',
    async () => {
      const { model, error, limited } = await loadLimited({
        modelPath: qwen ?? '',
        contextSize: 2048,
      });
      expect(limited).toBe(1);
      expectOutOfMemory(error, qwen ?? '', /mmap failed: Cannot allocate memory/);
      expect(error instanceof Error && error.message).toMatch(/the weights of .* \(1066 MB\)/);
      await model.close();
    },
  );
});

describe.skipIf(smollm2 === undefined)(
  'a context too large for this machine (real SmolLM2)',
  () => {
    it('is out_of_memory with the context size and the memory there is', async () => {
      // 4M tokens of KV cache are ~88 GB: node-llama-cpp's estimate refuses it before allocating
      // (llama.cpp's own allocation would fail the same way: `failed to allocate buffer for kv cache`).
      const model = createLlamaCppModel({ modelPath: smollm2 ?? '', contextSize: 4_000_000 });
      const error = await model.ready().then(
        () => undefined,
        (e: unknown) => e,
      );
      expectOutOfMemory(error, smollm2 ?? '', /too large for the available RAM/);
      expect(error instanceof Error && error.message).toContain('a context of 4000000 tokens');
      await model.close();
    });
  },
);
