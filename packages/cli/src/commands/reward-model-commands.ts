// The @autotraj/reward-model commands, registered together from one line in index.ts.
export { scoreCommand } from './score.js';
export { trainRmCommand } from './train-rm.js';
