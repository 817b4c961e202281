// Helpers other @autotraj packages share. Not part of the documented API: no semver promise,
// they may change in any release. Import them as `@autotraj/generation/internal`.

// The retry option's schema, for packages whose entry checks take a `retry` (the repairer).
export { retryOptionsSchema } from '../entry/checked-models.js';
export { toolPromptLines } from '../loop/prompts.js';
export { modelNameOf } from '../models/model-name.js';
export { retryAfterMs } from '../models/resilient-model.js';
