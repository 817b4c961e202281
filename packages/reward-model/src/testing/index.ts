// Fixtures for tests and benchmarks of code that scores with a reward model. Import them as
// `@autotraj/reward-model/testing`.
export { writeRandomRewardModel } from './random-reward-model.js';
