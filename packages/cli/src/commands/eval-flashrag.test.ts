import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkPath } from '@autotraj/benchmarks';
import { type LoopbackServer, startLoopbackServer } from '@autotraj/generation/testing';
import { type FlashRagServer, startFlashRagServer } from '@autotraj/tools/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalPolicyReply } from '../test-support/eval-policy.js';
import { evalRecordsWithoutClock } from '../test-support/eval-records.js';
import { run } from '../test-support/run.js';

// QA evaluation with search served over HTTP by a FlashRAG retrieval server (the stand-in speaks
// retriever_serving.py's protocol strictly) instead of the in-process BM25 index: the same
// corpus behind both must give the same trajectories and verdicts.
const corpus = new URL('../../../benchmarks/data/qa-sample-corpus.jsonl', import.meta.url).pathname;
const documents = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

let dir: string;
let policy: LoopbackServer;
let flashrag: FlashRagServer;
let outage = false;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'autotraj-eval-flashrag-'));
  policy = await startLoopbackServer({ reply: evalPolicyReply([benchmarkPath('bamboogle')]) });
  flashrag = await startFlashRagServer({
    documents,
    fault: () => (outage ? { status: 503, body: { detail: 'retriever busy' } } : undefined),
  });
});
afterAll(async () => {
  await policy.close();
  await flashrag.close();
  rmSync(dir, { recursive: true, force: true });
});

const evalArgs = (out: string, search: string[]) => [
  'eval',
  '--benchmark',
  'bamboogle',
  '--limit',
  '3',
  ...search,
  '--model',
  'vllm:scripted',
  '--base-url',
  policy.baseURL,
  '--out',
  out,
];

describe('autotraj eval --search-url (FlashRAG)', () => {
  it('asks the retrieval server as FlashRAG clients do and matches the local BM25 run', {
    timeout: 60_000,
  }, async () => {
    const local = await run(evalArgs(join(dir, 'bm25'), ['--corpus', corpus]));
    expect(local.code).toBe(0);
    const remote = await run(evalArgs(join(dir, 'flashrag'), ['--search-url', flashrag.url]));
    expect(remote.stderr).toMatch(/eval: 3\/3 samples/);
    expect(remote.code).toBe(0);

    const searches = flashrag.requests.filter((r) => r.path === '/search');
    expect(searches).toHaveLength(3);
    for (const request of searches)
      expect(request).toEqual({
        method: 'POST',
        path: '/search',
        body: { query: expect.any(String), top_n: expect.any(Number), return_score: true },
      });
    expect(evalRecordsWithoutClock(join(dir, 'flashrag'))).toEqual(
      evalRecordsWithoutClock(join(dir, 'bm25')),
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'flashrag', 'manifest.json'), 'utf8'));
    expect(manifest.settings.search).toEqual({ kind: 'flashrag', source: flashrag.url });
  });

  it('records a retrieval outage as a tool error of each question, not a crash', {
    timeout: 60_000,
  }, async () => {
    outage = true;
    try {
      const out = join(dir, 'outage');
      const result = await run(evalArgs(out, ['--search-url', flashrag.url]));
      expect(result.code).toBe(0);
      const all = evalRecordsWithoutClock(out);
      expect(all).toHaveLength(3);
      for (const record of all) {
        expect(record.verdict.toolErrors).toBe(1);
        const output = record.trajectory.steps.find(
          (s: { type: string }) => s.type === 'tool-result',
        );
        expect(output).toMatchObject({ isError: true });
        expect(output.output).toMatch(/503/);
      }
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      expect(results.benchmarks[0].toolErrors).toBe(3);
    } finally {
      outage = false;
    }
  });
});
