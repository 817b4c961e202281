import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { EvaluatorError } from '../errors.js';
import { compareSymbolic, type SymbolicRequest } from './symbolic.js';

export type ComparisonIsolation = 'worker' | 'inline';

export interface SymbolicOutcome {
  equivalent: boolean;
  timedOut: boolean;
}

const STARTUP_TIMEOUT_MS = 60_000;

function workerUrl(): URL {
  // Built: dist/compare-worker.js beside the bundle. Source: src/verify/compare-worker.ts.
  for (const candidate of ['./compare-worker.js', './compare-worker.ts']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new EvaluatorError({
    code: 'worker_missing',
    message: `comparison worker not found next to ${import.meta.url}`,
  });
}

/**
 * One worker thread running symbolic comparisons synchronously: the caller posts a request
 * and blocks on a shared flag (`Atomics.wait`) until the reply or the deadline. On a timeout
 * the worker is terminated and a fresh one starts with the next comparison.
 */
class ComparisonWorker {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private flag: Int32Array | null = null;
  private nextId = 0;

  private start(): void {
    const channel = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerUrl(), {
      workerData: { port: channel.port2, flag },
      transferList: [channel.port2],
    });
    worker.unref();
    channel.port1.unref();
    let failure: unknown = null;
    worker.on('error', (error) => {
      failure = error;
    });
    if (Atomics.wait(flag, 0, 0, STARTUP_TIMEOUT_MS) === 'timed-out') {
      void worker.terminate();
      throw new EvaluatorError({
        code: 'worker_start_failed',
        message: 'comparison worker did not start',
        cause: failure,
      });
    }
    this.worker = worker;
    this.port = channel.port1;
    this.flag = flag;
  }

  run(request: SymbolicRequest, timeoutMs: number): SymbolicOutcome {
    if (this.worker === null) this.start();
    const flag = this.flag!;
    const port = this.port!;
    const id = this.nextId++;
    // The worker adds 1 to the flag after every reply: wait until it moves past what we saw.
    let seen = Atomics.load(flag, 0);
    port.postMessage({ id, request });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (
        let received = receiveMessageOnPort(port);
        received !== undefined;
        received = receiveMessageOnPort(port)
      ) {
        const reply = received.message as { id?: number; equivalent?: boolean };
        if (reply.id === id) return { equivalent: reply.equivalent === true, timedOut: false };
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || Atomics.wait(flag, 0, seen, remaining) === 'timed-out') {
        this.stop();
        return { equivalent: false, timedOut: true };
      }
      seen = Atomics.load(flag, 0);
    }
  }

  stop(): void {
    if (this.worker !== null) void this.worker.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
    this.flag = null;
  }
}

/**
 * The same worker driven asynchronously: requests are queued (the worker is single-threaded)
 * and awaited, so the caller's event loop keeps running; the deadline is a timer.
 */
class AsyncComparisonWorker {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;

  private async start(): Promise<void> {
    const channel = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerUrl(), {
      workerData: { port: channel.port2, flag },
      transferList: [channel.port2],
    });
    worker.unref();
    const port = channel.port1;
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), STARTUP_TIMEOUT_MS);
      const onReady = (message: { ready?: boolean }) => {
        if (message.ready !== true) return;
        clearTimeout(timer);
        port.off('message', onReady);
        resolve(true);
      };
      port.on('message', onReady);
      worker.once('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    port.unref();
    if (!started) {
      void worker.terminate();
      port.close();
      throw new EvaluatorError({
        code: 'worker_start_failed',
        message: 'comparison worker did not start',
      });
    }
    this.worker = worker;
    this.port = port;
  }

  run(request: SymbolicRequest, timeoutMs: number): Promise<SymbolicOutcome> {
    const result = this.queue.then(() => this.runNow(request, timeoutMs));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(request: SymbolicRequest, timeoutMs: number): Promise<SymbolicOutcome> {
    if (this.worker === null) await this.start();
    const port = this.port!;
    const id = this.nextId++;
    return new Promise<SymbolicOutcome>((resolve) => {
      const onMessage = (reply: { id: number; equivalent?: boolean }) => {
        if (reply.id !== id) return;
        clearTimeout(timer);
        port.off('message', onMessage);
        port.unref();
        resolve({ equivalent: reply.equivalent === true, timedOut: false });
      };
      const timer = setTimeout(() => {
        port.off('message', onMessage);
        this.stop();
        resolve({ equivalent: false, timedOut: true });
      }, timeoutMs);
      port.on('message', onMessage);
      port.ref();
      port.postMessage({ id, request });
    });
  }

  stop(): void {
    if (this.worker !== null) void this.worker.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
  }
}

let shared: ComparisonWorker | null = null;
let sharedAsync: AsyncComparisonWorker | null = null;

/** Run a symbolic comparison under a deadline (in the shared worker), or inline without one. */
export function runSymbolic(
  request: SymbolicRequest,
  options: { timeoutMs: number; isolation: ComparisonIsolation },
): SymbolicOutcome {
  if (options.isolation === 'inline')
    return { equivalent: compareSymbolic(request), timedOut: false };
  shared ??= new ComparisonWorker();
  return shared.run(request, options.timeoutMs);
}

/** `runSymbolic` without blocking: awaited in its own worker, still under the deadline. */
export async function runSymbolicAsync(
  request: SymbolicRequest,
  options: { timeoutMs: number; isolation: ComparisonIsolation },
): Promise<SymbolicOutcome> {
  if (options.isolation === 'inline')
    return { equivalent: compareSymbolic(request), timedOut: false };
  sharedAsync ??= new AsyncComparisonWorker();
  return sharedAsync.run(request, options.timeoutMs);
}

/** Stop the shared comparison workers (they are unref'd, so this is only needed to free them early). */
export function stopComparisonWorker(): void {
  shared?.stop();
  shared = null;
  sharedAsync?.stop();
  sharedAsync = null;
}
