// Not part of the documented API: no semver promise, it may change in any release. Import it as
// `@autotraj/rl/internal`.
// The reward and advantages without their entry-point input checks, for the bench that
// measures what the checks cost (bench/rl.bench.mjs). They take input already in the schemas' form.
export { groupAdvantages as groupAdvantagesUnchecked } from '../advantages.js';
export { createReward as createUncheckedReward } from '../reward/create-reward.js';
export { createPresetReward as createUncheckedPresetReward } from '../reward/paper-reward.js';
