import { PythonPoolError } from '../errors.js';
import { type IsolationPlan, type IsolationRequest, planIsolation } from './isolation.js';
import {
  type IsolationReport,
  type PythonExecutionResult,
  type PythonExecutor,
  type PythonLimitsInput,
  type PythonRunOptions,
  pythonRunOptionsSchema,
  resolvePythonLimits,
  truncationMarker,
} from './types.js';
import { PythonWorker, type WorkerFailure, type WorkerInfo } from './worker.js';

export interface PythonPoolOptions {
  /** Number of persistent workers. Default 2. */
  size?: number | undefined;
  /**
   * Interpreter to use; shims are resolved to the real executable once (a venv's is kept).
   * Default: `$AUTOTRAJ_PYTHON` (set by `./dev` to the project's venv), else `python3`.
   */
  python?: string | undefined;
  /** `auto` (default) uses the strongest of bwrap, namespaces, network-only, none that works here. */
  isolation?: IsolationRequest | undefined;
  /** Limits for calls that do not set their own. */
  defaults?: PythonLimitsInput | undefined;
  /** uid the cells run as when the pool runs as root (namespaces mode). Default 65534 (nobody). */
  sandboxUid?: number | undefined;
  /** RLIMIT_NPROC for that uid: caps fork bombs. Default 64. */
  maxProcesses?: number | undefined;
  /** Private directories hidden behind an empty tmpfs (namespaces mode). Default `/root`, `/home`. */
  hideDirs?: string[] | undefined;
  /** Largest file a cell may write (RLIMIT_FSIZE), in MB. Default 64. */
  maxFileMb?: number | undefined;
  /**
   * Replace a worker after this many cells, once no session is pinned to it: bounds how long
   * module-level changes one session made (monkeypatches, threads) can affect others. Default: never.
   */
  recycleAfterCalls?: number | undefined;
  /** Modules imported once per worker before it serves calls (e.g. `sympy`), so cells start warm. */
  preload?: string[] | undefined;
  /** Extra environment for the workers; the parent's environment is never passed on. */
  env?: Record<string, string> | undefined;
  /** Called once, when the first worker is up, with what isolation is active. */
  onIsolation?: ((report: IsolationReport) => void) | undefined;
}

/** A pool of persistent Python workers with sessions and per-call limits. */
export interface PythonPool extends PythonExecutor {
  /** Resolves when every worker is up; rejects if none can start. */
  ready(): Promise<void>;
  readonly size: number;
}

interface Job {
  kind: 'exec' | 'end';
  code: string;
  options: PythonRunOptions;
  resolve: (result: PythonExecutionResult | undefined) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  index: number;
  worker: PythonWorker | undefined;
  starting: Promise<PythonWorker> | undefined;
  busy: boolean;
  sessions: Set<string>;
}

const BASE_ENV: Record<string, string> = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONIOENCODING: 'utf-8',
  // One thread per numeric library: workers are the unit of parallelism.
  OPENBLAS_NUM_THREADS: '1',
  OMP_NUM_THREADS: '1',
  MKL_NUM_THREADS: '1',
  MPLBACKEND: 'Agg',
};

/** The interpreter used when none is given: `$AUTOTRAJ_PYTHON`, else `python3` on PATH. */
export function defaultPython(): string {
  const fromEnv = process.env.AUTOTRAJ_PYTHON;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : 'python3';
}

function report(plan: IsolationPlan, info: WorkerInfo | undefined): IsolationReport {
  const layers = info?.layers ?? {};
  const ro = layers.readonlyFs;
  const user = layers.unprivilegedUser;
  const notes = [...plan.notes];
  for (const [name, layer] of Object.entries(layers))
    if (!layer.ok) notes.push(`${name} failed: ${layer.detail}`);
  const network = plan.mode === 'none' ? 'shared' : 'isolated';
  const filesystem =
    plan.mode === 'bwrap'
      ? 'read-only view of / (bubblewrap), writable private working directory'
      : ro?.ok
        ? `read-only view of every mount, writable private working directory (${ro.detail})`
        : 'shared with the parent: cells can write wherever the parent user can; the working directory is private and removed afterwards';
  const processes =
    plan.mode === 'namespaces' || plan.mode === 'bwrap'
      ? `own pid namespace (parent and host processes invisible)${user?.ok ? `, ${user.detail}` : ', same uid as the parent'}`
      : 'same pid namespace and uid as the parent: cells can see and signal its processes';
  const environment = 'scrubbed: only PATH, HOME, TMPDIR, locale and thread-count variables';
  const summary = `python sandbox: mode=${plan.mode}; network ${network}; filesystem ${ro?.ok || plan.mode === 'bwrap' ? 'read-only' : 'shared'}; ${
    user?.ok ? user.detail : 'parent uid'
  }; environment scrubbed; limits: wall timeout, RLIMIT_AS, RLIMIT_CPU, output cap`;
  return { mode: plan.mode, network, filesystem, processes, environment, summary, notes };
}

/** Start a pool of persistent Python workers (they start in the background; `ready()` waits). */
export function createPythonPool(options: PythonPoolOptions = {}): PythonPool {
  const size = options.size ?? 2;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`createPythonPool: size must be a positive integer, got ${size}`);
  const defaults = resolvePythonLimits(options.defaults);
  const planPromise = planIsolation({
    python: options.python ?? defaultPython(),
    request: options.isolation ?? 'auto',
  });
  // Keep an unhandled-rejection warning away when nobody awaits the plan yet.
  planPromise.catch(() => {});
  const slots: Slot[] = Array.from({ length: size }, (_, index) => ({
    index,
    worker: undefined,
    starting: undefined,
    busy: false,
    sessions: new Set(),
  }));
  const queue: Job[] = [];
  const affinity = new Map<string, Slot>();
  const resetSessions = new Set<string>();
  let closed = false;
  let firstInfo: WorkerInfo | undefined;
  let announced = false;

  const startWorker = (slot: Slot): Promise<PythonWorker> => {
    slot.starting ??= (async () => {
      const plan = await planPromise;
      const worker = await PythonWorker.start({
        plan,
        env: { ...BASE_ENV, ...options.env },
        sandboxUid: options.sandboxUid ?? 65534,
        maxProcesses: options.maxProcesses ?? 64,
        hideDirs: options.hideDirs ?? ['/root', '/home'],
        preload: options.preload ?? [],
        startTimeoutMs: 30_000,
      });
      if (closed) {
        worker.kill();
        throw new PythonPoolError({ message: 'python pool is closed' });
      }
      firstInfo ??= worker.info;
      if (!announced && options.onIsolation) {
        announced = true;
        options.onIsolation(report(plan, worker.info));
      }
      worker.onceExit(() => {
        if (slot.worker !== worker) return;
        slot.worker = undefined;
        // Sessions pinned here lost their namespace; their next call starts clean and says so.
        for (const session of slot.sessions) {
          affinity.delete(session);
          resetSessions.add(session);
        }
        slot.sessions.clear();
        if (!closed) void startWorker(slot).catch(() => {});
      });
      slot.worker = worker;
      return worker;
    })().finally(() => {
      slot.starting = undefined;
    });
    return slot.starting;
  };

  for (const slot of slots) void startWorker(slot).catch(() => {});

  const pick = (job: Job): Slot | undefined => {
    const sessionId = job.options.sessionId;
    const pinned = sessionId === undefined ? undefined : affinity.get(sessionId);
    if (pinned !== undefined) return pinned.busy ? undefined : pinned;
    // Prefer a slot with a live worker (an idle one without starts one), and for a new session
    // the one with the fewest sessions pinned, so later calls of sessions rarely wait on each other.
    let best: Slot | undefined;
    const rank = (slot: Slot) =>
      (slot.worker?.alive ? 0 : 1000) + (sessionId === undefined ? 0 : slot.sessions.size);
    for (const slot of slots)
      if (!slot.busy && (best === undefined || rank(slot) < rank(best))) best = slot;
    return best;
  };

  const dispatch = () => {
    // Scan only while some slot is free: with thousands queued this stays cheap.
    for (let i = 0; i < queue.length && slots.some((slot) => !slot.busy); ) {
      const job = queue[i]!;
      const slot = pick(job);
      if (slot === undefined) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      slot.busy = true;
      void execute(slot, job).finally(() => {
        const worker = slot.worker;
        const recycleAfter = options.recycleAfterCalls;
        if (
          recycleAfter !== undefined &&
          worker?.alive &&
          slot.sessions.size === 0 &&
          worker.calls >= recycleAfter
        ) {
          worker.kill('recycled');
        }
        slot.busy = false;
        dispatch();
      });
    }
  };

  const endSession = async (slot: Slot, job: Job): Promise<void> => {
    const sessionId = job.options.sessionId!;
    affinity.delete(sessionId);
    slot.sessions.delete(sessionId);
    try {
      if (slot.worker?.alive) await slot.worker.endSession(sessionId);
    } catch {
      // A worker that cannot end a session is killed: the namespace goes with it.
      slot.worker?.kill();
    }
    job.resolve(undefined);
  };

  const execute = async (slot: Slot, job: Job): Promise<void> => {
    if (job.kind === 'end') return endSession(slot, job);
    const started = performance.now();
    const sessionId = job.options.sessionId;
    const timeoutMs = job.options.timeoutMs ?? defaults.timeoutMs;
    const maxOutputBytes = job.options.maxOutputBytes ?? defaults.maxOutputBytes;
    let worker: PythonWorker;
    try {
      worker = slot.worker?.alive ? slot.worker : await startWorker(slot);
    } catch (error) {
      job.reject(
        PythonPoolError.isInstance(error)
          ? error
          : new PythonPoolError({
              code: 'worker_start_failed',
              message: (error as Error).message,
              cause: error,
            }),
      );
      return;
    }
    const sessionReset = sessionId !== undefined && resetSessions.delete(sessionId);
    if (sessionId !== undefined) {
      affinity.set(sessionId, slot);
      slot.sessions.add(sessionId);
    }
    const base = { timedOut: false, truncated: false, ...(sessionReset ? { sessionReset } : {}) };
    try {
      const reply = await worker.exec(
        {
          code: job.code,
          ...(sessionId === undefined ? {} : { sessionId }),
          memoryMb: job.options.memoryMb ?? defaults.memoryMb,
          cpuSeconds: job.options.cpuSeconds ?? defaults.cpuSeconds,
          fileMb: options.maxFileMb ?? 64,
          maxOutputBytes,
        },
        timeoutMs,
      );
      const truncated = reply.droppedBytes > 0;
      job.resolve({
        ...base,
        stdout: truncated ? reply.stdout + truncationMarker(reply.droppedBytes) : reply.stdout,
        stderr: reply.stderr,
        error: reply.error,
        truncated,
        durationMs: performance.now() - started,
      });
    } catch (failure) {
      const f = failure as WorkerFailure;
      const timedOut = f.kind === 'timeout';
      const message = timedOut
        ? `execution exceeded the ${timeoutMs} ms time limit; the worker was killed`
        : `the python worker died while running the cell (${(f as { detail: string }).detail})`;
      job.resolve({
        ...base,
        stdout: '',
        stderr: '',
        error: { type: timedOut ? 'TimeoutError' : 'WorkerCrashed', message, traceback: '' },
        timedOut,
        durationMs: performance.now() - started,
      });
    }
  };

  return {
    size,
    run(code, runOptions = {}) {
      if (closed) return Promise.reject(new PythonPoolError({ message: 'python pool is closed' }));
      const parsed = pythonRunOptionsSchema.safeParse(runOptions);
      if (!parsed.success)
        return Promise.reject(
          new RangeError(
            `python run options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          ),
        );
      return new Promise<PythonExecutionResult>((resolve, reject) => {
        queue.push({
          kind: 'exec',
          code,
          options: parsed.data,
          resolve: (result) => resolve(result!),
          reject,
        });
        dispatch();
      });
    },
    async endSession(sessionId) {
      resetSessions.delete(sessionId);
      const slot = affinity.get(sessionId);
      if (slot === undefined) return;
      // Wait for the slot to be free so the namespace is not dropped under a running cell.
      await new Promise<void>((resolve) => {
        queue.push({
          kind: 'end',
          code: '',
          options: { sessionId },
          resolve: () => resolve(),
          reject: () => resolve(),
        });
        dispatch();
      });
    },
    async ready() {
      await Promise.all(
        slots.map((slot) => (slot.worker?.alive ? slot.worker : startWorker(slot))),
      );
    },
    async isolation() {
      const plan = await planPromise;
      if (firstInfo === undefined)
        await Promise.any(
          slots.map((slot) => (slot.worker?.alive ? slot.worker : startWorker(slot))),
        );
      return report(plan, firstInfo);
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0))
        job.reject(new PythonPoolError({ message: 'python pool closed before the call ran' }));
      await Promise.allSettled(slots.map((slot) => slot.starting));
      await Promise.all(
        slots.map(
          (slot) =>
            new Promise<void>((resolve) => {
              const worker = slot.worker;
              if (worker === undefined) return resolve();
              worker.onceExit(resolve);
              worker.kill();
            }),
        ),
      );
    },
  };
}
