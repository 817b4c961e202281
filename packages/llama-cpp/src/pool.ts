import type { ChildProcess } from 'node:child_process';
import { GgufFileError, LlamaCppError } from './errors.js';
import { evidenceLine, memoryFacts, outOfMemoryError, saysOutOfMemory } from './out-of-memory.js';
import type {
  GenerateRequest,
  GenerateResult,
  LoadInfo,
  SerializedError,
  WorkerInit,
  WorkerMessage,
} from './protocol.js';
import { forkWorker } from './worker-process.js';

export interface WorkerPoolOptions extends WorkerInit {
  /** Worker processes, each holding its own copy of the model. */
  workers: number;
}

export interface PoolCall {
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
}

interface Job {
  id: number;
  request: GenerateRequest;
  call: PoolCall;
  resolve: (result: GenerateResult) => void;
  reject: (error: unknown) => void;
  onAbort?: () => void;
  /** Why each earlier attempt's worker died (`exited with SIGKILL`). */
  workerDeaths: string[];
  /** Text the caller has been given through `onDelta`. */
  streamed: string;
  /** Text the current attempt has produced so far. */
  attemptText: string;
  /** The current attempt's text is not the text already streamed: it is being stopped. */
  diverged: boolean;
}

/**
 * Attempts at one call whose worker process dies under it (killed, crashed) before the call
 * fails. A worker that dies loading is not retried: the model cannot be served.
 */
export const MAX_CALL_ATTEMPTS = 3;

interface Worker {
  child: ChildProcess;
  ready: Promise<LoadInfo>;
  info?: LoadInfo;
  /** The calls it runs (at most one per sequence), by id; removed when a call settles. */
  jobs: Map<number, Job>;
  /**
   * Text of each sequence's context after its last call (prompt plus output), the most recent
   * last; at most one per sequence.
   */
  contextTexts: string[];
  dead: boolean;
  /** The last few KB the worker wrote to stderr. */
  stderrTail: string;
}

const STDERR_TAIL = 4096;

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

function divergedError(job: Job): LlamaCppError {
  return new LlamaCppError({
    code: 'worker_failed',
    message: `the model worker died mid-stream (${job.workerDeaths.join('; ')}) and the retried call wrote different text than was already streamed (sampling without a seed); the stream cannot be continued`,
  });
}

function revive(error: SerializedError): Error {
  if (error.name === GgufFileError.errorName && error.file !== undefined)
    return new GgufFileError({
      file: error.file,
      code: error.code === 'model_file_missing' ? 'model_file_missing' : 'model_file_invalid',
      detail: error.message.startsWith(`${error.file}: `)
        ? error.message.slice(error.file.length + 2)
        : error.message,
    });
  if (error.name === LlamaCppError.errorName)
    return new LlamaCppError({
      code:
        (error.code as ConstructorParameters<typeof LlamaCppError>[0]['code']) ?? 'worker_failed',
      message: error.message,
    });
  return new LlamaCppError({ code: 'worker_failed', message: `model worker: ${error.message}` });
}

/**
 * N worker processes, each with the model loaded and one context (of `sequences` sequences,
 * default 1). A call goes to the worker with a free sequence whose last contexts share the
 * longest prefix with its prompt, so a growing transcript keeps landing where its prefix is
 * already evaluated; calls beyond N x sequences wait in order.
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  /** Calls one worker runs at once. */
  readonly #sequences: number;
  readonly #workers: Worker[] = [];
  readonly #pending: Job[] = [];
  #nextId = 1;
  #closed = false;
  #failure: unknown;
  #dispatchScheduled = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1)
      throw new RangeError(`workers must be a positive integer, got ${options.workers}`);
    if (
      options.sequences !== undefined &&
      (!Number.isInteger(options.sequences) || options.sequences < 1)
    )
      throw new RangeError(`sequences must be a positive integer, got ${options.sequences}`);
    this.#options = options;
    this.#sequences = options.sequences ?? 1;
    for (let i = 0; i < options.workers; i++) this.#workers.push(this.#spawn());
  }

  /** Resolves once every worker has loaded the model; rejects with the first load failure. */
  async ready(): Promise<LoadInfo[]> {
    return Promise.all(this.#workers.map((w) => w.ready));
  }

  generate(request: GenerateRequest, call: PoolCall = {}): Promise<GenerateResult> {
    if (this.#closed)
      return Promise.reject(
        new LlamaCppError({ code: 'model_closed', message: 'the local model was closed' }),
      );
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (call.signal?.aborted) return Promise.reject(abortReason(call.signal));
    return new Promise<GenerateResult>((resolve, reject) => {
      const job: Job = {
        id: this.#nextId++,
        request,
        call,
        resolve,
        reject,
        workerDeaths: [],
        streamed: '',
        attemptText: '',
        diverged: false,
      };
      if (call.signal) {
        const signal = call.signal;
        job.onAbort = () => {
          const queued = this.#pending.indexOf(job);
          if (queued !== -1) {
            this.#pending.splice(queued, 1);
            reject(abortReason(signal));
            return;
          }
          // Running: the worker stops at the next token and answers `done` (finish 'aborted').
          const worker = this.#workers.find((w) => w.jobs.get(job.id) === job);
          worker?.child.send({ type: 'abort', id: job.id });
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#pending.push(job);
      this.#scheduleDispatch();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new LlamaCppError({
      code: 'model_closed',
      message: 'the local model was closed',
    });
    for (const job of this.#pending.splice(0)) this.#settle(job, () => job.reject(closed));
    await Promise.all(
      this.#workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.dead || w.child.exitCode !== null) return resolve();
            const timer = setTimeout(() => w.child.kill('SIGKILL'), 5_000);
            w.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (w.child.connected) w.child.send({ type: 'close' });
            else w.child.kill('SIGTERM');
          }),
      ),
    );
  }

  #spawn(): Worker {
    const child = forkWorker();
    let readyResolve!: (info: LoadInfo) => void;
    let readyReject!: (error: unknown) => void;
    const ready = new Promise<LoadInfo>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    // Awaited by ready() or by a dispatch; never an unhandled rejection on its own.
    ready.catch(() => {});
    const worker: Worker = {
      child,
      ready,
      jobs: new Map(),
      contextTexts: [],
      dead: false,
      stderrTail: '',
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      worker.stderrTail = (worker.stderrTail + chunk.toString()).slice(-STDERR_TAIL);
    });
    child.on('message', (message: WorkerMessage) =>
      this.#onMessage(worker, message, readyResolve, readyReject),
    );
    child.on('error', (error) => this.#onExit(worker, error, readyReject));
    // 'close', not 'exit': it comes after the worker's stderr is read to the end.
    child.on('close', (code, signal) =>
      this.#onExit(worker, new Error(`exited with ${signal ?? `code ${code}`}`), readyReject),
    );
    const { workers: _, ...init } = this.#options;
    child.send({ type: 'init', init });
    return worker;
  }

  #onMessage(
    worker: Worker,
    message: WorkerMessage,
    readyResolve: (info: LoadInfo) => void,
    readyReject: (error: unknown) => void,
  ): void {
    switch (message.type) {
      case 'ready':
        worker.info = message.info;
        readyResolve(message.info);
        this.#dispatch();
        return;
      case 'init-failed': {
        const error = revive(message.error);
        this.#fail(error);
        readyReject(error);
        return;
      }
      case 'delta':
        {
          const job = worker.jobs.get(message.id);
          if (job !== undefined) this.#deliver(worker, job, message.text);
        }
        return;
      case 'done':
      case 'failed': {
        const job = worker.jobs.get(message.id);
        if (job === undefined) return;
        worker.jobs.delete(message.id);
        if (message.type === 'done') {
          worker.contextTexts.push(job.request.prompt + message.result.text);
          if (worker.contextTexts.length > this.#sequences) worker.contextTexts.shift();
          const signal = job.call.signal;
          if (message.result.finish === 'aborted' && signal?.aborted)
            this.#settle(job, () => job.reject(abortReason(signal)));
          else if (job.request.stream && (job.diverged || message.result.text !== job.streamed))
            this.#settle(job, () => job.reject(divergedError(job)));
          else
            this.#settle(job, () =>
              job.resolve({ ...message.result, workerDeaths: job.workerDeaths.length }),
            );
        } else {
          worker.contextTexts = [];
          this.#settle(job, () => job.reject(revive(message.error)));
        }
        this.#dispatch();
        return;
      }
    }
  }

  #onExit(worker: Worker, cause: Error, readyReject: (error: unknown) => void): void {
    if (worker.dead) return;
    worker.dead = true;
    const error = this.#deathError(worker, cause);
    readyReject(error);
    // Retried in reverse so they are first in line again in their original order.
    const jobs = [...worker.jobs.values()].reverse();
    worker.jobs.clear();
    for (const job of jobs) this.#retryOrReject(job, worker, cause, error);
    if (this.#closed) return;
    // A crashed worker is replaced unless the model never loaded at all.
    const index = this.#workers.indexOf(worker);
    if (worker.info !== undefined && index !== -1) this.#workers[index] = this.#spawn();
    else this.#fail(error);
  }

  /**
   * The call's worker died under it. A call is a pure function of its request (greedy, or
   * seeded sampling, gives the same text on any worker: see `Engine`), so it runs again on
   * another worker, first in line; nothing the caller was already streamed is sent twice.
   */
  #retryOrReject(job: Job, worker: Worker, cause: Error, error: LlamaCppError): void {
    const signal = job.call.signal;
    if (signal?.aborted) {
      this.#settle(job, () => job.reject(abortReason(signal)));
      return;
    }
    job.workerDeaths.push(cause.message);
    const loaded = worker.info !== undefined;
    if (this.#closed || !loaded || job.workerDeaths.length >= MAX_CALL_ATTEMPTS) {
      const failed =
        job.workerDeaths.length === 1
          ? error
          : new LlamaCppError({
              code: 'worker_failed',
              message: `the model worker died under this call ${job.workerDeaths.length} times (${job.workerDeaths.join('; ')}); giving up`,
              cause,
            });
      this.#settle(job, () => job.reject(failed));
      return;
    }
    job.attemptText = '';
    job.diverged = false;
    this.#pending.unshift(job);
    this.#scheduleDispatch();
  }

  /** Streams an attempt's text; a retried attempt first re-checks what was already sent. */
  #deliver(worker: Worker, job: Job, text: string): void {
    if (job.diverged) return;
    job.attemptText += text;
    const { attemptText, streamed } = job;
    const consistent =
      attemptText.length <= streamed.length
        ? streamed.startsWith(attemptText)
        : attemptText.startsWith(streamed);
    if (!consistent) {
      // Unseeded sampling wrote something else this time: the caller cannot un-receive text.
      job.diverged = true;
      worker.child.send({ type: 'abort', id: job.id });
      return;
    }
    if (attemptText.length <= streamed.length) return;
    job.streamed = attemptText;
    job.call.onDelta?.(attemptText.slice(streamed.length));
  }

  /** Why a worker died, as a typed error; a death while loading says what llama.cpp said. */
  #deathError(worker: Worker, cause: Error): LlamaCppError {
    if (worker.info !== undefined || this.#closed)
      return new LlamaCppError({
        code: 'worker_failed',
        message: `a model worker ${cause.message}`,
        cause,
      });
    const file = this.#options.modelPath;
    const said = worker.stderrTail;
    // A failed allocation in native code aborts the worker (GGML_ASSERT): it cannot answer.
    if (saysOutOfMemory(said))
      return outOfMemoryError({
        what: `${file} (the worker ${cause.message})`,
        evidence: evidenceLine(said),
        facts: memoryFacts(),
        cause,
      });
    const last = evidenceLine(said);
    return new LlamaCppError({
      code: 'worker_failed',
      message: `the model worker ${cause.message} while loading ${file}${last === '' ? '' : ` (its last words: ${last})`}${
        cause.message.includes('SIGKILL')
          ? '; if nothing else killed it, the kernel did for want of memory (see dmesg)'
          : ''
      }`,
      cause,
    });
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    for (const job of this.#pending.splice(0)) this.#settle(job, () => job.reject(error));
  }

  #settle(job: Job, settle: () => void): void {
    if (job.onAbort) job.call.signal?.removeEventListener('abort', job.onAbort);
    settle();
  }

  /**
   * Dispatch after the current turn of the event loop, so calls made together (Promise.all)
   * are matched to workers together rather than first come, first served.
   */
  #scheduleDispatch(): void {
    if (this.#dispatchScheduled) return;
    this.#dispatchScheduled = true;
    setImmediate(() => {
      this.#dispatchScheduled = false;
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (;;) {
      const idle = this.#workers.filter(
        (w) => !w.dead && w.info !== undefined && w.jobs.size < this.#sequences,
      );
      if (idle.length === 0 || this.#pending.length === 0) return;
      // Among the oldest waiting calls (as many as there are idle workers), the call and worker
      // sharing the longest prefix go first: a growing transcript returns to its own worker
      // even when an unrelated call arrived just before it.
      const window = this.#pending.slice(0, idle.length);
      let best: { job: Job; worker: Worker; shared: number } | undefined;
      for (const job of window)
        for (const worker of idle) {
          let shared = 0;
          for (const text of worker.contextTexts)
            shared = Math.max(shared, commonPrefixLength(text, job.request.prompt));
          if (best === undefined || shared > best.shared) best = { job, worker, shared };
        }
      if (best === undefined) return;
      this.#pending.splice(this.#pending.indexOf(best.job), 1);
      best.worker.jobs.set(best.job.id, best.job);
      best.worker.child.send({ type: 'generate', id: best.job.id, request: best.job.request });
    }
  }
}
