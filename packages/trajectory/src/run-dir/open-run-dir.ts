import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RUN_FILES } from './layout.js';
import { readRunJson } from './read-run-file.js';
import { RunSettingsMismatchError } from './run-dir-errors.js';
import { acquireRunLock, assertRunUnlocked, type RunLock } from './run-lock.js';
import {
  diffRunSettings,
  type RunSettings,
  type RunSettingsFile,
  runSettingsFileSchema,
  type SettingDifference,
} from './run-settings.js';
import { writeJsonAtomic } from './write-atomic.js';

/** The settings a run recorded, and the file they came from. */
export interface RecordedRunSettings {
  file: string;
  command: string | null;
  settings: RunSettings;
  startedAt: string | null;
}

export interface OpenRunDirOptions {
  dir: string;
  /** What starts the run (`synthesize`, `eval`, ...); a directory of another command is refused. */
  command: string;
  /** This run's settings (see `RunSettings`). */
  settings: RunSettings;
  /**
   * Start afresh even when the directory holds a run with other settings: everything in it is
   * moved to a sibling `<dir>.replaced-<time>` first (nothing is deleted). Default false.
   */
  forceNew?: boolean;
  /**
   * For directories written before `settings.json` existed: the settings their own files
   * recorded (a manifest's config), or null when they recorded none. Only these are compared;
   * `settings.json` is written with this run's settings on resume.
   */
  legacySettings?: (dir: string) => RecordedRunSettings | null;
  /**
   * Take the lock and check, but write `settings.json` only when `record()` is called: for a
   * run whose first step checks more (a stage of its own that may still refuse), so a refusal
   * there leaves the directory as it was. Default false.
   */
  deferRecord?: boolean;
}

export interface RunDirCheck {
  /** What the directory recorded (null: a new directory, or an old one that recorded nothing). */
  recorded: RecordedRunSettings | null;
  differences: SettingDifference[];
}

/** An opened run directory: locked by this process until `close`. */
export interface RunDirHandle {
  readonly dir: string;
  readonly settings: RunSettings;
  /** When the run in this directory was first started. */
  readonly startedAt: string;
  /** Whether the directory held this run already (a resume). */
  readonly resumed: boolean;
  /** Where `forceNew` moved the earlier run, or null. */
  readonly replaced: string | null;
  readonly lock: RunLock;
  /** Write `settings.json` (done on open unless `deferRecord`; idempotent). */
  record(): void;
  /** Release the lock (idempotent). */
  close(): void;
}

/** The settings recorded in `dir` (its `settings.json`, else what `legacy` finds), or null. */
export function readRunSettings(
  dir: string,
  legacy?: OpenRunDirOptions['legacySettings'],
): RecordedRunSettings | null {
  const file = join(dir, RUN_FILES.settings);
  const recorded = readRunJson(file, runSettingsFileSchema, 'run settings');
  if (recorded === null) return legacy?.(dir) ?? null;
  return { file, ...recorded };
}

/**
 * Whether a run with `settings` may resume `dir`, touching nothing: throws `RunLockedError`
 * when a live process works there, and `RunSettingsMismatchError` (naming each differing
 * setting with both values) when the directory holds a run with other settings, unless
 * `forceNew`. Call it before anything expensive (loading a model).
 */
export function checkRunDir(options: OpenRunDirOptions): RunDirCheck {
  if (!existsSync(options.dir)) return { recorded: null, differences: [] };
  assertRunUnlocked(options.dir);
  return compareSettings(options);
}

/** Whether `dir` holds any work: anything besides its settings and lock. */
const holdsWork = (dir: string) =>
  readdirSync(dir).some((name) => name !== RUN_FILES.settings && name !== RUN_FILES.lock);

function compareSettings(options: OpenRunDirOptions): RunDirCheck {
  const { dir } = options;
  // A run that stopped before writing anything (a bad flag, a missing interpreter) left only
  // its settings: there is nothing to protect, so a rerun with other settings starts afresh.
  if (!holdsWork(dir)) return { recorded: null, differences: [] };
  const recorded = readRunSettings(dir, options.legacySettings);
  if (recorded === null) return { recorded, differences: [] };
  const differences = diffRunSettings(
    recorded.command === null
      ? recorded.settings
      : { command: recorded.command, ...recorded.settings },
    { command: options.command, ...options.settings },
  );
  if (differences.length > 0 && options.forceNew !== true)
    throw new RunSettingsMismatchError({ dir, file: recorded.file, differences });
  return { recorded, differences };
}

/** Move everything in `dir` but the lock to a new sibling `<dir>.replaced-<time>`. */
function moveAside(dir: string): string | null {
  const entries = readdirSync(dir).filter((name) => name !== RUN_FILES.lock);
  if (entries.length === 0) return null;
  const stamp = new Date().toISOString().replaceAll(':', '-');
  const aside = join(dirname(dir), `${basename(dir)}.replaced-${stamp}`);
  mkdirSync(aside);
  for (const name of entries) renameSync(join(dir, name), join(aside, name));
  return aside;
}

/**
 * Open a run directory for work: check it (`checkRunDir`), create it, take its lock (a second
 * process started on it gets `RunLockedError`), move an earlier run aside when `forceNew`,
 * and record this run's settings in `settings.json` before any work, so a run killed early is
 * still known. Refusals change nothing in the directory.
 */
export function openRunDir(options: OpenRunDirOptions): RunDirHandle {
  const { dir } = options;
  checkRunDir(options);
  mkdirSync(dir, { recursive: true });
  const lock = acquireRunLock(dir, { command: options.command });
  try {
    // Checked again under the lock: another process may have started here since.
    const { recorded } = compareSettings(options);
    const replaced = options.forceNew === true ? moveAside(dir) : null;
    const keep = replaced === null ? recorded : null;
    const startedAt = keep?.startedAt ?? new Date().toISOString();
    // Settings an older run did not record are kept from it, and this run's are added.
    const settings = { ...(keep?.settings ?? {}), ...options.settings };
    const file: RunSettingsFile = { command: options.command, settings, startedAt };
    let written = false;
    const record = () => {
      if (written) return;
      writeJsonAtomic(join(dir, RUN_FILES.settings), file);
      written = true;
    };
    if (options.deferRecord !== true) record();
    return {
      dir,
      settings,
      startedAt,
      resumed: keep !== null,
      replaced,
      lock,
      record,
      close: () => lock.release(),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
