import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBm25Index } from '../search/bm25.js';
import { createFlashRagClient } from '../search/flashrag.js';
import { type FlashRagServer, startFlashRagServer } from './flashrag-server.js';

const documents = [
  { id: 'paris', title: 'Paris', text: 'Paris is the capital of France.' },
  { id: 'lyon', title: 'Lyon', text: 'Lyon is a city in France on the Rhone.' },
  { id: 'berlin', title: 'Berlin', text: 'Berlin is the capital of Germany.' },
];

let server: FlashRagServer;
let down = false;
beforeAll(async () => {
  server = await startFlashRagServer({
    documents,
    fault: () => (down ? { status: 500, body: { detail: 'index not loaded' } } : undefined),
  });
});
afterAll(() => server.close());

const post = async (path: string, body: string) => {
  const res = await fetch(new URL(path, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: await res.json() };
};

describe('the FlashRAG retrieval-server stand-in', () => {
  it('answers as retriever_serving.py: documents, or [documents, scores] with return_score', async () => {
    const plain = await post('/search', JSON.stringify({ query: 'capital of France', top_n: 2 }));
    expect(plain).toEqual({
      status: 200,
      body: [
        { id: 'paris', contents: '"Paris"\nParis is the capital of France.' },
        expect.objectContaining({ id: expect.any(String) }),
      ],
    });
    const scored = await post(
      '/search',
      JSON.stringify({ query: 'capital of France', return_score: true }),
    );
    const [docs, scores] = scored.body as [unknown[], number[]];
    expect(docs).toHaveLength(3); // top_n defaults to 10; the corpus has 3
    expect(scores).toHaveLength(3);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const batch = await post(
      '/batch_search',
      JSON.stringify({ query: ['Germany', 'Rhone'], top_n: 1, return_score: true }),
    );
    expect(batch.body).toEqual([
      [
        [{ id: 'berlin', contents: '"Berlin"\nBerlin is the capital of Germany.' }],
        [{ id: 'lyon', contents: '"Lyon"\nLyon is a city in France on the Rhone.' }],
      ],
      [[expect.any(Number)], [expect.any(Number)]],
    ]);
  });

  it('refuses what FastAPI and the server refuse, with their status codes and bodies', async () => {
    expect(await post('/search', JSON.stringify({ query: '  ' }))).toEqual({
      status: 400,
      body: { detail: 'Query content cannot be empty' },
    });
    expect(await post('/search', JSON.stringify({ top_n: 3 }))).toEqual({
      status: 422,
      body: {
        detail: [
          { type: 'missing', loc: ['body', 'query'], msg: 'Field required', input: { top_n: 3 } },
        ],
      },
    });
    const wrongTypes = await post('/search', JSON.stringify({ query: 7, top_n: 'three' }));
    expect(wrongTypes.status).toBe(422);
    expect(
      (wrongTypes.body as { detail: Array<{ type: string; loc: unknown[] }> }).detail.map((d) => [
        d.type,
        d.loc,
      ]),
    ).toEqual([
      ['string_type', ['body', 'query']],
      ['int_parsing', ['body', 'top_n']],
    ]);
    // pydantic's lax mode: numeric strings are integers, "true" is a boolean.
    expect(
      (await post('/search', '{"query":"Paris","top_n":"1","return_score":"true"}')).status,
    ).toBe(200);
    expect((await post('/search', '{not json')).status).toBe(422);
    const get = await fetch(new URL('/search', server.url));
    expect([get.status, await get.json()]).toEqual([405, { detail: 'Method Not Allowed' }]);
    const missing = await fetch(new URL('/retrieve', server.url), { method: 'POST', body: '{}' });
    expect([missing.status, await missing.json()]).toEqual([404, { detail: 'Not Found' }]);
    const health = await fetch(new URL('/health', server.url));
    expect(await health.json()).toEqual({
      status: 'healthy',
      retrievers: { total: 1, available: 1 },
    });
  });

  it('through createFlashRagClient gives the hits a local BM25 index gives', async () => {
    const client = createFlashRagClient({ baseURL: server.url });
    const local = createBm25Index(documents);
    for (const query of ['capital of France', 'Rhone city', 'Germany']) {
      expect(await client.search(query, { topK: 2 })).toEqual(local.searchSync(query, { topK: 2 }));
    }
    expect(server.requests.at(-1)).toEqual({
      method: 'POST',
      path: '/search',
      body: { query: 'Germany', top_n: 2, return_score: true },
    });
    down = true;
    await expect(client.search('Paris')).rejects.toMatchObject({
      kind: 'http-status',
      status: 500,
    });
    down = false;
  });
});
