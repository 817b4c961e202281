import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalRecord } from './records.js';
import { openEvalStore, readEvalManifest, readEvalRecords } from './store.js';

const record = (questionId: string): EvalRecord => ({
  benchmark: 'gsm8k-test',
  questionId,
  sample: 0,
  question: 'q',
  goldAnswers: ['1'],
  trajectory: {
    id: `t-${questionId}`,
    taskId: questionId,
    steps: [],
    finalAnswer: null,
    provenance: {},
    metadata: {},
  },
  verdict: {
    correct: false,
    extractedAnswer: null,
    toolCalls: 0,
    toolErrors: 0,
    formatViolations: 0,
    outputTokens: 0,
    ms: 0,
  },
});

describe('the records file', () => {
  it('drops a line cut by a kill and resumes after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-store-'));
    const path = join(dir, 'records.jsonl');
    writeFileSync(path, `${JSON.stringify(record('a'))}\n`);
    appendFileSync(path, JSON.stringify(record('b')).slice(0, 40));
    expect((await readEvalRecords(path)).map((r) => r.questionId)).toEqual(['a']);
    const store = await openEvalStore(dir);
    expect([...store.done.values()].map((r) => r.questionId)).toEqual(['a']);
    store.record(record('c'));
    store.close();
    expect((await readEvalRecords(path)).map((r) => r.questionId)).toEqual(['a', 'c']);
  });

  it('refuses a corrupt record and a foreign manifest, naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-store-'));
    const path = join(dir, 'records.jsonl');
    writeFileSync(
      path,
      `${JSON.stringify(record('a'))}\n${JSON.stringify({ ...record('b'), sample: -1 })}\n${JSON.stringify(record('c'))}\n`,
    );
    await expect(readEvalRecords(path)).rejects.toThrow(/line 2/);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ kind: 'synthesis' }));
    expect(() => readEvalManifest(dir)).toThrow(
      /manifest.json, field kind: not an evaluation manifest/,
    );
  });
});
