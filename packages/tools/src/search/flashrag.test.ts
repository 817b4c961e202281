import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteServiceError } from '../errors.js';
import { type Loopback, sendJson, startLoopback } from '../test-support/loopback.js';
import { createFlashRagClient, splitFlashRagContents } from './flashrag.js';

let server: Loopback;
let mode: 'ok' | 'error' | 'slow' | 'malformed' | 'not-json' = 'ok';

beforeAll(async () => {
  server = await startLoopback(async (body, _req, res) => {
    const { top_n } = body as { top_n: number };
    if (mode === 'error') return sendJson(res, 500, { detail: 'index not loaded' });
    if (mode === 'slow') await new Promise((r) => setTimeout(r, 1000));
    if (mode === 'malformed') return sendJson(res, 200, { documents: [] });
    if (mode === 'not-json') return sendJson(res, 200, '<html>oops</html>');
    const docs = [
      { id: '12', contents: '"Paris"\nParis is the capital of France.' },
      { id: '7', contents: '"Lyon"\nLyon is a city in France.' },
      { id: '9', contents: 'untitled passage' },
    ].slice(0, top_n);
    sendJson(res, 200, [docs, [0.91, 0.55, 0.1].slice(0, top_n)]);
  });
});
afterAll(() => server.close());

describe('FlashRAG client', () => {
  it('POSTs {query, top_n, return_score} and reads documents and scores', async () => {
    mode = 'ok';
    const client = createFlashRagClient({ baseURL: server.url });
    const hits = await client.search('capital of France', { topK: 2 });
    expect(server.requests.at(-1)).toEqual({
      query: 'capital of France',
      top_n: 2,
      return_score: true,
    });
    expect(hits).toEqual([
      { id: '12', title: 'Paris', text: 'Paris is the capital of France.', score: 0.91 },
      { id: '7', title: 'Lyon', text: 'Lyon is a city in France.', score: 0.55 },
    ]);
    expect(splitFlashRagContents('untitled passage')).toEqual({
      title: '',
      text: 'untitled passage',
    });
  });

  it('turns HTTP errors, timeouts and malformed answers into typed errors', async () => {
    const client = createFlashRagClient({ baseURL: server.url, timeoutMs: 200 });
    const failure = async (m: typeof mode) => {
      mode = m;
      const error = await client.search('q').catch((e: unknown) => e);
      expect(RemoteServiceError.isInstance(error)).toBe(true);
      return error as RemoteServiceError;
    };
    expect(await failure('error')).toMatchObject({
      kind: 'http-status',
      status: 500,
      code: 'remote_http_status',
    });
    expect((await failure('error')).message).toContain('index not loaded');
    expect(await failure('slow')).toMatchObject({ kind: 'timeout' });
    expect(await failure('malformed')).toMatchObject({ kind: 'malformed-response' });
    expect(await failure('not-json')).toMatchObject({ kind: 'malformed-response' });
  });

  it('reports an unreachable service as a network error', async () => {
    const closed = await startLoopback(() => {});
    await closed.close();
    const error = await createFlashRagClient({ baseURL: closed.url })
      .search('q')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', service: 'FlashRAG retriever' });
  });
});
