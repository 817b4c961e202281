import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How workers are started: each mode wraps the interpreter in more (or fewer) kernel boundaries. */
export type IsolationMode = 'bwrap' | 'namespaces' | 'network-only' | 'none';
export type IsolationRequest = 'auto' | IsolationMode;

export interface IsolationPlan {
  mode: IsolationMode;
  /** Absolute path of the real interpreter (shims such as pyenv's are resolved once). */
  python: string;
  /** Command and arguments placed before `python ...`. */
  wrapper: string[];
  /** Whether the worker should build its own read-only view and drop to an unprivileged uid. */
  workerSandbox: boolean;
  /** Why a stronger mode was not used, if it was not. */
  notes: string[];
}

const UNSHARE_FULL = ['--mount', '--net', '--pid', '--fork', '--kill-child', '--mount-proc'];
const UNSHARE_NET = ['--net', '--fork', '--kill-child'];

function run(
  command: string,
  args: string[],
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: 10_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
      (error, stdout, stderr) =>
        resolve({ ok: error === null, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

const cache = new Map<string, Promise<IsolationPlan>>();

/** Probe once per interpreter and request: which of bubblewrap, namespaces or nothing works here. */
export function planIsolation(options: {
  python: string;
  request: IsolationRequest;
}): Promise<IsolationPlan> {
  const key = `${options.python}\0${options.request}`;
  let plan = cache.get(key);
  if (plan === undefined) {
    plan = probe(options);
    cache.set(key, plan);
  }
  return plan;
}

async function probe(options: {
  python: string;
  request: IsolationRequest;
}): Promise<IsolationPlan> {
  const resolved = await run(options.python, [
    '-c',
    // A venv's interpreter is kept as invoked (its realpath would lose the venv's packages);
    // anything else (a pyenv shim, a symlink) is resolved to the real executable once.
    'import os, sys; print(sys.executable if sys.prefix != sys.base_prefix else os.path.realpath(sys.executable))',
  ]);
  if (!resolved.ok)
    throw new Error(`cannot run ${options.python}: ${resolved.stderr.trim() || 'not found'}`);
  const python = resolved.stdout.trim();
  const notes: string[] = [];
  const want = options.request;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

  if (want === 'auto' || want === 'bwrap') {
    const bwrap = onPath('bwrap');
    if (bwrap !== null) {
      const args = [
        '--ro-bind',
        '/',
        '/',
        '--dev',
        '/dev',
        '--proc',
        '/proc',
        '--unshare-net',
        '--unshare-pid',
        '--die-with-parent',
        '--new-session',
      ];
      const check = await run(bwrap, [...args, python, '-c', 'pass']);
      if (check.ok)
        return { mode: 'bwrap', python, wrapper: [bwrap, ...args], workerSandbox: false, notes };
      notes.push(`bwrap is installed but failed: ${check.stderr.trim().split('\n')[0] ?? ''}`);
    } else notes.push('bwrap not installed');
    if (want === 'bwrap')
      throw new Error(`isolation 'bwrap' requested but unavailable: ${notes.join('; ')}`);
  }
  const unshare = onPath('unshare');
  if (want === 'auto' || want === 'namespaces') {
    if (unshare !== null && isRoot) {
      const check = await run(unshare, [...UNSHARE_FULL, python, '-c', 'pass']);
      if (check.ok)
        return {
          mode: 'namespaces',
          python,
          wrapper: [unshare, ...UNSHARE_FULL],
          workerSandbox: true,
          notes,
        };
      notes.push(`unshare (mount/net/pid) failed: ${check.stderr.trim().split('\n')[0] ?? ''}`);
    } else
      notes.push(
        unshare === null ? 'unshare not found' : 'not root: mount/pid namespaces unavailable',
      );
    if (want === 'namespaces')
      throw new Error(`isolation 'namespaces' requested but unavailable: ${notes.join('; ')}`);
  }
  if (want === 'auto' || want === 'network-only') {
    if (unshare !== null) {
      const check = await run(unshare, [...UNSHARE_NET, python, '-c', 'pass']);
      if (check.ok)
        return {
          mode: 'network-only',
          python,
          wrapper: [unshare, ...UNSHARE_NET],
          workerSandbox: false,
          notes,
        };
      notes.push(`unshare --net failed: ${check.stderr.trim().split('\n')[0] ?? ''}`);
    }
    if (want === 'network-only')
      throw new Error(`isolation 'network-only' requested but unavailable: ${notes.join('; ')}`);
  }
  return { mode: 'none', python, wrapper: [], workerSandbox: false, notes };
}
