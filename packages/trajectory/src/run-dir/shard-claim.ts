import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTrajError, ValidationError } from '../errors.js';
import { RUN_FILES } from './layout.js';
import { writeJsonAtomic } from './write-atomic.js';

/** Where a run directory records the shard it was started with. */
export const SHARD_FILE = RUN_FILES.shard;

/** The shard a run covers, as `parseShard` of `@autotraj/generation` returns it. */
export interface ShardClaim {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
  /** Where the numbers came from (`flag`, `kubernetes`, `slurm`). */
  readonly source: string;
}

const formatShard = (shard: ShardClaim) => `${shard.index}/${shard.count}`;

/** A run directory was started as one shard and is being resumed as another. */
export class ShardMismatchError extends AutoTrajError {
  static readonly errorName = 'AutoTrajShardMismatchError';
  declare readonly code: 'shard_mismatch';
  readonly outDir: string;
  readonly recorded: string | null;
  readonly requested: string | null;

  constructor(options: { outDir: string; recorded: string | null; requested: string | null }) {
    const name = (spec: string | null) =>
      spec === null ? 'the whole run (no `shard`)' : `\`shard\` ${spec}`;
    super({
      name: ShardMismatchError.errorName,
      code: 'shard_mismatch',
      message: `${join(options.outDir, SHARD_FILE)}: this directory was started as ${name(options.recorded)}, not ${name(options.requested)}; resume it with the same shard or use another \`outDir\``,
    });
    this.outDir = options.outDir;
    this.recorded = options.recorded;
    this.requested = options.requested;
  }

  static override isInstance(error: unknown): error is ShardMismatchError {
    return AutoTrajError.isInstance(error) && error.name === ShardMismatchError.errorName;
  }
}

/** What `shard.json` holds. */
export interface ShardRecord {
  /** `i/n`, or null for a whole (unsharded) run. */
  shard: string | null;
  index: number;
  count: number;
  source: string | null;
}

export function shardRecord(shard: ShardClaim | null): ShardRecord {
  return shard === null
    ? { shard: null, index: 0, count: 1, source: null }
    : { shard: formatShard(shard), index: shard.index, count: shard.count, source: shard.source };
}

/**
 * Records in `outDir` which shard the run there covers, or checks it against what an earlier
 * (killed) run recorded: resuming shard 1/4's directory as 2/4, or a whole run's as a shard,
 * would mix two task sets in one output. The source may differ (`auto` on Slurm, then
 * `--shard 1/4` by hand): only `i/n` must match.
 */
export function claimShardDir(options: { outDir: string; shard: ShardClaim | null }): ShardRecord {
  const { outDir } = options;
  const wanted = shardRecord(options.shard);
  const path = join(outDir, SHARD_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    let recorded: string | null;
    try {
      const parsed = JSON.parse(text) as { shard?: unknown };
      if (parsed.shard !== null && typeof parsed.shard !== 'string')
        throw new Error('no shard field');
      recorded = parsed.shard;
    } catch {
      throw new ValidationError({
        location: { file: path },
        what: 'shard record',
        issues: [{ path: 'shard', message: 'expected {"shard": "i/n"} or {"shard": null}' }],
      });
    }
    if (recorded !== wanted.shard)
      throw new ShardMismatchError({ outDir, recorded, requested: wanted.shard });
    return wanted;
  }
  mkdirSync(outDir, { recursive: true });
  writeJsonAtomic(path, wanted);
  return wanted;
}

/** A set of task ids (or of `id<TAB>content hash` lines) as a count and an order-free digest. */
export interface TaskSetDigest {
  count: number;
  /** `sha256:` of the sorted, distinct entries, each followed by a newline. */
  digest: string;
}

export function taskSetDigest(entries: Iterable<string>): TaskSetDigest {
  const sorted = [...new Set(entries)].sort(compareIds);
  const hash = createHash('sha256');
  for (const id of sorted) hash.update(id, 'utf8').update('\n');
  return { count: sorted.length, digest: `sha256:${hash.digest('hex')}` };
}

/** Task ids in code-unit order: the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
