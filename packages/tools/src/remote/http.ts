import type { z } from 'zod';
import { RemoteServiceError } from '../errors.js';

/** POST JSON, validate the JSON answer; every failure becomes a RemoteServiceError with its kind. */
export async function postJson<S extends z.ZodType>(options: {
  service: string;
  url: string;
  body: unknown;
  schema: S;
  timeoutMs: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}): Promise<z.output<S>> {
  const { service, url } = options;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(options.body),
      signal,
    });
    text = await response.text();
  } catch (cause) {
    if (timeout.aborted) {
      throw new RemoteServiceError({
        kind: 'timeout',
        service,
        url,
        detail: `no answer within ${options.timeoutMs} ms`,
        cause,
      });
    }
    if (options.signal?.aborted) throw cause;
    throw new RemoteServiceError({
      kind: 'network',
      service,
      url,
      detail: `request failed: ${(cause as Error).message}`,
      cause,
    });
  }
  if (!response.ok) {
    throw new RemoteServiceError({
      kind: 'http-status',
      service,
      url,
      status: response.status,
      detail: `HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new RemoteServiceError({
      kind: 'malformed-response',
      service,
      url,
      detail: `answer is not JSON: ${text.slice(0, 200)}`,
      cause,
    });
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RemoteServiceError({
      kind: 'malformed-response',
      service,
      url,
      detail: `unexpected answer at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    });
  }
  return parsed.data;
}
