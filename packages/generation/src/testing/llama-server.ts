// llama.cpp's real `llama-server` as a peer: tests of the continuation modes and of the loopback
// server's `llama.cpp` backend start it, and so does @autotraj/llama-cpp's bench (the embedded
// engine against the server). The caller names the binary and the model file.
import { type ChildProcess, spawn } from 'node:child_process';

/** Where the `llama-server` binary and the GGUF model file are. */
export interface LlamaServerPaths {
  binary: string;
  model: string;
}

export interface StartLlamaServerOptions extends LlamaServerPaths {
  /** Context size over all slots (default 2048). */
  contextSize?: number;
  /** Parallel slots (default 1). */
  slots?: number;
  /** Threads for generation and for prompt processing (default 1: the machine is shared). */
  threads?: number;
  /** More command-line arguments. */
  args?: string[];
  /** How long loading may take before giving up (default 120 s). */
  startTimeoutMs?: number;
}

export interface RunningLlamaServer {
  /** `http://127.0.0.1:<port>`: the server's own routes (`/health`, `/props`, `/apply-template`). */
  readonly origin: string;
  /** `<origin>/v1`: the OpenAI-compatible routes. */
  readonly baseURL: string;
  readonly pid: number;
  /** Everything the server wrote to stderr/stdout so far (its log). */
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test run that ends without calling close() (a crash, a timeout) must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Start `llama-server` on a port the OS picks (`--port 0`; the port is read from its log), and
 * wait until `/health` answers 200 (it answers 503 while the model loads).
 */
export async function startLlamaServer(
  options: StartLlamaServerOptions,
): Promise<RunningLlamaServer> {
  const threads = String(options.threads ?? 1);
  const args = [
    ...['--model', options.model, '--host', '127.0.0.1', '--port', '0'],
    ...[
      '--ctx-size',
      String(options.contextSize ?? 2048),
      '--parallel',
      String(options.slots ?? 1),
    ],
    ...['--threads', threads, '--threads-batch', threads, '--no-ui', '--no-warmup'],
    ...(options.args ?? []),
  ];
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log += chunk.toString('utf8');
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
        if (match) resolve(Number(match[1]));
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(
          new Error(
            `llama-server exited (${code ?? signal}) before listening:\n${log.slice(-2000)}`,
          ),
        ),
      );
    });
    const origin = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`llama-server exited while loading:\n${log.slice(-2000)}`);
      const status = await fetch(`${origin}/health`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      if (Date.now() > deadline)
        throw new Error(`llama-server did not become healthy in time:\n${log.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      origin,
      baseURL: `${origin}/v1`,
      pid: child.pid!,
      log: () => log,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
