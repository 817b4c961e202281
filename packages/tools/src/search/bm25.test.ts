import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlLineError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { createBm25Index, loadBm25Corpus } from './bm25.js';

const docs = [
  { id: 'paris', title: 'Paris', text: 'Paris is the capital and most populous city of France.' },
  { id: 'lyon', title: 'Lyon', text: 'Lyon is the third-largest city of France, on the Rhone.' },
  { id: 'berlin', title: 'Berlin', text: 'Berlin is the capital and largest city of Germany.' },
  {
    id: 'rhone',
    title: 'Rhone',
    text: 'The Rhone is a river that flows through Switzerland and France.',
  },
];

describe('BM25 index', () => {
  it('ranks by BM25 score, highest first, with top-k', () => {
    const index = createBm25Index(docs);
    const hits = index.searchSync('capital of France', { topK: 2 });
    expect(hits[0]).toMatchObject({ id: 'paris', title: 'Paris', text: docs[0]!.text });
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits).toHaveLength(2);
  });

  it('weights rare terms above common ones and boosts titles', () => {
    const index = createBm25Index(docs);
    expect(index.searchSync('river Rhone')[0]!.id).toBe('rhone');
    expect(index.searchSync('Germany')[0]!.id).toBe('berlin');
    expect(index.searchSync('zzz unknown')).toEqual([]);
  });

  it('rejects invalid documents and duplicate ids, naming the document', () => {
    expect(() => createBm25Index([{ id: 'a', text: 1 as unknown as string }])).toThrow(
      /createBm25Index: docs\[0\]\.text:/,
    );
    expect(() => createBm25Index([docs[0]!, docs[0]!])).toThrow(
      /docs\[1\]\.id: repeats id "paris"/,
    );
    expect(() => createBm25Index(docs).searchSync('x', { topK: 0 })).toThrow(RangeError);
  });

  it('loads a JSONL corpus and reports a bad line with file and line number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bm25-'));
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
    const index = await loadBm25Corpus(good);
    expect(index.size).toBe(4);
    expect(index.search('largest city Germany', { topK: 1 })[0]!.id).toBe('berlin');
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify(docs[0])}\n{"id": "x", "title": "no text"}\n`);
    const error = await loadBm25Corpus(bad).catch((e: unknown) => e);
    expect(JsonlLineError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/bad\.jsonl, line 2/);
  });
});
