import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { claimShardDir, ShardMismatchError, taskSetDigest } from './shard-claim.js';

const parseShard = (spec: string) => {
  const [index, count] = spec.split('/').map(Number) as [number, number];
  return { index, count, source: 'flag' };
};

const fresh = () => mkdtempSync(join(tmpdir(), 'autotraj-shard-claim-'));

describe('claimShardDir', () => {
  it('records the shard on first use and accepts the same i/n from another source on resume', () => {
    const dir = fresh();
    claimShardDir({ outDir: dir, shard: parseShard('1/3') });
    expect(JSON.parse(readFileSync(join(dir, 'shard.json'), 'utf8'))).toEqual({
      shard: '1/3',
      index: 1,
      count: 3,
      source: 'flag',
    });
    const slurm = { index: 1, count: 3, source: 'slurm' };
    expect(claimShardDir({ outDir: dir, shard: slurm }).shard).toBe('1/3');
  });

  it('refuses to resume a directory as another shard, or a whole run as a shard', () => {
    const dir = fresh();
    claimShardDir({ outDir: dir, shard: parseShard('1/3') });
    expect(() => claimShardDir({ outDir: dir, shard: parseShard('2/3') })).toThrowError(
      /started as `shard` 1\/3, not `shard` 2\/3/,
    );
    const whole = fresh();
    claimShardDir({ outDir: whole, shard: null });
    let error: unknown;
    try {
      claimShardDir({ outDir: whole, shard: parseShard('0/2') });
    } catch (e) {
      error = e;
    }
    expect(ShardMismatchError.isInstance(error)).toBe(true);
    expect((error as ShardMismatchError).recorded).toBeNull();
    expect((error as Error).message).toMatch(/the whole run \(no `shard`\), not `shard` 0\/2/);
  });

  it('names the file when shard.json is not a shard record', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'shard.json'), '{"shard": 3}');
    expect(() => claimShardDir({ outDir: dir, shard: null })).toThrowError(ValidationError);
  });
});

describe('taskSetDigest', () => {
  it('is order-free and ignores repeats, but sees any change in the set', () => {
    expect(taskSetDigest(['b', 'a', 'a'])).toEqual(taskSetDigest(['a', 'b']));
    expect(taskSetDigest(['a', 'b']).count).toBe(2);
    expect(taskSetDigest(['a', 'b']).digest).not.toBe(taskSetDigest(['a', 'c']).digest);
    // Entries are newline-terminated, so ids cannot run into each other.
    expect(taskSetDigest(['ab']).digest).not.toBe(taskSetDigest(['a', 'b']).digest);
  });
});
