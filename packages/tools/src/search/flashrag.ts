import { z } from 'zod';
import { postJson } from '../remote/http.js';
import type { SearchHit, SearchOptions } from './types.js';

export interface FlashRagClientOptions {
  /** Base URL of the retrieval server, e.g. `http://127.0.0.1:8000`. */
  baseURL: string;
  /** Path of the search endpoint. Default `/search`. */
  path?: string | undefined;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

const documentSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  contents: z.string(),
});
// FlashRAG answers `[documents, scores]` when asked for scores.
const responseSchema = z.tuple([z.array(documentSchema), z.array(z.number())]);

/** FlashRAG `contents` is `"Title"\ntext`: split the first line off as the title. */
export function splitFlashRagContents(contents: string): { title: string; text: string } {
  const newline = contents.indexOf('\n');
  if (newline < 0) return { title: '', text: contents };
  return {
    title: contents
      .slice(0, newline)
      .trim()
      .replace(/^"(.*)"$/, '$1'),
    text: contents.slice(newline + 1).trim(),
  };
}

/** A client for a FlashRAG retrieval server: `POST /search {query, top_n, return_score: true}`. */
export function createFlashRagClient(options: FlashRagClientOptions): {
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
} {
  const url = new URL(options.path ?? '/search', options.baseURL).toString();
  return {
    async search(query, searchOptions = {}) {
      const topK = searchOptions.topK ?? 5;
      const [docs, scores] = await postJson({
        service: 'FlashRAG retriever',
        url,
        body: { query, top_n: topK, return_score: true },
        schema: responseSchema,
        timeoutMs: options.timeoutMs ?? 10_000,
        ...(searchOptions.signal ? { signal: searchOptions.signal } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      return docs.slice(0, topK).map(
        (doc, i): SearchHit => ({
          id: doc.id,
          ...splitFlashRagContents(doc.contents),
          score: scores[i] ?? 0,
        }),
      );
    },
  };
}
