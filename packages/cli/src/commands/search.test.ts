import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../test-support/run.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-search-'));
const corpus = join(dir, 'corpus.jsonl');
writeFileSync(
  corpus,
  [
    { id: 'p', title: 'Paris', text: 'Paris is the capital and most populous city of France.' },
    { id: 'b', title: 'Berlin', text: 'Berlin is the capital and largest city of Germany.' },
    { id: 'r', title: 'Rhine', text: 'The Rhine flows from the Alps to the North Sea.' },
  ]
    .map((d) => JSON.stringify(d))
    .join('\n'),
);

describe('autotraj search', () => {
  it('prints the top-k BM25 hits as a table', async () => {
    const result = await run(['search', '--corpus', corpus, 'capital of Germany', '--top-k', '2']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^#\s+score\s+id\s+title\s+text$/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^1\s+\d+\.\d{3}\s+b\s+Berlin/);
  });

  it('prints JSON lines with --json', async () => {
    const result = await run(['search', '--corpus', corpus, '--json', 'Rhine Alps']);
    const hits = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(hits[0]).toMatchObject({ id: 'r', title: 'Rhine' });
    expect(hits[0].score).toBeGreaterThan(0);
  });

  it('names the file and line of a bad corpus record', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id": "a", "text": "ok"}\n{"id": "b"}\n');
    const result = await run(['search', '--corpus', bad, 'x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.jsonl, line 2/);
  });
});
