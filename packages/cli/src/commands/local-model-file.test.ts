import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realModelPath } from '../test-support/real-model.js';
import { run } from '../test-support/run.js';

const model = realModelPath('smollm2', 'the truncated local model test');

/** The first `bytes` of a file: its GGUF header and the start of its weights. */
function head(file: string, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, bytes, 0);
  } finally {
    closeSync(fd);
  }
  return buffer;
}

describe.skipIf(model === undefined)('a local: model whose GGUF file is cut short', () => {
  it('eval stops before any task with an error naming the file; nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-cut-gguf-'));
    try {
      const file = join(dir, 'cut.gguf');
      writeFileSync(file, head(model ?? '', 3_000_000));
      const out = join(dir, 'out');
      const result = await run([
        'eval',
        '--benchmark',
        'gsm8k-test',
        '--limit',
        '2',
        '--model',
        `local:${file}`,
        '--out',
        out,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${file}: truncated: the file has 3000000 bytes`);
      expect(result.stderr).not.toMatch(/samples/);
      expect(existsSync(join(out, 'records.jsonl'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
