import { readJsonl } from '@autotraj/trajectory';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { parseToolInput as parse } from '../entry/parse.js';
import { ToolInputError } from '../errors.js';
import {
  type SearchClient,
  type SearchDocument,
  type SearchDocumentInput,
  type SearchHit,
  type SearchOptions,
  searchDocumentSchema,
} from './types.js';

/** Lucene's default English stop words (EnglishAnalyzer): too common to help ranking, and costly to score. */
export const ENGLISH_STOP_WORDS: readonly string[] = [
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
];

export interface Bm25Options {
  /** Terms dropped at index and query time (lower-cased). Default ENGLISH_STOP_WORDS; `[]` keeps every term. */
  stopWords?: readonly string[];
  /** BM25+ parameters (minisearch's defaults: k1 1.2, b 0.7, delta 0.5). */
  k1?: number;
  b?: number;
  delta?: number;
  /** Weight of a title match relative to a text match. Default 2. */
  titleBoost?: number;
}

/** A local BM25 index: synchronous search, plus the async `SearchClient` shape. */
export interface Bm25Index extends SearchClient {
  readonly size: number;
  /** Best hits first; synchronous (awaiting it works too). */
  search(query: string, options?: SearchOptions): SearchHit[];
  /** The same as `search`. */
  searchSync(query: string, options?: { topK?: number | undefined }): SearchHit[];
}

const bm25OptionsSchema = z.strictObject({
  stopWords: z.array(z.string()).optional(),
  k1: z.number().nonnegative().optional(),
  b: z.number().min(0).max(1).optional(),
  delta: z.number().nonnegative().optional(),
  titleBoost: z.number().nonnegative().optional(),
});
const docsSchema = z.custom<Iterable<unknown>>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function',
  { message: 'expected an iterable of documents' },
);
const searchOptionsSchema = z.strictObject({
  topK: z.number().optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

/**
 * Build a BM25+ index with minisearch: per-field BM25+ (Lv & Zhai), title and text, summed
 * over query terms; minisearch multiplies the sum by the number of distinct query terms a
 * document matched. No prefix or fuzzy matching, so scores are plain lexical BM25+.
 * Options are checked strictly and each document with `searchDocumentSchema` (unknown document
 * keys ignored, as the corpus reader does): bad input is a `ToolInputError` naming the field.
 */
export function createBm25Index(
  docs: Iterable<SearchDocumentInput>,
  opts: Bm25Options = {},
): Bm25Index {
  const entry = 'createBm25Index';
  const options = parse(bm25OptionsSchema, opts, entry, 'options');
  parse(docsSchema, docs, entry, 'docs');
  const bm25 = { k: options.k1 ?? 1.2, b: options.b ?? 0.7, d: options.delta ?? 0.5 };
  const byId = new Map<string, SearchDocument>();
  const stop = new Set((options.stopWords ?? ENGLISH_STOP_WORDS).map((w) => w.toLowerCase()));
  const processTerm = (term: string) => {
    const lower = term.toLowerCase();
    return stop.has(lower) ? null : lower;
  };
  const mini = new MiniSearch<SearchDocument>({
    fields: ['title', 'text'],
    storeFields: [],
    processTerm,
    idField: 'id',
    searchOptions: {
      boost: { title: options.titleBoost ?? 2 },
      prefix: false,
      fuzzy: false,
      combineWith: 'OR',
      bm25,
    },
  });
  let index = 0;
  const batch: SearchDocument[] = [];
  for (const raw of docs) {
    const doc = parse(searchDocumentSchema, raw, entry, `docs[${index}]`);
    if (byId.has(doc.id))
      throw new ToolInputError({
        field: `docs[${index}].id`,
        message: `${entry}: docs[${index}].id: repeats id ${JSON.stringify(doc.id)}`,
      });
    byId.set(doc.id, doc);
    batch.push(doc);
    index++;
  }
  mini.addAll(batch);

  const searchSync = (query: string, opts: { topK?: number | undefined } = {}): SearchHit[] => {
    if (typeof query !== 'string') parse(z.string(), query, 'bm25Index.search', 'query');
    const searchOptions = parse(searchOptionsSchema, opts, 'bm25Index.search', 'options');
    const topK = searchOptions.topK ?? 5;
    if (!Number.isInteger(topK) || topK < 1)
      throw new RangeError(`topK must be a positive integer, got ${topK}`);
    // Each distinct term once: minisearch would score a repeated term once per occurrence.
    const terms = [
      ...new Set(
        (MiniSearch.getDefault('tokenize') as (text: string) => string[])(query)
          .map(processTerm)
          .filter((t: string | null): t is string => t !== null && t !== ''),
      ),
    ];
    if (terms.length === 0) return [];
    return mini
      .search({ queries: terms, combineWith: 'OR' })
      .slice(0, topK)
      .map((hit) => {
        const doc = byId.get(String(hit.id))!;
        return { id: doc.id, title: doc.title, text: doc.text, score: hit.score };
      });
  };
  return {
    size: byId.size,
    searchSync,
    search: (query, searchOptions) => searchSync(query, searchOptions),
  };
}

/** Read a JSONL corpus (`{id, title, text}` per line; errors name the file and line) and index it. */
export async function loadBm25Corpus(path: string, options: Bm25Options = {}): Promise<Bm25Index> {
  const docs: SearchDocument[] = [];
  for await (const { value } of readJsonl(path, { schema: searchDocumentSchema })) docs.push(value);
  return createBm25Index(docs, options);
}
