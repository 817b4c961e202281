import { type Protocol, parseShard, type Shard, ShardSpecError } from '@autotraj/generation';
import { CliError } from './cli-error.js';

// Every numeric or enumerated flag of every command is parsed by one of these commander argument
// parsers (`.option('--n <n>', '...', integerOption('--n'), 4)`), so a flag is parsed one way
// everywhere and a bad value is a usage error (exit 2) naming the flag.

const usage = (message: string) => new CliError({ message, exitCode: 2 });

/** An integer >= `min` (default 1) from a flag's text, or a usage error naming the flag. */
export function parseInteger(flag: string, value: string, min = 1): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(n) || n < min)
    throw usage(`${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

export interface NumberRange {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Values must be above this (exclusive). */
  above?: number;
  /** Values must be below this (exclusive). */
  below?: number;
}

/** A finite number in `range` from a flag's text, or a usage error naming the flag. */
export function parseNumber(flag: string, value: string, range: NumberRange = {}): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  const bounds = [
    range.min === undefined ? null : `>= ${range.min}`,
    range.above === undefined ? null : `> ${range.above}`,
    range.below === undefined ? null : `< ${range.below}`,
  ].filter((b) => b !== null);
  if (
    !Number.isFinite(n) ||
    (range.min !== undefined && n < range.min) ||
    (range.above !== undefined && n <= range.above) ||
    (range.below !== undefined && n >= range.below)
  )
    throw usage(
      `${flag} must be a number${bounds.length > 0 ? ` ${bounds.join(' and ')}` : ''}, got "${value}"`,
    );
  return n;
}

/** A commander argument parser for an integer flag (>= `min`, default 1). */
export function integerOption(flag: string, min = 1): (value: string) => number {
  return (value) => parseInteger(flag, value, min);
}

/** A commander argument parser for a number flag. */
export function numberOption(flag: string, range: NumberRange = {}): (value: string) => number {
  return (value) => parseNumber(flag, value, range);
}

/** A commander argument parser for a flag that takes one of a fixed set of values. */
export function choiceOption<T extends string>(
  flag: string,
  values: ReadonlyArray<T>,
): (value: string) => T {
  return (value) => {
    if (!values.includes(value as T))
      throw usage(`${flag} must be one of ${values.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** A commander argument parser for a comma-separated list (`a,b, c` -> `['a','b','c']`). */
export function listOption(): (value: string) => string[] {
  return (value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
}

/**
 * A commander argument parser for `--shard i/n | auto` (auto reads the Slurm array or
 * Kubernetes Indexed Job environment, `env`, when the flag is parsed).
 */
export function shardOption(
  env: Readonly<Record<string, string | undefined>> = process.env,
): (value: string) => Shard {
  return (value) => {
    try {
      return parseShard(value, env);
    } catch (error) {
      if (ShardSpecError.isInstance(error)) throw usage(error.message);
      throw error;
    }
  };
}

/** The TIR protocols of the commands that generate (`--protocol`), and their help text. */
export const PROTOCOLS = [
  'text-tags',
  'markdown',
  'native',
] as const satisfies ReadonlyArray<Protocol>;
export const PROTOCOL_HELP =
  "text-tags (the paper's <code>/<result> tags), markdown (```python blocks answered with ```output, as Qwen2.5-Math / ToRA / ToRL write) or native tool calling";

export const SHARD_HELP =
  'run shard i of n (0-based; tasks split by a hash of their id, after --limit), or auto: the Slurm array task (SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT) or Kubernetes Indexed Job pod (JOB_COMPLETION_INDEX of AUTOTRAJ_SHARD_COUNT)';

/** `--force-new`: the one way to reuse a directory that holds a run with other settings. */
export const FORCE_NEW_HELP =
  'start afresh even if --out holds a run made with other settings: that run is moved to <out>.replaced-<time> first (nothing is deleted); without it such a rerun is refused';

/** `--rm-calibration <center,scale>`: the RM calibration of the autotraj preset (scale > 0). */
export function rmCalibrationOption(flag: string): (value: string) => {
  center: number;
  scale: number;
} {
  return (value) => {
    const parts = value.split(',').map((p) => p.trim());
    if (parts.length !== 2)
      throw usage(`${flag} must be center,scale (e.g. -1.2,0.8), got "${value}"`);
    const center = parseNumber(flag, parts[0]!);
    const scale = parseNumber(flag, parts[1]!);
    if (!(scale > 0)) throw usage(`${flag}: scale must be > 0, got "${parts[1]}"`);
    return { center, scale };
  };
}
