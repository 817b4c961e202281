import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { IsolationPlan } from './isolation.js';
import { workerSource } from './worker-script.js';

const readySchema = z.object({
  ready: z.literal(true),
  info: z.object({
    pid: z.number(),
    python: z.string(),
    layers: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string() })),
  }),
});
export type WorkerInfo = z.infer<typeof readySchema>['info'];

const execReplySchema = z.object({
  id: z.number(),
  stdout: z.string(),
  stderr: z.string(),
  droppedBytes: z.number(),
  error: z.object({ type: z.string(), message: z.string(), traceback: z.string() }).nullable(),
});
export type ExecReply = z.infer<typeof execReplySchema>;
const endReplySchema = z.object({ id: z.number(), ended: z.literal(true) });

export interface WorkerConfig {
  plan: IsolationPlan;
  env: Record<string, string>;
  sandboxUid: number;
  maxProcesses: number;
  hideDirs: string[];
  preload: string[];
  startTimeoutMs: number;
}

export interface ExecRequest {
  code: string;
  sessionId?: string;
  memoryMb?: number;
  cpuSeconds?: number;
  fileMb?: number;
  maxOutputBytes: number;
}

/** How a request ended when the worker could not answer it. */
export type WorkerFailure = { kind: 'timeout' } | { kind: 'crash'; detail: string };

const MAX_FRAME_SLACK = 1024 * 1024;

// Workers do not keep Node alive on their own (a pending call's timer does); when the process
// exits, whatever is still running is killed and its private directory removed.
const live = new Set<PythonWorker>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const worker of live) {
      worker.kill('parent exited');
      worker.removeWorkdir();
    }
  });
}

/** One persistent `python3` process speaking length-prefixed JSON frames on its own pipes. */
export class PythonWorker {
  readonly workdir: string;
  /** Cells this worker has run. */
  calls = 0;
  info: WorkerInfo | undefined;
  private readonly child: ChildProcess;
  private buffer: Buffer = Buffer.alloc(0);
  private pending:
    | { resolve: (value: unknown) => void; reject: (failure: WorkerFailure) => void; id: number }
    | undefined;
  private nextId = 1;
  private exited = false;
  private diagnostics = '';
  private readonly exitListeners: Array<() => void> = [];
  private maxFrameBytes = 16 * 1024 * 1024;

  private constructor(config: WorkerConfig) {
    this.workdir = realpathSync(mkdtempSync(join(tmpdir(), 'autotraj-py-')));
    const workerConfig = JSON.stringify({
      workdir: this.workdir,
      isolate: config.plan.workerSandbox,
      sandboxUid: config.sandboxUid,
      maxProcesses: config.maxProcesses,
      hideDirs: config.hideDirs,
      preload: config.preload,
    });
    const wrapper =
      config.plan.mode === 'bwrap'
        ? [...config.plan.wrapper, '--bind', this.workdir, this.workdir]
        : config.plan.wrapper;
    const argv = [...wrapper, config.plan.python, '-I', '-u', '-c', workerSource(), workerConfig];
    this.child = spawn(argv[0]!, argv.slice(1), {
      cwd: this.workdir,
      env: { ...config.env, HOME: this.workdir, TMPDIR: this.workdir },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group, so a kill reaches whatever the cell started (outside a pid namespace too).
      detached: true,
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.diagnostics = (this.diagnostics + chunk.toString('utf8')).slice(-4000);
    });
    this.child.stdin!.on('error', () => {});
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr])
      (stream as unknown as { unref?: () => void })?.unref?.();
    live.add(this);
    installExitHook();
    this.child.on('error', (error) => {
      this.onExit(`could not start: ${error.message}`);
      this.removeWorkdir();
    });
    this.child.on('exit', (code, signal) => {
      this.onExit(signal ? `killed by signal ${signal}` : `exited with code ${code}`);
      // Only now is nothing writing into the directory any more.
      this.removeWorkdir();
    });
  }

  static async start(config: WorkerConfig): Promise<PythonWorker> {
    const worker = new PythonWorker(config);
    const timer = setTimeout(() => worker.kill(), config.startTimeoutMs);
    try {
      const ready = readySchema.parse(await worker.await(0));
      worker.info = ready.info;
      return worker;
    } catch (failure) {
      worker.kill();
      const detail =
        (failure as WorkerFailure).kind === 'crash'
          ? (failure as { detail: string }).detail
          : String(failure);
      throw new Error(
        `python worker did not start: ${detail}${worker.diagnostics ? `\n${worker.diagnostics.trim()}` : ''}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  get alive(): boolean {
    return !this.exited;
  }

  onceExit(listener: () => void): void {
    if (this.exited) listener();
    else this.exitListeners.push(listener);
  }

  /** Run one cell; rejects with a WorkerFailure when the worker dies or exceeds `timeoutMs`. */
  async exec(request: ExecRequest, timeoutMs: number): Promise<ExecReply> {
    const id = this.nextId++;
    this.calls++;
    // JSON escapes can grow control characters up to 6x.
    this.maxFrameBytes = request.maxOutputBytes * 8 + MAX_FRAME_SLACK;
    const reply = this.await(id, timeoutMs);
    this.send({ id, op: 'exec', ...request });
    const parsed = execReplySchema.safeParse(await reply);
    if (!parsed.success) {
      this.kill();
      throw { kind: 'crash', detail: 'worker sent a malformed reply' } satisfies WorkerFailure;
    }
    return parsed.data;
  }

  async endSession(sessionId: string, timeoutMs = 5000): Promise<void> {
    const id = this.nextId++;
    const reply = this.await(id, timeoutMs);
    this.send({ id, op: 'end', sessionId });
    endReplySchema.parse(await reply);
  }

  /** Remove the private working directory (best effort: a dying cell may still be writing). */
  removeWorkdir(): void {
    try {
      rmSync(this.workdir, { recursive: true, force: true, maxRetries: 3 });
    } catch {}
  }

  /** Kill the worker (and its process group); it counts as gone at once, before the exit event. */
  kill(reason = 'killed by the pool'): void {
    if (this.exited) return;
    if (this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        this.child.kill('SIGKILL');
      }
    }
    this.onExit(reason);
  }

  private await(id: number, timeoutMs?: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.exited) {
        reject({ kind: 'crash', detail: 'worker is not running' } satisfies WorkerFailure);
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          if (timer) clearTimeout(timer);
          this.pending = undefined;
          fn(value);
        };
      this.pending = { id, resolve: settle(resolve), reject: settle(reject) };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const pending = this.pending;
          this.pending = undefined;
          this.kill();
          pending?.reject({ kind: 'timeout' });
        }, timeoutMs);
      }
    });
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length);
    this.child.stdin!.write(Buffer.concat([header, body]));
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (length > this.maxFrameBytes) {
        this.protocolError(`frame of ${length} bytes`);
        return;
      }
      if (this.buffer.length < 4 + length) return;
      const body = this.buffer.subarray(4, 4 + length);
      this.buffer = this.buffer.subarray(4 + length);
      let message: unknown;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch {
        this.protocolError('frame is not JSON');
        return;
      }
      const pending = this.pending;
      const id = (message as { id?: unknown }).id;
      if (
        pending === undefined ||
        (id !== undefined && id !== pending.id) ||
        (id === undefined && pending.id !== 0)
      ) {
        this.protocolError('unexpected frame');
        return;
      }
      pending.resolve(message);
    }
  }

  // The cell may write into the protocol pipe; anything out of order ends this worker.
  private protocolError(detail: string): void {
    this.kill();
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject({ kind: 'crash', detail: `protocol error: ${detail}` });
  }

  private onExit(detail: string): void {
    if (this.exited) return;
    this.exited = true;
    live.delete(this);
    const pending = this.pending;
    this.pending = undefined;
    const diag = this.diagnostics.trim();
    pending?.reject({
      kind: 'crash',
      detail: diag && pending.id === 0 ? `${detail}: ${diag}` : detail,
    });
    for (const listener of this.exitListeners.splice(0)) listener();
  }
}
