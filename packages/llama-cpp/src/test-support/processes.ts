import { readdirSync, readFileSync } from 'node:fs';

/** Live child processes of `pid` (Linux /proc) whose command line contains `match`. */
export function childPids(pid: number, match = ''): number[] {
  const pids: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of children === '' ? [] : children.split(/\s+/).map(Number))
      if (isAlive(child) && commandLine(child).includes(match)) pids.push(child);
  }
  return pids;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Running or stopped; a zombie (dead, not yet reaped) is not alive. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Milliseconds until `pid` is gone, or undefined if it is still alive after `timeoutMs`. */
export async function timeUntilGone(pid: number, timeoutMs: number): Promise<number | undefined> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (!isAlive(pid)) return performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return isAlive(pid) ? undefined : performance.now() - start;
}

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
