import { CliError } from './cli-error.js';

/** An integer >= `min` (default 1) from a flag's text, or a usage error naming the flag. */
export function parseInteger(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new CliError({
      message: `${flag} must be an integer >= ${min}, got "${value}"`,
      exitCode: 2,
    });
  }
  return n;
}

/** A finite number from a flag's text (an integer when asked), or a usage error naming the flag. */
export function parseNumber(
  flag: string,
  value: string,
  options: { integer?: boolean } = {},
): number {
  const n = Number(value);
  if (!Number.isFinite(n) || (options.integer === true && !Number.isInteger(n))) {
    throw new CliError({
      message: `${flag} must be ${options.integer ? 'an integer' : 'a number'}, got "${value}"`,
      exitCode: 2,
    });
  }
  return n;
}

/** A commander argument parser for an integer flag (`.option('--n <n>', '...', integerOption('--n'), 4)`). */
export function integerOption(flag: string, min = 1): (value: string) => number {
  return (value) => parseInteger(flag, value, min);
}

/** A commander argument parser for a flag that takes one of a fixed set of values. */
export function choiceOption<T extends string>(
  flag: string,
  values: ReadonlyArray<T>,
): (value: string) => T {
  return (value) => {
    if (!values.includes(value as T)) {
      throw new CliError({
        message: `${flag} must be one of ${values.join(', ')}, got "${value}"`,
        exitCode: 2,
      });
    }
    return value as T;
  };
}
