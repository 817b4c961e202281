export { arithmeticRuntime } from './arithmetic-runtime.js';
export {
  type Gsm8kPolicyOptions,
  type Gsm8kProblem,
  gsm8kPolicyReply,
  gsm8kScript,
  pickVariant,
  type ScriptVariant,
} from './gsm8k-policy.js';
export {
  type LlamaServerPaths,
  type RunningLlamaServer,
  type StartLlamaServerOptions,
  startLlamaServer,
} from './llama-server.js';
export {
  applyStop,
  chatmlToMessages,
  type LoopbackBackend,
  type LoopbackChatMessage,
  type LoopbackChatRequest,
  type LoopbackFault,
  type LoopbackReply,
  type LoopbackServer,
  type LoopbackServerOptions,
  startLoopbackServer,
} from './loopback-server.js';
export {
  assistantPrefix,
  continueTagScript,
  isRepairRequest,
  lastUserText,
  questionOf,
  systemText,
  tagScriptReply,
} from './scripted-policy.js';
