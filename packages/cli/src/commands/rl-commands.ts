// The @autotraj/rl commands, registered together from one line in index.ts.
export { rewardCommand } from './reward.js';
export { rolloutCommand } from './rollout.js';
export { serveCommand } from './serve.js';
