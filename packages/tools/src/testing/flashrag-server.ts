import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBm25Index } from '../search/bm25.js';
import type { SearchDocumentInput } from '../search/types.js';
import { sendJson as send, startLoopback } from '../test-support/loopback.js';

export interface FlashRagServerOptions {
  /** The corpus, `{id, title, text}` per document, indexed with the project's BM25. */
  documents: Iterable<SearchDocumentInput>;
  /** Answer every `/search` with this status and body instead (an outage, say); a string body is sent as is. */
  fault?: () => { status: number; body: unknown } | undefined;
}

export interface FlashRagServer {
  /** `http://127.0.0.1:<port>`: pass it as `--search-url` or `createFlashRagClient({ baseURL })`. */
  url: string;
  /** Every request as received: method, path and parsed JSON body (the raw text if not JSON). */
  requests: Array<{ method: string; path: string; body: unknown }>;
  close(): Promise<void>;
}

interface ValidationIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
}

/**
 * FlashRAG's retrieval server (`retriever_serving.py`, FastAPI) on 127.0.0.1 over a BM25 index,
 * for tests and offline runs. It answers as that server does, strictly: `POST /search` and
 * `POST /batch_search` take `{query, top_n = 10, return_score = false}` and return the
 * documents `{id, contents}` (`contents` is `"Title"\ntext`, as FlashRAG corpora store it), or
 * `[documents, scores]` with `return_score`; an empty query is a 400 `{detail}`; a body that
 * fails pydantic's validation is FastAPI's 422 `{detail: [{type, loc, msg, input}]}`; other
 * paths 404 and other methods 405, with FastAPI's bodies; `GET /health` reports one retriever.
 */
export async function startFlashRagServer(options: FlashRagServerOptions): Promise<FlashRagServer> {
  const index = createBm25Index(options.documents);
  const requests: FlashRagServer['requests'] = [];
  const retrieve = (query: string, topN: number) =>
    topN < 1
      ? []
      : index.searchSync(query, { topK: topN }).map((hit) => ({
          doc: { id: hit.id, contents: `"${hit.title}"\n${hit.text}` },
          score: hit.score,
        }));
  // A body that is not JSON reaches the handler as its raw text.
  function route(req: IncomingMessage, res: ServerResponse, body: unknown) {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? '', path, body });
    const routes: Record<string, string> = {
      '/health': 'GET',
      '/search': 'POST',
      '/batch_search': 'POST',
    };
    const method = routes[path];
    if (method === undefined) return send(res, 404, { detail: 'Not Found' });
    if (req.method !== method) return send(res, 405, { detail: 'Method Not Allowed' });
    if (path === '/health')
      return send(res, 200, { status: 'healthy', retrievers: { total: 1, available: 1 } });
    const fault = options.fault?.();
    if (fault !== undefined) return send(res, fault.status, fault.body);
    const parsed = validate(body, path === '/batch_search');
    if ('issues' in parsed) return send(res, 422, { detail: parsed.issues });
    const { query, topN, returnScore } = parsed;
    if (typeof query === 'string') {
      // The server checks this itself, after validation, with its own message.
      if (query.trim() === '') return send(res, 400, { detail: 'Query content cannot be empty' });
      const hits = retrieve(query, topN);
      const docs = hits.map((h) => h.doc);
      return send(res, 200, returnScore ? [docs, hits.map((h) => h.score)] : docs);
    }
    const all = query.map((q) => retrieve(q, topN));
    const docs = all.map((hits) => hits.map((h) => h.doc));
    return send(res, 200, returnScore ? [docs, all.map((hits) => hits.map((h) => h.score))] : docs);
  }

  const server = await startLoopback((body, req, res) => route(req, res, body));
  return { url: server.url, requests, close: server.close };
}

/** pydantic v2 in lax mode, as FastAPI applies it to the request model. */
function validate(
  body: unknown,
  batch: boolean,
):
  | { query: string | string[]; topN: number; returnScore: boolean }
  | { issues: ValidationIssue[] } {
  if (typeof body === 'string')
    return {
      issues: [
        body.trim() === ''
          ? { type: 'missing', loc: ['body'], msg: 'Field required', input: null }
          : { type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} },
      ],
    };
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return {
      issues: [
        {
          type: 'model_attributes_type',
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          input: body,
        },
      ],
    };
  const fields = body as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const isString = (v: unknown) => typeof v === 'string';
  let query: string | string[] = '';
  if (!('query' in fields))
    issues.push({ type: 'missing', loc: ['body', 'query'], msg: 'Field required', input: body });
  else if (batch) {
    if (!Array.isArray(fields.query))
      issues.push({
        type: 'list_type',
        loc: ['body', 'query'],
        msg: 'Input should be a valid list',
        input: fields.query,
      });
    else {
      fields.query.forEach((item, i) => {
        if (!isString(item))
          issues.push({
            type: 'string_type',
            loc: ['body', 'query', i],
            msg: 'Input should be a valid string',
            input: item,
          });
      });
      query = fields.query as string[];
    }
  } else if (!isString(fields.query))
    issues.push({
      type: 'string_type',
      loc: ['body', 'query'],
      msg: 'Input should be a valid string',
      input: fields.query,
    });
  else query = fields.query as string;
  const topN = laxInt(fields.top_n ?? 10);
  if (topN === undefined)
    issues.push({
      type: 'int_parsing',
      loc: ['body', 'top_n'],
      msg: 'Input should be a valid integer, unable to parse string as an integer',
      input: fields.top_n,
    });
  const returnScore = laxBool(fields.return_score ?? false);
  if (returnScore === undefined)
    issues.push({
      type: 'bool_parsing',
      loc: ['body', 'return_score'],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: fields.return_score,
    });
  if (issues.length > 0) return { issues };
  return { query, topN: topN!, returnScore: returnScore! };
}

function laxInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function laxBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return true;
    if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return false;
  }
  return undefined;
}
