import { hostname } from 'node:os';
import { join } from 'node:path';
import { AutoTrajError } from '../errors.js';
import { RUN_FILES } from './layout.js';
import { formatSettingDifferences, type SettingDifference } from './run-settings.js';

/**
 * A run was asked to resume a directory that holds a run made with other settings. Nothing in
 * the directory was changed. `differences` names each setting with both values.
 */
export class RunSettingsMismatchError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRunSettingsMismatchError';
  declare readonly code: 'run_settings_mismatch';
  readonly dir: string;
  /** The file the recorded settings came from (`settings.json`, or an older run's manifest). */
  readonly file: string;
  readonly differences: ReadonlyArray<SettingDifference>;

  constructor(options: {
    dir: string;
    file: string;
    differences: ReadonlyArray<SettingDifference>;
  }) {
    super({
      name: RunSettingsMismatchError.errorName,
      code: 'run_settings_mismatch',
      message: `${options.dir} holds a run made with other settings (${options.file}): ${formatSettingDifferences(options.differences)}. Nothing was changed; write this run to another directory, or start afresh here with forceNew (the old run is moved aside)`,
    });
    this.dir = options.dir;
    this.file = options.file;
    this.differences = options.differences;
  }

  static override isInstance(error: unknown): error is RunSettingsMismatchError {
    return AutoTrajError.hasName(error, RunSettingsMismatchError.errorName);
  }
}

/** Who holds a run directory's lock. */
export interface RunLockOwner {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

/**
 * Another process is working in the run directory (its lock names a live pid, or a pid on
 * another host that cannot be checked). Nothing in the directory was changed.
 */
export class RunLockedError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRunLockedError';
  declare readonly code: 'run_locked';
  readonly dir: string;
  readonly owner: RunLockOwner;

  constructor(options: { dir: string; owner: RunLockOwner }) {
    const { owner } = options;
    const lock = join(options.dir, RUN_FILES.lock);
    super({
      name: RunLockedError.errorName,
      code: 'run_locked',
      message: `${options.dir} is in use by ${owner.command} (pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}); wait for it to finish or use another directory${owner.host === hostname() ? ` (if pid ${owner.pid} is no longer that run, its pid was reused: delete ${lock})` : ` (a lock from another host cannot be checked: if that process is gone, delete ${lock})`}`,
    });
    this.dir = options.dir;
    this.owner = owner;
  }

  static override isInstance(error: unknown): error is RunLockedError {
    return AutoTrajError.hasName(error, RunLockedError.errorName);
  }
}
