import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { RUN_FILES } from './layout.js';
import { RunLockedError, type RunLockOwner } from './run-dir-errors.js';

const lockSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  command: z.string(),
  startedAt: z.string(),
});

/** A held lock on a run directory; `release` removes it (idempotent). */
export interface RunLock {
  readonly path: string;
  readonly owner: RunLockOwner;
  release(): void;
}

/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's owner, or null when there is no lock. An unreadable lock counts as stale. */
export function readRunLock(dir: string): RunLockOwner | null {
  let text: string;
  try {
    text = readFileSync(join(dir, RUN_FILES.lock), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = lockSchema.safeParse(safeJson(text));
  // A lock cut by a kill between create and write has no owner to wait for.
  return parsed.success ? parsed.data : { pid: 0, host: hostname(), command: '?', startedAt: '?' };
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** A lock whose process is gone: same host and no such pid (a killed run leaves one behind). */
export function isStaleLock(owner: RunLockOwner): boolean {
  return owner.host === hostname() && (owner.pid <= 0 || !isAlive(owner.pid));
}

/** Throws `RunLockedError` when a live process holds the directory; touches nothing. */
export function assertRunUnlocked(dir: string): void {
  const owner = readRunLock(dir);
  if (owner !== null && !isStaleLock(owner)) throw new RunLockedError({ dir, owner });
}

/**
 * Take the directory's lock (`run.lock`: pid, host, command, start time), created exclusively
 * so two processes starting at once cannot both hold it: the second gets `RunLockedError`. A
 * lock left by a killed process on this host (its pid is gone) is broken and taken over. A lock
 * from another host cannot be checked and is honoured. The directory must exist.
 */
export function acquireRunLock(dir: string, options: { command: string }): RunLock {
  const path = join(dir, RUN_FILES.lock);
  const owner: RunLockOwner = {
    pid: process.pid,
    host: hostname(),
    command: options.command,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw error;
      const held = readRunLock(dir);
      if (held === null) continue;
      if (!isStaleLock(held)) throw new RunLockedError({ dir, owner: held });
      breakStaleLock(dir, path, held);
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(owner)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      owner,
      release() {
        if (released) return;
        released = true;
        // Only our own lock: never one another process took after ours was broken.
        if (readRunLock(dir)?.pid === process.pid) rmSync(path, { force: true });
      },
    };
  }
}

/**
 * Move a stale lock out of the way. Renamed, not deleted: if another process broke the same
 * lock and took a fresh one in between, what was renamed is that fresh lock, which goes back.
 */
function breakStaleLock(dir: string, path: string, stale: RunLockOwner): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = lockSchema.safeParse(safeJson(readFileSync(aside, 'utf8')));
  if (moved.success && moved.data.pid !== stale.pid && !isStaleLock(moved.data)) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process locked meanwhile: the exclusive create below refuses against it.
    }
    rmSync(aside, { force: true });
    throw new RunLockedError({ dir, owner: moved.data });
  }
  rmSync(aside, { force: true });
}
