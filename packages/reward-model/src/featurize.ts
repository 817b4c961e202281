import { createHash } from 'node:crypto';
import { type Trajectory, validate } from '@autotraj/trajectory';
import { canonicalJson, toolInputText } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { NgramBag } from './ngram-bag.js';
import {
  STRUCTURAL_FEATURE_COUNT,
  STRUCTURAL_FEATURE_NAMES,
  writeStructuralFeatures,
} from './structural-features.js';
import { mix32 } from './tokenize.js';
import { REWARD_MODEL_TRAINING_DEFAULTS } from './training-defaults.js';

/**
 * Bumped whenever the featurizer's output for the same input and config changes (tokenisation,
 * hashing, channel list, structural features). A model records the version it was trained
 * with, and a scorer refuses a model from another version.
 */
export const FEATURIZER_VERSION = 'autotraj-rm-featurizer/1';

export const featurizerConfigSchema = z.object({
  /** Hash buckets of the n-gram embedding table. */
  numBuckets: z
    .number()
    .int()
    .min(16)
    .max(1 << 24)
    .default(REWARD_MODEL_TRAINING_DEFAULTS.ngram.numBuckets),
  /** Longest n-gram: 1 = unigrams, 2 = unigrams + bigrams, 3 = up to trigrams. */
  maxNgram: z.number().int().min(1).max(3).default(2),
  /** Tokens read per channel per trajectory; bounds the cost of pathological inputs. */
  maxTokensPerChannel: z.number().int().min(1).default(2048),
});

export type FeaturizerConfig = z.infer<typeof featurizerConfigSchema>;
export type FeaturizerConfigInput = z.input<typeof featurizerConfigSchema>;

/**
 * Text channels hashed into separate n-gram spaces, so "x = 5" in reasoning and in a tool
 * result are different features. The question is not hashed: both sides of a pair share it;
 * it only enters through structural features (numbers used, ...).
 */
export const FEATURE_CHANNELS = ['think', 'code', 'result', 'answer'] as const;
type Channel = (typeof FEATURE_CHANNELS)[number];

export interface FeaturizeItem {
  question?: string | undefined;
  trajectory: Trajectory;
}

/**
 * A featurized batch, CSR style: item i's n-gram bag is `ids[offsets[i] .. offsets[i+1])`
 * (unique bucket ids in first-occurrence order) with `weights` (1/sqrt(bag size), so long and short texts weigh
 * alike); its structural features are `dense[i*denseDim .. (i+1)*denseDim)`.
 */
export interface FeatureBatch {
  size: number;
  offsets: Int32Array;
  ids: Int32Array;
  weights: Float32Array;
  dense: Float32Array;
  denseDim: number;
  featurizerVersion: string;
  configHash: string;
}

/** The same bags padded to one length (`bagLength`, at least 1), as the ONNX graph takes them. */
export interface PaddedBags {
  size: number;
  bagLength: number;
  ids: Int32Array;
  weights: Float32Array;
}

export function resolveFeaturizerConfig(config: FeaturizerConfigInput = {}): FeaturizerConfig {
  return validate(featurizerConfigSchema, config, { what: 'featurizer config' });
}

/** 16 hex chars of SHA-256 over the version and canonical config: equal hash, equal features. */
export function featurizerConfigHash(config: FeaturizerConfigInput = {}): string {
  const resolved = resolveFeaturizerConfig(config);
  return createHash('sha256')
    .update(
      canonicalJson({
        version: FEATURIZER_VERSION,
        config: resolved,
        dense: STRUCTURAL_FEATURE_NAMES,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

const channelSeeds: Record<Channel, Int32Array> = Object.fromEntries(
  FEATURE_CHANNELS.map((channel, c) => [
    channel,
    Int32Array.from([1, 2, 3], (n) => mix32(0x5bd1e995 ^ ((c + 1) * 0x100 + n)) | 0),
  ]),
) as Record<Channel, Int32Array>;
const thinkSeeds = channelSeeds.think;
const codeSeeds = channelSeeds.code;
const resultSeeds = channelSeeds.result;
const answerSeeds = channelSeeds.answer;

/** Reused across calls: featurization runs per rollout, so it must not allocate per token. */
const sharedBag = new NgramBag();
const stepTexts: string[] = [];
/** Resolved configs by content; a handful at most (one per model in use). */
const resolvedConfigs = new Map<string, { config: FeaturizerConfig; hash: string }>();

/**
 * Validate and hash a config once per content: scoring one item per call must stay cheap. Keyed
 * by the config's JSON, not the object: a config changed in place between calls is resolved
 * again rather than served stale.
 */
function resolveCached(config: FeaturizerConfigInput): { config: FeaturizerConfig; hash: string } {
  const key = JSON.stringify(config);
  let entry = resolvedConfigs.get(key);
  if (entry === undefined) {
    const resolved = resolveFeaturizerConfig(config);
    entry = { config: resolved, hash: featurizerConfigHash(resolved) };
    if (resolvedConfigs.size >= 64) resolvedConfigs.clear();
    resolvedConfigs.set(key, entry);
  }
  return entry;
}

/**
 * Featurize a batch of trajectories (with their questions) into model inputs. Deterministic:
 * the same items and config always give the same arrays, on any machine.
 */
export function featurize(
  items: ReadonlyArray<FeaturizeItem>,
  config: FeaturizerConfigInput | FeaturizerConfig = {},
): FeatureBatch {
  const { config: resolved, hash } = resolveCached(config);
  const size = items.length;
  const dense = new Float32Array(size * STRUCTURAL_FEATURE_COUNT);
  const offsets = new Int32Array(size + 1);
  const maxNgram = resolved.maxNgram;
  const maxTokens = resolved.maxTokensPerChannel;
  const bag = sharedBag;
  bag.startBatch(resolved.numBuckets, size * 192);
  const texts = stepTexts;
  for (let i = 0; i < size; i++) {
    const item = items[i]!;
    const trajectory = item.trajectory;
    const steps = trajectory.steps;
    bag.startBag();
    // Tokens left per channel: each channel reads at most maxTokensPerChannel per trajectory.
    let think = maxTokens;
    let code = maxTokens;
    let result = maxTokens;
    let answer = maxTokens;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s]!;
      if (step.type === 'think') {
        texts[s] = step.text;
        if (think > 0) think -= bag.addText(step.text, thinkSeeds, maxNgram, think);
      } else if (step.type === 'tool-call') {
        const text = toolInputText(step.toolName, step.input);
        texts[s] = text;
        if (code > 0) code -= bag.addText(text, codeSeeds, maxNgram, code);
      } else if (step.type === 'tool-result') {
        texts[s] = step.output;
        if (result > 0) result -= bag.addText(step.output, resultSeeds, maxNgram, result);
      } else {
        texts[s] = step.text;
        if (answer > 0) answer -= bag.addText(step.text, answerSeeds, maxNgram, answer);
      }
    }
    // A bag is a set of buckets (presence, not counts), in first-occurrence order.
    offsets[i + 1] = bag.length;
    writeStructuralFeatures(
      trajectory,
      item.question ?? trajectory.question,
      dense,
      i * STRUCTURAL_FEATURE_COUNT,
      texts,
    );
  }
  const total = bag.length;
  const finalIds = bag.ids.slice(0, total);
  const weights = new Float32Array(total);
  for (let i = 0; i < size; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    const w = end > start ? 1 / Math.sqrt(end - start) : 0;
    weights.fill(w, start, end);
  }
  return {
    size,
    offsets,
    ids: finalIds,
    weights,
    dense,
    denseDim: STRUCTURAL_FEATURE_COUNT,
    featurizerVersion: FEATURIZER_VERSION,
    configHash: hash,
  };
}

/** Pad a batch's bags to the longest one (padding: id 0 with weight 0, which adds nothing). */
export function padBags(
  batch: FeatureBatch,
  range: { start: number; end: number } = { start: 0, end: batch.size },
): PaddedBags {
  return padRows(
    batch,
    Int32Array.from({ length: range.end - range.start }, (_, i) => range.start + i),
  );
}

/** Pad the bags of the given rows, in that order (the scorer groups rows of similar length). */
export function padRows(batch: FeatureBatch, rows: ArrayLike<number>): PaddedBags {
  const size = rows.length;
  let bagLength = 1;
  for (let i = 0; i < size; i++)
    bagLength = Math.max(bagLength, batch.offsets[rows[i]! + 1]! - batch.offsets[rows[i]!]!);
  const ids = new Int32Array(size * bagLength);
  const weights = new Float32Array(size * bagLength);
  for (let i = 0; i < size; i++) {
    const start = batch.offsets[rows[i]!]!;
    const end = batch.offsets[rows[i]! + 1]!;
    ids.set(batch.ids.subarray(start, end), i * bagLength);
    weights.set(batch.weights.subarray(start, end), i * bagLength);
  }
  return { size, bagLength, ids, weights };
}
