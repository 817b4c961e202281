export {
  type LoopbackServer,
  startLoopbackServer,
  tagScriptReply,
} from '@autotraj/generation/testing';
export { writeRandomRewardModel } from './random-reward-model.js';
