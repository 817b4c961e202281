import { createHash } from 'node:crypto';
import { AutoTrajError } from '@autotraj/trajectory';

/** One slice of a run: tasks whose id hashes to `index` out of `count` shards. */
export interface Shard {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
  /** Where the numbers came from: a `--shard i/n` flag, a Kubernetes Indexed Job, a Slurm array. */
  readonly source: 'flag' | 'kubernetes' | 'slurm';
}

/** A `--shard` value or the batch scheduler's environment does not describe a shard. */
export class ShardSpecError extends AutoTrajError {
  static readonly errorName = 'AutoTrajShardSpecError';
  declare readonly code: 'shard_spec_invalid';

  constructor(options: { message: string }) {
    super({ name: ShardSpecError.errorName, code: 'shard_spec_invalid', message: options.message });
  }

  static override isInstance(error: unknown): error is ShardSpecError {
    return AutoTrajError.isInstance(error) && error.name === ShardSpecError.errorName;
  }
}

/** Kubernetes sets only the index; the Job's `spec.completions` has to be passed in by the pod template. */
export const SHARD_COUNT_ENV = 'AUTOTRAJ_SHARD_COUNT';

type Env = Readonly<Record<string, string | undefined>>;

function wholeNumber(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text.trim())) {
    throw new ShardSpecError({
      message: `${what} must be a whole number, got ${JSON.stringify(text ?? null)}`,
    });
  }
  return Number(text.trim());
}

function checked(shard: Shard, what: string): Shard {
  if (shard.count < 1)
    throw new ShardSpecError({ message: `${what}: the shard count must be at least 1` });
  if (shard.index >= shard.count) {
    throw new ShardSpecError({
      message: `${what}: shard index ${shard.index} is not below the shard count ${shard.count} (indexes are 0-based)`,
    });
  }
  return shard;
}

/**
 * Parses `--shard i/n` (0-based `i`) or `--shard auto`, which reads the batch scheduler:
 * a Slurm job array (`SLURM_ARRAY_TASK_ID`, `_MIN`, `_STEP`, `_COUNT`) or a Kubernetes
 * Indexed Job (`JOB_COMPLETION_INDEX`, with the Job's completions in `AUTOTRAJ_SHARD_COUNT`).
 */
export function parseShard(spec: string, env: Env = process.env): Shard {
  const text = spec.trim();
  if (text === 'auto') return shardFromEnv(env);
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) {
    throw new ShardSpecError({
      message: `\`shard\` ${JSON.stringify(spec)}: expected i/n (0-based shard i of n, e.g. 0/4) or auto`,
    });
  }
  return checked(
    { index: Number(match[1]), count: Number(match[2]), source: 'flag' },
    `\`shard\` ${text}`,
  );
}

function shardFromEnv(env: Env): Shard {
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = wholeNumber(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID');
    const min =
      env.SLURM_ARRAY_TASK_MIN === undefined
        ? 0
        : wholeNumber(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN');
    const step =
      env.SLURM_ARRAY_TASK_STEP === undefined
        ? 1
        : wholeNumber(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP');
    const count = wholeNumber(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT');
    if (step < 1 || (id - min) % step !== 0 || id < min) {
      throw new ShardSpecError({
        message: `SLURM_ARRAY_TASK_ID ${id} is not on the array's grid (min ${min}, step ${step})`,
      });
    }
    return checked(
      { index: (id - min) / step, count, source: 'slurm' },
      '`shard` auto (Slurm array)',
    );
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = wholeNumber(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX');
    if (env[SHARD_COUNT_ENV] === undefined) {
      throw new ShardSpecError({
        message: `\`shard\` auto found a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=${index}) but not its completions count: set ${SHARD_COUNT_ENV} to the Job's spec.completions in the pod template`,
      });
    }
    const count = wholeNumber(env[SHARD_COUNT_ENV], SHARD_COUNT_ENV);
    return checked({ index, count, source: 'kubernetes' }, '`shard` auto (Kubernetes Indexed Job)');
  }
  throw new ShardSpecError({
    message:
      '`shard` auto found no batch scheduler: expected SLURM_ARRAY_TASK_ID (Slurm job array) or JOB_COMPLETION_INDEX (Kubernetes Indexed Job); use `shard` i/n otherwise',
  });
}

/**
 * The shard a task belongs to. A hash of the id alone, so a task keeps its shard when other
 * tasks are added or removed, and every process computes the same split without coordinating.
 */
export function shardIndexOf(taskId: string, count: number): number {
  const digest = createHash('sha256').update(taskId, 'utf8').digest();
  // 48 bits keep the modulo exact in a double and its bias negligible for any shard count.
  return digest.readUIntBE(0, 6) % count;
}

export function isInShard(taskId: string, shard: Pick<Shard, 'index' | 'count'>): boolean {
  return shardIndexOf(taskId, shard.count) === shard.index;
}

/** `i/n`, as the flag and the manifests write it. */
export function formatShard(shard: Pick<Shard, 'index' | 'count'>): string {
  return `${shard.index}/${shard.count}`;
}
