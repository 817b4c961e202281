import { createHash } from 'node:crypto';

/**
 * The rule `sampleSeed` follows, as recorded in run manifests (`seedDerivation`). A run
 * directory without it was sampled under the older rule: sample i seeded `runSeed + i`.
 */
export const SAMPLE_SEED_DERIVATION = 'sha256(runSeed|taskId|index)';

export interface SampleSeedOptions {
  /** The run's seed (`--seed`; 0 by default in every command): a safe integer. */
  runSeed: number;
  /** The task's or question's id, as the trajectory's `taskId` records it. */
  taskId: string;
  /** The sample's index within its task: candidate i, rollout i of a group, eval sample i. */
  index: number;
}

/**
 * The seed of one sample: the first 4 bytes of SHA-256 over the UTF-8 string
 * `` `${runSeed}|${taskId}|${index}` `` (integers in base 10, `-` for a negative run seed), read
 * big-endian, with the top bit cleared: an integer in [0, 2^31 - 1], which every provider
 * accepts (llama.cpp reads 2^32 - 1 as "random"). In Python:
 * `int.from_bytes(hashlib.sha256(f"{run_seed}|{task_id}|{index}".encode()).digest()[:4], "big") & 0x7FFFFFFF`.
 *
 * Why not `runSeed + i`: with similar prompts one seed makes the same early choices, so
 * "candidate 1" of every task was one correlated draw repeated across the data set. Hashing the
 * task id in gives each (task, index) its own draw, and the same inputs always give the same
 * seed, so reruns replay. The run seed comes first and the index last, so no task id (even one
 * containing `|`) makes two inputs collide.
 */
export function sampleSeed(options: SampleSeedOptions): number {
  const { runSeed, taskId, index } = options;
  if (!Number.isSafeInteger(runSeed))
    throw new RangeError(`sampleSeed: runSeed must be a safe integer, got ${runSeed}`);
  if (!Number.isSafeInteger(index) || index < 0)
    throw new RangeError(`sampleSeed: index must be a non-negative integer, got ${index}`);
  const digest = createHash('sha256').update(`${runSeed}|${taskId}|${index}`, 'utf8').digest();
  return digest.readUInt32BE(0) & 0x7fffffff;
}
