import { createReadStream } from 'node:fs';
import type { z } from 'zod';
import { JsonlLineError } from '../errors.js';
import { sealParsedRecord } from '../schemas/seal-read.js';
import { toValidationIssues } from '../validate.js';

export interface JsonlRecord<T> {
  value: T;
  /** 1-based line number in the file. */
  line: number;
}

/** What lenient mode does with a bad line: hand it to the sink with the raw text. */
export type RejectSink = (error: JsonlLineError, raw: string) => void | Promise<void>;

export interface ReadJsonlOptions<S extends z.ZodType | undefined> {
  /** Validate each record; errors name file, line and field. Without one, records are `unknown`. */
  schema?: S;
  /** `strict` (default) throws on the first bad line; `lenient` routes it to `onReject` and goes on. */
  mode?: 'strict' | 'lenient';
  /** Required in lenient mode, so bad lines always land somewhere the user can see. */
  onReject?: RejectSink;
  /** Lines longer than this are rejected without being buffered whole. Default 16 MiB. */
  maxLineBytes?: number;
  /** Name used in error messages (defaults to the path). */
  displayName?: string;
}

const NEWLINE = 0x0a;
const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const RAW_EXCERPT = 1000;

type Out<S> = S extends z.ZodType ? z.infer<S> : unknown;

/**
 * Stream a JSONL file: one validated record per line, in order, with its line number.
 * Blank lines are skipped. A final line without a newline that is not valid JSON is reported
 * as `truncated` (a writer killed mid-line), not as corrupt data.
 */
export async function* readJsonl<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: ReadJsonlOptions<S> = {},
): AsyncGenerator<JsonlRecord<Out<S>>> {
  const mode = options.mode ?? 'strict';
  if (mode === 'lenient' && options.onReject === undefined) {
    throw new TypeError('readJsonl: lenient mode needs an onReject sink so bad lines are not lost');
  }
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const file = options.displayName ?? path;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const schema = options.schema;

  let line = 0;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skippingLongLine = false;

  const reject = async (error: JsonlLineError, raw: string) => {
    if (mode === 'strict') throw error;
    await options.onReject!(
      error,
      raw.length > RAW_EXCERPT ? `${raw.slice(0, RAW_EXCERPT)}…` : raw,
    );
  };

  // Returns the record, or undefined for a blank or rejected line.
  const handle = async (bytes: Buffer, final: boolean): Promise<{ value: Out<S> } | undefined> => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch (cause) {
      await reject(
        new JsonlLineError({
          kind: 'invalid-utf8',
          location: { file, line },
          detail: 'line is not valid UTF-8',
          cause,
        }),
        bytes.toString('latin1'),
      );
      return undefined;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      const kind = final ? 'truncated' : 'invalid-json';
      const detail = final
        ? 'last line is cut off (no newline and not valid JSON): was the writer killed?'
        : `invalid JSON: ${(cause as Error).message}`;
      await reject(new JsonlLineError({ kind, location: { file, line }, detail, cause }), text);
      return undefined;
    }
    if (schema === undefined) return { value: json as Out<S> };
    const result = schema.safeParse(json);
    // Trajectories in the parsed record are sealed: the entries that take them do not walk
    // them again (see schemas/seal-read.ts).
    if (result.success) return { value: sealParsedRecord(schema, result.data) as Out<S> };
    const issues = toValidationIssues(result.error);
    const first = issues[0];
    await reject(
      new JsonlLineError({
        kind: 'invalid-record',
        location: { file, line, ...(first ? { path: first.path } : {}) },
        detail: `${first?.message ?? 'invalid record'}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`,
        issues,
      }),
      text,
    );
    return undefined;
  };

  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
        line++;
        if (skippingLongLine) {
          skippingLongLine = false;
        } else {
          const piece = chunk.subarray(start, nl);
          if (carryBytes + piece.length > maxLineBytes) {
            carry = [];
            carryBytes = 0;
            await reject(
              new JsonlLineError({
                kind: 'line-too-long',
                location: { file, line },
                detail: `line is longer than ${maxLineBytes} bytes`,
              }),
              '',
            );
          } else {
            const bytes = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
            carry = [];
            carryBytes = 0;
            const record = await handle(bytes, false);
            if (record !== undefined) yield { value: record.value, line };
          }
        }
        start = nl + 1;
      }
      if (start < chunk.length && !skippingLongLine) {
        const rest = chunk.subarray(start);
        if (carryBytes + rest.length > maxLineBytes) {
          // Report once, then drop bytes until the newline that ends this line.
          await reject(
            new JsonlLineError({
              kind: 'line-too-long',
              location: { file, line: line + 1 },
              detail: `line is longer than ${maxLineBytes} bytes`,
            }),
            '',
          );
          carry = [];
          carryBytes = 0;
          skippingLongLine = true;
        } else {
          // Copy: the stream may reuse the chunk's memory.
          carry.push(Buffer.from(rest));
          carryBytes += rest.length;
        }
      }
    }
    if (carry.length > 0) {
      line++;
      const record = await handle(Buffer.concat(carry), true);
      if (record !== undefined) yield { value: record.value, line };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new JsonlLineError({
        kind: 'missing-file',
        location: { file },
        detail: 'file does not exist',
        cause: error,
      });
    }
    throw error;
  } finally {
    stream.destroy();
  }
}

/** Read a whole JSONL file into an array (strict unless told otherwise). */
export async function readJsonlArray<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: ReadJsonlOptions<S> = {},
): Promise<Out<S>[]> {
  const out: Out<S>[] = [];
  for await (const record of readJsonl(path, options)) out.push(record.value);
  return out;
}
