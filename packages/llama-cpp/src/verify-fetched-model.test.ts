import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GgufFileError } from './errors.js';
import { FETCHED_MODELS } from './fetched-models.js';
import { readGgufSummary } from './gguf-info.js';
import { realModelPath } from './test-support/models.js';
import { verifiedFetchedModelPath } from './verify-fetched-model.js';

const smollm2 = realModelPath('smollm2');

describe.skipIf(smollm2 === undefined)('a fetched model checked against its pinned SHA-256', () => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'autotraj-models-copy-'));
  afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));
  const file = join(modelsDir, FETCHED_MODELS.smollm2.file);
  copyFileSync(smollm2 ?? '', file);

  it('passes intact, with a stamp of what was verified so later runs skip the hash', async () => {
    expect(await verifiedFetchedModelPath('smollm2', { modelsDir })).toBe(file);
    expect(JSON.parse(readFileSync(`${file}.verified.json`, 'utf8'))).toEqual({
      size: statSync(file).size,
      mtimeMs: statSync(file).mtimeMs,
      sha256: FETCHED_MODELS.smollm2.sha256,
    });
  });

  it('one byte changed inside the weights: the header check cannot see it, the hash does', async () => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([0x5a]), 0, 1, 50_000_000);
    closeSync(fd);
    await readGgufSummary(file);
    // The write changed the file's mtime: the stamp no longer vouches for it, so it is hashed.
    const error = await verifiedFetchedModelPath('smollm2', { modelsDir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(GgufFileError.isInstance(error) && error.code).toBe('model_file_corrupted');
    expect((error as Error).message).toContain(`${file}: its SHA-256 is `);
    expect((error as Error).message).toContain(FETCHED_MODELS.smollm2.sha256);
  });
});
