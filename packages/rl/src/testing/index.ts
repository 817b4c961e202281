export {
  type LoopbackServer,
  startLoopbackServer,
  tagScriptReply,
} from '@autotraj/repairer/testing';
export { writeRandomRewardModel } from './random-reward-model.js';
