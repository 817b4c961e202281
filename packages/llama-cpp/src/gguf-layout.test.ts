import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { GgufFileError } from './errors.js';
import { readGgufSummary } from './gguf-info.js';
import { GGML_TYPE_SIZES, tensorBytes } from './gguf-layout.js';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';
import { childPids } from './test-support/processes.js';

const smollm2 = realModelPath('smollm2');

describe('tensor sizes', () => {
  it('are the runtime’s own: every ggml type llama.cpp loads, with its block and byte size', async () => {
    const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true });
    // Internal bindings of node-llama-cpp: the source of truth the table was read from.
    const bindings = (
      llama as unknown as {
        _bindings: {
          getTypeSizeForGgmlType(type: number): number | undefined;
          getBlockSizeForGgmlType(type: number): number | undefined;
        };
      }
    )._bindings;
    const runtime = new Map<number, readonly [number, number]>();
    for (let type = 0; type < 64; type++) {
      const bytes = bindings.getTypeSizeForGgmlType(type);
      const block = bindings.getBlockSizeForGgmlType(type);
      if (bytes && block) runtime.set(type, [block, bytes]);
    }
    await llama.dispose();
    expect([...GGML_TYPE_SIZES]).toEqual([...runtime]);
  });

  it('a row of quantized blocks, and what no file can hold', () => {
    const tensor = { name: 't', fileOffset: 0, filePart: 1 };
    // Q4_K: 256 elements in 144 bytes.
    expect(tensorBytes({ ...tensor, ggmlType: 12, dimensions: [1536, 576] })).toBe(
      (1536 / 256) * 144 * 576,
    );
    expect(tensorBytes({ ...tensor, ggmlType: 0, dimensions: [576] })).toBe(2304);
    expect(tensorBytes({ ...tensor, ggmlType: 99, dimensions: [4] })).toMatch(
      /unknown ggml type 99/,
    );
    expect(tensorBytes({ ...tensor, ggmlType: 12, dimensions: [100] })).toMatch(/multiple/);
  });
});

describe.skipIf(smollm2 === undefined)('a damaged GGUF file (copies of SmolLM2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autotraj-damaged-gguf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const copy = (name: string, damage: (file: string) => void) => {
    const file = join(dir, name);
    copyFileSync(smollm2 ?? '', file);
    damage(file);
    return file;
  };
  const overwrite = (file: string, at: number, bytes: Buffer) => {
    const fd = openSync(file, 'r+');
    writeSync(fd, bytes, 0, bytes.length, at);
    closeSync(fd);
  };
  const failure = async (file: string) => {
    const error = await readGgufSummary(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(GgufFileError.isInstance(error), String(error)).toBe(true);
    const typed = error as GgufFileError;
    expect(typed.file).toBe(file);
    expect(typed.message.startsWith(`${file}: `)).toBe(true);
    return typed;
  };

  it('the intact file passes', async () => {
    expect((await readGgufSummary(smollm2 ?? '')).architecture).toBe('llama');
  });

  it('cut short anywhere in its weights: truncated, with the sizes', async () => {
    for (const keep of [2_000_000, 98_362_432 - 1000]) {
      const file = copy(`cut-${keep}.gguf`, (f) => truncateSync(f, keep));
      const error = await failure(file);
      expect(error.code).toBe('model_file_truncated');
      expect(error.message).toContain(`has ${keep} bytes`);
      expect(error.message).toContain('need 98362432');
    }
  });

  it('cut short inside its header, a wrong magic, an impossible tensor count: invalid', async () => {
    const files = [
      copy('header.gguf', (f) => truncateSync(f, 500_000)),
      copy('magic.gguf', (f) => overwrite(f, 0, Buffer.from('GGUX'))),
      copy('count.gguf', (f) => {
        const count = Buffer.alloc(8);
        count.writeBigUInt64LE(10n ** 12n);
        overwrite(f, 8, count);
      }),
    ];
    for (const file of files) expect((await failure(file)).code).toBe('model_file_invalid');
  });

  it('is refused by ready() before any worker process starts', async () => {
    const file = copy('cut-model.gguf', (f) => truncateSync(f, 50_000_000));
    const model = createLlamaCppModel({ modelPath: file });
    const before = childPids(process.pid, 'worker').length;
    const error = await model.ready().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(GgufFileError.isInstance(error) && error.code).toBe('model_file_truncated');
    expect(childPids(process.pid, 'worker')).toHaveLength(before);
    await model.close();
  });
});
