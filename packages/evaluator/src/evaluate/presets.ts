import { EvaluatorError } from '../errors.js';

/** `full` is the earlier name of `autotraj`, still accepted. */
export type PresetName = 'paper' | 'autotraj' | 'full';

export const presetNames: ReadonlyArray<PresetName> = ['paper', 'autotraj', 'full'];

/** Dimension name -> weight in the quality score (weights are normalised to sum to 1). */
export type QualityWeights = Partial<Record<DimensionName, number>>;

export type DimensionName =
  | 'correctness'
  | 'format'
  | 'confidence'
  | 'length'
  | 'repetition'
  | 'toolValidity'
  | 'consistency'
  | 'judge';

export const dimensionNames: ReadonlyArray<DimensionName> = [
  'correctness',
  'format',
  'confidence',
  'length',
  'repetition',
  'toolValidity',
  'consistency',
  'judge',
];

/** Selection and repair-acceptance thresholds on the quality score. */
export interface Thresholds {
  /** Keep every correct candidate when all of them score at least this. */
  keepAll: number;
  /** Otherwise keep the best correct candidate when it scores at least this; repair the rest. */
  keepBest: number;
  /** A repair of a correct-but-low-quality trajectory is accepted above this (and above the original). */
  acceptLowQuality: number;
  /** A repair of a wrong-answer trajectory is accepted above this. */
  acceptWrongAnswer: number;
}

/** The paper's numbers (ARCHITECTURE.md): keep all >= 0.9, keep best >= 0.86, accept repairs at 0.86 / 0.8. */
export const PAPER_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  keepAll: 0.9,
  keepBest: 0.86,
  acceptLowQuality: 0.86,
  acceptWrongAnswer: 0.8,
});

/** The paper's quality: 0.4 confidence + 0.3 length + 0.3 repetition. */
export const PAPER_WEIGHTS: Readonly<QualityWeights> = Object.freeze({
  confidence: 0.4,
  length: 0.3,
  repetition: 0.3,
});

/**
 * `autotraj`: every rule dimension. Format and consistency weigh most (they catch broken or
 * fabricated trajectories), the paper's three text dimensions keep their relative shares.
 */
export const AUTOTRAJ_WEIGHTS: Readonly<QualityWeights> = Object.freeze({
  format: 0.2,
  consistency: 0.2,
  toolValidity: 0.15,
  confidence: 0.2,
  length: 0.1,
  repetition: 0.15,
});

export interface Preset {
  name: Exclude<PresetName, 'full'>;
  weights: Readonly<QualityWeights>;
  thresholds: Readonly<Thresholds>;
  /** Dimensions computed (and reported) even when not weighted. */
  dimensions: ReadonlyArray<DimensionName>;
}

export const presets: Readonly<Record<Exclude<PresetName, 'full'>, Preset>> = Object.freeze({
  paper: {
    name: 'paper',
    weights: PAPER_WEIGHTS,
    thresholds: PAPER_THRESHOLDS,
    dimensions: ['correctness', 'confidence', 'length', 'repetition'],
  },
  autotraj: {
    name: 'autotraj',
    weights: AUTOTRAJ_WEIGHTS,
    thresholds: PAPER_THRESHOLDS,
    dimensions: [
      'correctness',
      'format',
      'confidence',
      'length',
      'repetition',
      'toolValidity',
      'consistency',
    ],
  },
});

export function getPreset(name: string): Preset {
  if (name === 'paper' || name === 'autotraj') return presets[name];
  if (name === 'full') return presets.autotraj;
  throw new EvaluatorError({
    code: 'unknown_preset',
    message: `unknown preset "${name}" (expected paper or autotraj)`,
  });
}

/** Weighted mean of the weighted dimensions that were computed. */
export function qualityScore(
  scores: Partial<Record<string, number>>,
  weights: QualityWeights,
): number {
  let total = 0;
  let weightSum = 0;
  for (const [name, weight] of Object.entries(weights)) {
    const score = scores[name];
    if (weight === undefined || weight <= 0 || score === undefined) continue;
    total += weight * score;
    weightSum += weight;
  }
  return weightSum === 0 ? 0 : total / weightSum;
}
