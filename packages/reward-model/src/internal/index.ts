// Helpers other @autotraj packages share. Not part of the documented API: no semver promise,
// they may change in any release. Import them as `@autotraj/reward-model/internal`.
export { resolveFeaturizerConfig } from '../featurize.js';
export { type HfTokenizer, loadHfTokenizer } from '../hf-scorer.js';
export { initParams } from '../model.js';
export { toraCorrectnessPairs } from '../pairs.js';
export { STRUCTURAL_FEATURE_COUNT } from '../structural-features.js';
