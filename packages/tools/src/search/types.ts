import { z } from 'zod';

export const searchDocumentSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().default(''),
  text: z.string(),
});
export type SearchDocument = z.output<typeof searchDocumentSchema>;
export type SearchDocumentInput = z.input<typeof searchDocumentSchema>;

export interface SearchHit {
  id: string;
  title: string;
  text: string;
  score: number;
}

export interface SearchOptions {
  /** How many hits to return. Default 5. */
  topK?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Any retriever: the local BM25 index (synchronous), a FlashRAG service, or your own. */
export interface SearchClient {
  search(query: string, options?: SearchOptions): SearchHit[] | Promise<SearchHit[]>;
}
