import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APICallError } from '@ai-sdk/provider';
import { generateText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { httpFetch } from './http-fetch.js';
import { createVllmProvider } from './providers.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A local server; returns its base URL and how many TCP connections it accepted. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const connections = { count: 0 };
  server = createServer(handler);
  server.on('connection', () => connections.count++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections };
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

describe('httpFetch', () => {
  it('sends the method, headers and body, and returns status, headers and body', async () => {
    const seen: Array<{
      method?: string | undefined;
      headers: IncomingMessage['headers'];
      body: string;
    }> = [];
    const { url } = await serve(async (req, res) => {
      seen.push({ method: req.method, headers: req.headers, body: await readBody(req) });
      res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r1' });
      res.end(JSON.stringify({ ok: true, echo: 'é' }));
    });
    const body = JSON.stringify({ prompt: 'héllo' });
    const response = await httpFetch(`${url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(await response.json()).toEqual({ ok: true, echo: 'é' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.body).toBe(body);
    expect(seen[0]!.headers.authorization).toBe('Bearer k');
    expect(seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('reuses one connection for requests made one after another', async () => {
    const { url, connections } = await serve((_req, res) => res.end('{}'));
    for (let i = 0; i < 5; i++) expect(await (await httpFetch(url)).text()).toBe('{}');
    expect(connections.count).toBe(1);
  });

  it('passes error statuses and empty bodies through as responses', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/empty') res.writeHead(204).end();
      else res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
    });
    const failed = await httpFetch(`${url}/fail`);
    expect(failed.ok).toBe(false);
    expect(await failed.text()).toBe('{"error":"boom"}');
    const empty = await httpFetch(`${url}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('streams text/event-stream bodies as they arrive', async () => {
    let finish: (() => void) | undefined;
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      finish = () => res.end('data: [DONE]\n\n');
    });
    const response = await httpFetch(url);
    const reader = response.body!.getReader();
    // The first event is readable while the server still holds the response open.
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
    finish!();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('data: [DONE]\n\n');
  });

  it("rejects with the signal's reason when aborted, as fetch does", async () => {
    const { url } = await serve(() => {}); // never answers
    const timeout = httpFetch(url, { signal: AbortSignal.timeout(50) });
    await expect(timeout).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    const aborted = httpFetch(url, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await expect(httpFetch(url, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it("rejects an unreachable server with TypeError('fetch failed'), which the AI SDK retries", async () => {
    const { url } = await serve(() => {});
    server!.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const error = await httpFetch(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    // Through the provider that uses it by default: a retryable API call error, as with fetch.
    const model = createVllmProvider({ baseURL: `${url}/v1` }).languageModel('m');
    const sdkError = await generateText({ model, prompt: 'hi', maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    expect(APICallError.isInstance(sdkError)).toBe(true);
    expect((sdkError as APICallError).isRetryable).toBe(true);
  });
});
