import type { ScoreItem, TrajectoryScorer } from '@autotraj/trajectory';
import { scoreChecked } from '../scorer.js';
import { REWARD_SERVER_DEFAULTS } from './server-defaults.js';

export interface MicroBatcherOptions {
  scorer: TrajectoryScorer;
  /** Most items per scorer call (default 256). */
  maxBatchSize?: number | undefined;
  /** How long the first queued item may wait for company (default 0: the next event-loop turn). */
  maxWaitMs?: number | undefined;
  /** Scorer calls in flight at once (default 1: an ONNX session already uses every core). */
  maxConcurrentBatches?: number | undefined;
  /** Told after every scorer call, for metrics. */
  onBatch?: (info: { size: number; durationMs: number; error?: unknown }) => void;
}

interface Part {
  entry: Pending;
  from: number;
  count: number;
}

interface Pending {
  items: ReadonlyArray<ScoreItem>;
  scores: Float32Array;
  /** Items not yet handed to a batch. */
  next: number;
  /** Items whose score has arrived. */
  done: number;
  failed: boolean;
  resolve: (scores: Float32Array) => void;
  reject: (error: unknown) => void;
}

export interface MicroBatcher extends TrajectoryScorer {
  /** Items waiting or being scored. */
  readonly pending: number;
  /** Resolves when nothing is queued or in flight. */
  drain(): Promise<void>;
}

/**
 * Collects the items of concurrent requests into shared scorer calls. While a batch is being
 * scored, new requests queue up and go out together as the next batch (continuous batching),
 * so the batch size adapts to the load without a fixed delay. Closing the batcher does not
 * close the underlying scorer: its owner does.
 */
export function createMicroBatcher(options: MicroBatcherOptions): MicroBatcher {
  const maxBatchSize = options.maxBatchSize ?? REWARD_SERVER_DEFAULTS.maxBatchSize;
  const maxWaitMs = options.maxWaitMs ?? REWARD_SERVER_DEFAULTS.maxWaitMs;
  const maxConcurrent = options.maxConcurrentBatches ?? REWARD_SERVER_DEFAULTS.maxConcurrentBatches;
  const queue: Pending[] = [];
  let queuedItems = 0;
  let inFlightItems = 0;
  let inFlight = 0;
  let scheduled = false;
  let drainWaiters: Array<() => void> = [];

  const schedule = () => {
    if (scheduled || inFlight >= maxConcurrent || queuedItems === 0) return;
    scheduled = true;
    const run = () => {
      scheduled = false;
      flush();
    };
    if (queuedItems >= maxBatchSize) queueMicrotask(run);
    else if (maxWaitMs > 0) setTimeout(run, maxWaitMs);
    else setImmediate(run);
  };

  const settleDrain = () => {
    if (queuedItems === 0 && inFlight === 0 && drainWaiters.length > 0) {
      const waiters = drainWaiters;
      drainWaiters = [];
      for (const w of waiters) w();
    }
  };

  const flush = () => {
    while (inFlight < maxConcurrent && queuedItems > 0) {
      const batch: ScoreItem[] = [];
      const parts: Part[] = [];
      while (batch.length < maxBatchSize && queue.length > 0) {
        const entry = queue[0]!;
        const count = Math.min(entry.items.length - entry.next, maxBatchSize - batch.length);
        for (let i = 0; i < count; i++) batch.push(entry.items[entry.next + i]!);
        parts.push({ entry, from: entry.next, count });
        entry.next += count;
        if (entry.next === entry.items.length) queue.shift();
      }
      queuedItems -= batch.length;
      inFlightItems += batch.length;
      inFlight++;
      const started = performance.now();
      const deliver = (part: Part, scores: Float32Array) => {
        const { entry, from, count } = part;
        if (entry.failed) return;
        entry.scores.set(scores.subarray(0, count), from);
        entry.done += count;
        if (entry.done === entry.items.length) entry.resolve(entry.scores);
      };
      scoreChecked(options.scorer, batch)
        .then(
          (scores) => {
            options.onBatch?.({ size: batch.length, durationMs: performance.now() - started });
            let offset = 0;
            for (const part of parts) {
              deliver(part, scores.subarray(offset, offset + part.count));
              offset += part.count;
            }
          },
          async (error: unknown) => {
            options.onBatch?.({
              size: batch.length,
              durationMs: performance.now() - started,
              error,
            });
            if (parts.length === 1) return fail(parts[0]!.entry, error);
            // One bad trajectory must not fail the requests it shared a batch with: retry each part alone.
            for (const part of parts) {
              if (part.entry.failed) continue;
              const items = part.entry.items.slice(part.from, part.from + part.count);
              await scoreChecked(options.scorer, items).then(
                (scores) => deliver(part, scores),
                (partError: unknown) => fail(part.entry, partError),
              );
            }
          },
        )
        .finally(() => finish(batch.length));
    }
  };

  const fail = (entry: Pending, error: unknown) => {
    if (entry.failed) return;
    entry.failed = true;
    // Items of this entry still queued are dropped: its caller already has the error.
    const at = queue.indexOf(entry);
    if (at >= 0) {
      queuedItems -= entry.items.length - entry.next;
      queue.splice(at, 1);
    }
    entry.reject(error);
  };

  const finish = (size: number) => {
    inFlight--;
    inFlightItems -= size;
    schedule();
    settleDrain();
  };

  return {
    get pending() {
      return queuedItems + inFlightItems;
    },
    score(items) {
      if (items.length === 0) return Promise.resolve(new Float32Array(0));
      return new Promise<Float32Array>((resolve, reject) => {
        queue.push({
          items,
          scores: new Float32Array(items.length),
          next: 0,
          done: 0,
          failed: false,
          resolve,
          reject,
        });
        queuedItems += items.length;
        schedule();
      });
    },
    drain() {
      if (queuedItems === 0 && inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
    async close() {
      await this.drain();
    },
  };
}
