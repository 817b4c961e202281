/** A counting semaphore: at most `concurrency` functions run at once; the rest wait in FIFO order. */
export interface Limiter {
  readonly concurrency: number;
  /** Functions running now. */
  readonly active: number;
  /** Functions waiting for a slot. */
  readonly pending: number;
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  let active = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    active--;
    const next = queue.shift();
    if (next !== undefined) {
      active++;
      next();
    }
  };
  return {
    concurrency,
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
    async run(fn) {
      if (active < concurrency) active++;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
