import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// When this module runs from TypeScript source (the package's own tests), the worker is forked
// from source too: Node strips the types, and this hook maps the `.js` import specifiers of the
// sources to their `.ts` files.
const SOURCE_HOOKS = `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && /^\\.\\.?\\//.test(specifier) && specifier.endsWith('.js'))
      return next(specifier.slice(0, -3) + '.ts', context);
    throw error;
  }
}`;
const SOURCE_REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(
  `data:text/javascript,${encodeURIComponent(SOURCE_HOOKS)}`,
)});`;

/** Node flags that let a forked process import this package's TypeScript sources. */
export const SOURCE_EXEC_ARGV: ReadonlyArray<string> = [
  '--conditions=@autotraj/source',
  '--import',
  `data:text/javascript,${encodeURIComponent(SOURCE_REGISTER)}`,
];

function workerEntry(): { path: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url));
  return { path, execArgv: fromSource ? [...SOURCE_EXEC_ARGV] : [] };
}

let pdeathsigLauncher: string | null | undefined;

/**
 * util-linux's `setpriv` when it can set the parent-death signal, else null. Checked once by
 * running it: a setpriv without `--pdeathsig` (util-linux < 2.33) fails that run.
 */
function parentDeathLauncher(): string | null {
  if (pdeathsigLauncher !== undefined) return pdeathsigLauncher;
  pdeathsigLauncher = null;
  if (process.platform !== 'linux') return null;
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
    const probe = spawnSync(
      candidate,
      ['--pdeathsig', 'KILL', '--', process.execPath, '--version'],
      {
        stdio: 'ignore',
        timeout: 10_000,
      },
    );
    if (probe.status === 0) {
      pdeathsigLauncher = candidate;
      break;
    }
  }
  return pdeathsigLauncher;
}

/**
 * Forks a model worker. On Linux it is started through `setpriv --pdeathsig KILL`, so the kernel
 * kills it the moment this process dies, however it dies (SIGKILL, OOM killer) and whatever the
 * worker is doing: a worker busy in native code, or one that never reads its IPC channel again,
 * no longer outlives its parent holding a core and the model's memory. The worker's own
 * `disconnect` handler covers systems without setpriv.
 */
export function forkWorker(): ChildProcess {
  const entry = workerEntry();
  const options = {
    // stderr is piped: the pool passes it on and keeps its tail, which holds llama.cpp's reason
    // when the worker dies in native code (a failed allocation aborts the process).
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'] as ('ignore' | 'pipe' | 'ipc')[],
    serialization: 'advanced' as const,
  };
  const launcher = parentDeathLauncher();
  if (launcher === null) return fork(entry.path, [], { ...options, execArgv: entry.execArgv });
  // fork() runs `execPath ...execArgv modulePath`: setpriv sets the signal, then execs Node in
  // the same process (same pid, same IPC descriptor).
  return fork(entry.path, [], {
    ...options,
    execPath: launcher,
    execArgv: ['--pdeathsig', 'KILL', '--', process.execPath, ...entry.execArgv],
  });
}
