import { describe, expect, it } from 'vitest';
import { formatShard, isInShard, parseShard, ShardSpecError, shardIndexOf } from './shard.js';

describe('parseShard', () => {
  it('reads i/n as a 0-based shard', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4, source: 'flag' });
    expect(formatShard(parseShard(' 0/1 '))).toBe('0/1');
  });

  it.each(['4/4', '1/0', '-1/3', '1.5/3', 'a/b', '3', ''])(
    'rejects %j with a typed error',
    (spec) => {
      expect(() => parseShard(spec, {})).toThrowError(ShardSpecError);
    },
  );

  it('reads a Slurm array, whatever its first id and step', () => {
    expect(
      parseShard('auto', {
        SLURM_ARRAY_TASK_ID: '5',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_COUNT: '8',
      }),
    ).toEqual({
      index: 4,
      count: 8,
      source: 'slurm',
    });
    expect(
      parseShard('auto', {
        SLURM_ARRAY_TASK_ID: '8',
        SLURM_ARRAY_TASK_MIN: '0',
        SLURM_ARRAY_TASK_STEP: '4',
        SLURM_ARRAY_TASK_COUNT: '3',
      }),
    ).toEqual({ index: 2, count: 3, source: 'slurm' });
    expect(() =>
      parseShard('auto', {
        SLURM_ARRAY_TASK_ID: '3',
        SLURM_ARRAY_TASK_STEP: '2',
        SLURM_ARRAY_TASK_COUNT: '4',
      }),
    ).toThrowError(/not on the array's grid/);
  });

  it('reads a Kubernetes Indexed Job and names the missing count', () => {
    expect(parseShard('auto', { JOB_COMPLETION_INDEX: '3', AUTOTRAJ_SHARD_COUNT: '4' })).toEqual({
      index: 3,
      count: 4,
      source: 'kubernetes',
    });
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '3' })).toThrowError(
      /AUTOTRAJ_SHARD_COUNT/,
    );
    expect(() =>
      parseShard('auto', { JOB_COMPLETION_INDEX: '4', AUTOTRAJ_SHARD_COUNT: '4' }),
    ).toThrowError(/not below the shard count/);
  });

  it('says what it looked for when there is no scheduler', () => {
    expect(() => parseShard('auto', {})).toThrowError(/SLURM_ARRAY_TASK_ID.*JOB_COMPLETION_INDEX/);
  });
});

describe('shard membership', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `gsm8k-train-${i}`);

  it('puts every task in exactly one shard', () => {
    for (const count of [1, 2, 3, 7]) {
      const shards = Array.from({ length: count }, (_, index) => ({
        index,
        count,
        source: 'flag' as const,
      }));
      for (const id of ids) expect(shards.filter((shard) => isInShard(id, shard))).toHaveLength(1);
    }
  });

  it('depends on the id alone, so adding tasks moves none', () => {
    const before = new Map(ids.map((id) => [id, shardIndexOf(id, 4)]));
    const more = [...ids, ...Array.from({ length: 500 }, (_, i) => `added-${i}`)].reverse();
    for (const id of more) if (before.has(id)) expect(shardIndexOf(id, 4)).toBe(before.get(id));
  });

  it('spreads ids over shards', () => {
    const sizes = [0, 0, 0, 0];
    for (const id of ids) sizes[shardIndexOf(id, 4)]! += 1;
    // A fixed hash of fixed ids: the exact split is pinned, so a change of hash is seen.
    expect(sizes).toEqual([250, 276, 250, 224]);
  });
});
