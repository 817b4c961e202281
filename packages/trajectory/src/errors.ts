/**
 * Every error AutoTraj throws carries a stable `code` and a marker symbol, so callers can
 * recognise it with `isInstance` even when two copies of a package are installed.
 */
const marker = Symbol.for('autotraj.error');

export interface AutoTrajErrorOptions {
  message: string;
  cause?: unknown;
}

export class AutoTrajError extends Error {
  // Each subclass declares its own `code` as a union of literals (`declare readonly code: ...`).
  // Read through `marker in error` by isInstance; public so it survives bundling and copies.
  readonly [marker] = true;
  readonly code: string;

  constructor(options: AutoTrajErrorOptions & { name: string; code: string }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name;
    this.code = options.code;
  }

  static isInstance(error: unknown): error is AutoTrajError {
    return typeof error === 'object' && error !== null && marker in error;
  }

  /** Narrow to one error class by its stable `name`. */
  protected static hasName(error: unknown, name: string): boolean {
    return AutoTrajError.isInstance(error) && error.name === name;
  }
}

/** Where in the input a problem was found: file, 1-based line, and field path. */
export interface InputLocation {
  file?: string;
  line?: number;
  /** Field path inside the record, e.g. `steps[3].callId`. */
  path?: string;
}

export function formatLocation(location: InputLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.path !== undefined && location.path !== '') parts.push(`field ${location.path}`);
  return parts.join(', ');
}

export type ValidationIssue = { path: string; message: string };

/** A record failed schema validation. */
export class ValidationError extends AutoTrajError {
  static readonly errorName = 'AutoTrajValidationError';
  declare readonly code: 'validation_failed';
  readonly location: InputLocation;
  readonly issues: ValidationIssue[];

  constructor(options: { location: InputLocation; issues: ValidationIssue[]; what?: string }) {
    const first = options.issues[0];
    // The record's own position (e.g. `6b_finetuning`) prefixes the issue's field path.
    const path = [options.location.path, first?.path]
      .filter((p) => p !== undefined && p !== '')
      .join('.');
    const where = formatLocation({ ...options.location, path });
    const more = options.issues.length > 1 ? ` (+${options.issues.length - 1} more)` : '';
    super({
      name: ValidationError.errorName,
      code: 'validation_failed',
      message: `${options.what ?? 'record'} is invalid${where ? ` at ${where}` : ''}: ${first?.message ?? 'unknown problem'}${more}`,
    });
    this.location = options.location;
    this.issues = options.issues;
  }

  static override isInstance(error: unknown): error is ValidationError {
    return AutoTrajError.hasName(error, ValidationError.errorName);
  }
}

export type JsonlErrorKind =
  | 'missing-file'
  | 'invalid-json'
  | 'invalid-utf8'
  | 'line-too-long'
  | 'truncated'
  | 'invalid-record';

export type JsonlLineErrorCode =
  | 'jsonl_missing_file'
  | 'jsonl_invalid_json'
  | 'jsonl_invalid_utf8'
  | 'jsonl_line_too_long'
  | 'jsonl_truncated'
  | 'jsonl_invalid_record';

const JSONL_CODES: Readonly<Record<JsonlErrorKind, JsonlLineErrorCode>> = {
  'missing-file': 'jsonl_missing_file',
  'invalid-json': 'jsonl_invalid_json',
  'invalid-utf8': 'jsonl_invalid_utf8',
  'line-too-long': 'jsonl_line_too_long',
  truncated: 'jsonl_truncated',
  'invalid-record': 'jsonl_invalid_record',
};

/** A JSONL line could not be read: bad JSON, bad UTF-8, too long, cut off, or an invalid record. */
export class JsonlLineError extends AutoTrajError {
  static readonly errorName = 'AutoTrajJsonlLineError';
  declare readonly code: JsonlLineErrorCode;
  readonly kind: JsonlErrorKind;
  readonly location: InputLocation;
  readonly issues: ValidationIssue[];

  constructor(options: {
    kind: JsonlErrorKind;
    location: InputLocation;
    detail: string;
    issues?: ValidationIssue[];
    cause?: unknown;
  }) {
    super({
      name: JsonlLineError.errorName,
      code: JSONL_CODES[options.kind],
      message: `${formatLocation(options.location)}: ${options.detail}`,
      cause: options.cause,
    });
    this.kind = options.kind;
    this.location = options.location;
    this.issues = options.issues ?? [];
  }

  static override isInstance(error: unknown): error is JsonlLineError {
    return AutoTrajError.hasName(error, JsonlLineError.errorName);
  }
}

/** A codec could not turn its input into a trajectory (or back). */
export class CodecError extends AutoTrajError {
  static readonly errorName = 'AutoTrajCodecError';
  declare readonly code: 'codec_failed';
  readonly codec: string;
  readonly location: InputLocation;

  constructor(options: {
    codec: string;
    message: string;
    location?: InputLocation;
    cause?: unknown;
  }) {
    const where = options.location ? formatLocation(options.location) : '';
    super({
      name: CodecError.errorName,
      code: 'codec_failed',
      message: `${options.codec}: ${options.message}${where ? ` (${where})` : ''}`,
      cause: options.cause,
    });
    this.codec = options.codec;
    this.location = options.location ?? {};
  }

  static override isInstance(error: unknown): error is CodecError {
    return AutoTrajError.hasName(error, CodecError.errorName);
  }
}
