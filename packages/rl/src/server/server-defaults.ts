/**
 * `createRewardServer`'s limits and micro-batching defaults, in one place: the server applies
 * them and `autotraj serve` shows them as its flags' defaults.
 */
export const REWARD_SERVER_DEFAULTS = Object.freeze({
  /** Largest accepted request body (8 MiB); larger ones get 413. */
  maxBodyBytes: 8 * 1024 * 1024,
  /** Most trajectories in one request; more get 413. */
  maxItemsPerRequest: 4096,
  /** Most items per scorer call. */
  maxBatchSize: 256,
  /** 0: a batch waits only for the next event-loop turn. */
  maxWaitMs: 0,
  /** An ONNX session already uses every core. */
  maxConcurrentBatches: 1,
});
