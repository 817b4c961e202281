import {
  APICallError,
  type LanguageModelV4,
  type LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { type LanguageModel, wrapLanguageModel } from 'ai';
import { CassetteMissError, ModelCallError, type ModelCallReason } from '../errors.js';

/** Any `ai` SDK model object (provider models, `ai/test` mocks, wrapped models); not a gateway id string. */
export type ModelLike = Exclude<LanguageModel, string>;

export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff delay; doubles per retry, with jitter (default 250 ms). */
  baseDelayMs?: number;
  /** Cap for one backoff delay and for a server's `retry-after` (default 20 s). */
  maxDelayMs?: number;
  /** Abort one model call after this long and retry it (default 120 s; 0 disables). */
  timeoutMs?: number;
  /** Retry completions with no content at all (default true): servers under load emit them. */
  retryEmpty?: boolean;
  /** Called before each retry (for logs and progress). */
  onRetry?: (event: { attempt: number; delayMs: number; reason: string; error: unknown }) => void;
  /** Injected sleep (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Classified {
  retryable: boolean;
  reason: ModelCallReason;
  retryAfterMs?: number;
}

class CallTimeout extends Error {
  constructor(ms: number) {
    super(`model call timed out after ${ms} ms`);
  }
}

class IncompleteResponse extends Error {
  constructor(
    readonly reason: 'empty-completion' | 'incomplete-stream',
    message: string,
  ) {
    super(message);
  }
}

/** `retry-after-ms`, or `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(
  headers: Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number.parseFloat(lower['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = lower['retry-after'];
  if (raw === undefined) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function classify(error: unknown): Classified {
  if (error instanceof CallTimeout) return { retryable: true, reason: 'timeout' };
  if (error instanceof IncompleteResponse) return { retryable: true, reason: error.reason };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const after = retryAfterMs(error.responseHeaders);
    const base = after === undefined ? {} : { retryAfterMs: after };
    if (status === 429) return { retryable: true, reason: 'rate-limited', ...base };
    if (status !== undefined && status >= 500)
      return { retryable: true, reason: 'server-error', ...base };
    if (status === 408 || status === 409)
      return { retryable: true, reason: 'server-error', ...base };
    // No status: the connection dropped before or while the response arrived.
    if (status === undefined)
      return { retryable: error.isRetryable, reason: 'incomplete-stream', ...base };
    if (status < 300) return { retryable: true, reason: 'incomplete-stream', ...base };
    return { retryable: false, reason: 'request-failed', ...base };
  }
  // Connection resets and cut streams surface as plain errors from fetch / the stream reader.
  const message =
    error instanceof Error
      ? `${error.name} ${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`
      : String(error);
  if (
    /ECONNRESET|ECONNREFUSED|EPIPE|socket|terminated|fetch failed|network|premature|aborted/i.test(
      message,
    )
  ) {
    return { retryable: true, reason: 'incomplete-stream' };
  }
  return { retryable: false, reason: 'request-failed' };
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Run one model call with a per-attempt timeout and retries with exponential backoff on rate
 * limits, server errors, timeouts, cut streams and empty completions; a server's
 * `retry-after` is honoured. The caller's abort signal stops everything at once.
 */
export async function callWithRetry<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 20_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => controller.abort(new CallTimeout(timeoutMs)), timeoutMs)
        : undefined;
    try {
      const result = await Promise.race([
        fn(controller.signal),
        // Some transports ignore the signal once headers arrived; the race makes the timeout hold anyway.
        new Promise<never>((_, reject) => {
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
            once: true,
          });
        }),
      ]);
      return result;
    } catch (raw) {
      if (options.signal?.aborted) throw raw;
      // A cassette miss is a fact about the cassette, not a failed call: retrying cannot help,
      // and callers catch it by its own type.
      if (CassetteMissError.isInstance(raw)) throw raw;
      const error =
        controller.signal.reason instanceof CallTimeout ? controller.signal.reason : raw;
      const info = classify(error);
      if (!info.retryable || attempt >= retries) {
        throw new ModelCallError({
          reason: info.reason,
          attempts: attempt + 1,
          message: `model call failed after ${attempt + 1} attempt(s): ${info.reason}: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
        });
      }
      const backoff = Math.min(cap, base * 2 ** attempt) * (0.5 + Math.random() / 2);
      const delayMs = info.retryAfterMs === undefined ? backoff : Math.min(cap, info.retryAfterMs);
      options.onRetry?.({ attempt: attempt + 1, delayMs, reason: info.reason, error });
      await sleep(delayMs, options.signal);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
  }
}

function isEmpty(content: ReadonlyArray<{ type: string; text?: string }>): boolean {
  return content.every(
    (part) => (part.type === 'text' || part.type === 'reasoning') && (part.text ?? '') === '',
  );
}

/**
 * Wrap a model so every provider call (`doGenerate`, `doStream`) gets the retry policy above.
 * Streams are read to the end inside the retry, so a stream cut half-way is retried as a
 * whole instead of leaving a truncated completion in a trajectory.
 */
export function withRetries(model: ModelLike, options: RetryOptions = {}): LanguageModelV4 {
  const retryEmpty = options.retryEmpty ?? true;
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v4',
      wrapGenerate: ({ params, model: inner }) =>
        callWithRetry(
          async (signal) => {
            const result = await inner.doGenerate({ ...params, abortSignal: signal });
            if (retryEmpty && isEmpty(result.content))
              throw new IncompleteResponse(
                'empty-completion',
                'the model returned an empty completion',
              );
            return result;
          },
          { ...options, signal: params.abortSignal },
        ),
      wrapStream: ({ params, model: inner }) =>
        callWithRetry(
          async (signal) => {
            const result = await inner.doStream({ ...params, abortSignal: signal });
            const parts: LanguageModelV4StreamPart[] = [];
            let finished = false;
            let text = '';
            const reader = result.stream.getReader();
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              if (value.type === 'error') throw value.error;
              if (value.type === 'finish') finished = true;
              if (value.type === 'text-delta') text += value.delta;
              if (value.type === 'tool-call') text += value.input;
              parts.push(value);
            }
            if (!finished)
              throw new IncompleteResponse(
                'incomplete-stream',
                'the stream ended before its finish event',
              );
            if (retryEmpty && text === '')
              throw new IncompleteResponse(
                'empty-completion',
                'the model streamed an empty completion',
              );
            return {
              ...result,
              stream: new ReadableStream<LanguageModelV4StreamPart>({
                start(controller) {
                  for (const part of parts) controller.enqueue(part);
                  controller.close();
                },
              }),
            };
          },
          { ...options, signal: params.abortSignal },
        ),
    },
  });
}
