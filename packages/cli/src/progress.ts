import type { CliIo } from './io.js';

// A one-line progress bar for long commands (synthesize, rollout, score), drawn on stderr and
// only on a terminal: logs and pipes get the commands' plain lines instead. Written here rather
// than taken from a library: it is one line of text, and what it needs (ETA from this run's own
// rate, resumed work left out of the rate) is specific to resumable stages.

export interface ProgressState {
  /** Units finished, including those done by an earlier run (resumed). */
  done: number;
  /** Units in all; null when unknown (no bar, no ETA). */
  total: number | null;
  /** Units already done when this run started: counted in `done`, not in the rate. */
  resumed: number;
  elapsedMs: number;
  /** `tasks`, `groups`, `trajectories`. */
  unit: string;
  /** Extra text after the figures (counts, last event). */
  tail?: string;
  width?: number;
}

/** `1m05s`, `42s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The rate in units per second (or per minute when slow), as a reader wants to see it. */
function formatRate(perSecond: number, unit: string): string {
  if (perSecond >= 1) return `${perSecond.toFixed(perSecond >= 10 ? 0 : 1)} ${unit}/s`;
  return `${(perSecond * 60).toFixed(1)} ${unit}/min`;
}

/**
 * The bar as text, e.g. `[######..........] 12/40 tasks  2.0 tasks/s  ETA 14s  kept 3`. The rate
 * counts only this run's units, so a resumed run's ETA is not flattered by work done earlier.
 */
export function renderProgress(state: ProgressState): string {
  const width = state.width ?? 24;
  const parts: string[] = [];
  if (state.total !== null && state.total > 0) {
    const filled = Math.min(width, Math.round((state.done / state.total) * width));
    parts.push(
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${state.done}/${state.total} ${state.unit}`,
    );
  } else {
    parts.push(`${state.done} ${state.unit}`);
  }
  const ran = state.done - state.resumed;
  const seconds = state.elapsedMs / 1000;
  if (ran > 0 && seconds > 0) {
    const rate = ran / seconds;
    parts.push(formatRate(rate, state.unit));
    if (state.total !== null) {
      const left = Math.max(0, state.total - state.done);
      parts.push(
        left === 0
          ? `done in ${formatDuration(state.elapsedMs)}`
          : `ETA ${formatDuration((left / rate) * 1000)}`,
      );
    }
  } else {
    parts.push('rate -');
  }
  if (state.tail !== undefined && state.tail !== '') parts.push(state.tail);
  return parts.join('  ');
}

export interface ProgressBar {
  /** Redraw with `done` units finished (resumed ones included). */
  update(done: number, tail?: string): void;
  /** End the line (once the work is over). */
  finish(): void;
}

/** A bar on `io.stderr` when it is a terminal; a no-op otherwise. */
export function createProgressBar(
  io: CliIo,
  options: { unit: string; total: number | null; resumed?: number; now?: () => number },
): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let drawn = false;
  if (!io.interactive) return { update: () => undefined, finish: () => undefined };
  return {
    update(done, tail) {
      drawn = true;
      io.stderr.write(
        `\r${renderProgress({ done, total: options.total, resumed: options.resumed ?? 0, elapsedMs: now() - started, unit: options.unit, ...(tail === undefined ? {} : { tail }) })}\x1b[K`,
      );
    },
    finish() {
      if (drawn) io.stderr.write('\n');
      drawn = false;
    },
  };
}
