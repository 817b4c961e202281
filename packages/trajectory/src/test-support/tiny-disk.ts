import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real filesystem that fills up: a tmpfs of a few KB (needs root and mount). */
export interface TinyDisk {
  dir: string;
  /** Give the filesystem more room (`mount -o remount,size=`), as freeing space would. */
  grow(bytes: number): void;
  unmount(): void;
}

/** Mounts a tmpfs of `bytes`; undefined where this process may not mount (not root, no tmpfs). */
export function mountTinyDisk(bytes: number): TinyDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'autotraj-tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    grow: (more) => {
      execFileSync('mount', ['-o', `remount,size=${more}`, dir], { stdio: 'ignore' });
    },
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
