import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountTinyDisk } from '@autotraj/trajectory/internal';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

// A real ENOSPC: the output directory is a 48 KB tmpfs (skipped where this may not mount one).
const disk = mountTinyDisk(48 * 1024);

describe.skipIf(disk === undefined)('autotraj synthesize on a disk that fills up', () => {
  afterAll(() => disk?.unmount());

  it('exits 1 saying the disk is full and which file; the same command resumes once there is room', async () => {
    const out = join(disk?.dir ?? '', 'synth');
    const args = ['synthesize', '--out', out, '--limit', '6', '--json'];
    const full = await run(args);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(
      new RegExp(`autotraj: ${out}/[a-z]+\\.jsonl: the disk is full \\(ENOSPC\\)`),
    );
    expect(full.stderr).toContain('rerun the same command to resume');
    disk?.grow(8 * 1024 * 1024);
    const again = await run(args);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.run.done + summary.run.resumed).toBe(6);
    expect(summary.run.resumed).toBeGreaterThan(0);
    const ids = readFileSync(join(out, 'candidates.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
  });
});
