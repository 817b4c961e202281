import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mountTinyDisk } from '../test-support/tiny-disk.js';
import { OutputWriteError } from './output-write-error.js';
import { createJsonlWriter } from './write-jsonl.js';

// A real ENOSPC: a 16 KB tmpfs (skipped where this process may not mount one).
const disk = mountTinyDisk(16 * 1024);

describe.skipIf(disk === undefined)('a JSONL file on a disk that fills up', () => {
  afterAll(() => disk?.unmount());
  const path = join(disk?.dir ?? '', 'out.jsonl');
  const lines = () =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: number });

  it('fails with disk_full naming the file, and keeps only whole lines', () => {
    const writer = createJsonlWriter(path);
    // Records of ~1.5 KB do not divide the 4 KB pages: the failing write is a partial one.
    const record = (id: number) => ({ id, text: 'x'.repeat(1500) });
    let error: unknown;
    let id = 0;
    try {
      for (; id < 100; id++) writer.write(record(id));
    } catch (e) {
      error = e;
    }
    expect(OutputWriteError.isInstance(error), String(error)).toBe(true);
    expect(error).toMatchObject({ code: 'disk_full', errno: 'ENOSPC', file: path });
    expect((error as Error).message).toContain(`${path}: the disk is full`);
    expect(id).toBeGreaterThan(3);
    // Every record before the failing one, whole; nothing of the failing one.
    expect(lines().map((l) => l.id)).toEqual([...Array(id).keys()]);
    expect(writer.written).toBe(id);

    // With room again the same writer goes on, right after the last whole line.
    disk?.grow(1024 * 1024);
    writer.write(record(id));
    writer.close();
    expect(lines().map((l) => l.id)).toEqual([...Array(id + 1).keys()]);
  });
});
