// Test support (not part of the package): llama.cpp's real `llama-server`, built by
// `./dev llama-server`, started on SmolLM2 as a peer for tests of the continuation modes and of
// the loopback server's `llama.cpp` backend. Generation does not depend on @autotraj/llama-cpp
// (that package depends on this one), so the model file is found the way `./dev models` puts
// it: $AUTOTRAJ_MODELS_DIR/<file>.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** CI sets AUTOTRAJ_REQUIRE_LLAMA_SERVER=1 after `./dev llama-server`: a missing binary fails there. */
export const requireLlamaServer = process.env.AUTOTRAJ_REQUIRE_LLAMA_SERVER === '1';

/** The file `./dev models` fetches for SmolLM2-135M-Instruct (as @autotraj/llama-cpp names it). */
export const SMOLLM2_FILE = 'SmolLM2-135M-Instruct.Q4_1.gguf';

export interface LlamaServerPaths {
  binary: string;
  model: string;
}

/**
 * The `llama-server` binary (`$AUTOTRAJ_LLAMA_SERVER`, else the build `./dev llama-server` left
 * in .cache/llama-server/current) and SmolLM2, or undefined with a note naming the command
 * that provides what is missing. Where AUTOTRAJ_REQUIRE_LLAMA_SERVER=1 (CI), missing is an error.
 */
export function llamaServerPaths(): LlamaServerPaths | undefined {
  const binary =
    process.env.AUTOTRAJ_LLAMA_SERVER ??
    join(repoRoot, '.cache', 'llama-server', 'current', 'bin', 'llama-server');
  // The per-user models cache, by the rule @autotraj/llama-cpp's modelsDir() follows.
  const modelsDir =
    process.env.AUTOTRAJ_MODELS_DIR ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'autotraj', 'models');
  const model = join(modelsDir, SMOLLM2_FILE);
  const missing = [
    ...(existsSync(binary) ? [] : [`${binary} does not exist (build it: ./dev llama-server)`]),
    ...(existsSync(model) ? [] : [`${model} does not exist (fetch it: ./dev models)`]),
  ];
  if (missing.length === 0) return { binary, model };
  const message = `the real llama-server tests need: ${missing.join('; ')}`;
  if (requireLlamaServer) throw new Error(`${message} (AUTOTRAJ_REQUIRE_LLAMA_SERVER=1)`);
  console.warn(`skipping ${message}`);
  return undefined;
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
