export {
  type LoopbackServer,
  startLoopbackServer,
  tagScriptReply,
} from '@autotraj/generation/testing';
