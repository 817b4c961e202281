import { z } from 'zod';
import {
  createSandboxFusionExecutor as createSandboxUnchecked,
  type SandboxFusionOptions,
} from '../remote/sandbox-fusion.js';
import {
  createFlashRagClient as createFlashRagUnchecked,
  type FlashRagClientOptions,
} from '../search/flashrag.js';
import type { SearchHit, SearchOptions } from '../search/types.js';
import { parseToolInput as parse, pythonLimitsOptions } from './parse.js';

// The remote clients check their options when they are built, before any request: a misspelt
// key (`baseUrl` for `baseURL`) or a URL that does not parse is a `ToolInputError` naming it,
// not a client that fails on its first call or silently uses a default.

const url = z.string().refine((v) => URL.canParse(v), { message: 'expected an absolute URL' });
const fetchFn = z
  .custom<typeof fetch>((v) => typeof v === 'function', { message: 'expected a function' })
  .optional();

const flashRagOptions = z.strictObject({
  baseURL: url,
  path: z.string().min(1).optional(),
  timeoutMs: z.number().positive().optional(),
  fetch: fetchFn,
});
const searchOptions = z.strictObject({
  topK: z.number().int().positive().optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

/** A FlashRAG retrieval client (see search/flashrag.ts), its options and each query checked. */
export function createFlashRagClient(options: FlashRagClientOptions): {
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
} {
  const inner = createFlashRagUnchecked(
    parse(flashRagOptions, options, 'createFlashRagClient', 'options'),
  );
  return {
    search: async (query, opts = {}) => {
      const entry = 'flashRagClient.search';
      return inner.search(
        parse(z.string(), query, entry, 'query'),
        parse(searchOptions, opts, entry, 'options'),
      );
    },
  };
}

const sandboxOptions = z.strictObject({
  baseURL: url,
  defaults: pythonLimitsOptions.optional(),
  httpSlackMs: z.number().nonnegative().optional(),
  fetch: fetchFn,
});

/** A SandboxFusion Python executor (see remote/sandbox-fusion.ts), its options checked. */
export function createSandboxFusionExecutor(
  options: SandboxFusionOptions,
): ReturnType<typeof createSandboxUnchecked> {
  return createSandboxUnchecked(
    parse(sandboxOptions, options, 'createSandboxFusionExecutor', 'options'),
  );
}
