import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonlLineError } from '../errors.js';
import { trajectorySchema } from '../schemas/trajectory.js';
import { gsm8kModelSolutionTrajectories } from '../sources/gsm8k.js';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { openJournalStore } from './journal-store.js';

// An entry per GSM8K problem: its real model solutions, and each one's final answer.
const entrySchema = z.object({
  taskId: z.string().min(1),
  solutions: z.array(trajectorySchema),
  answers: z.array(z.object({ id: z.string(), answer: z.string().nullable() })),
});
type Entry = z.infer<typeof entrySchema>;

let entries: Entry[] = [];
beforeAll(() => {
  entries = readSharedJsonl('gsm8k/model-solutions.dev.jsonl')
    .slice(0, 4)
    .map((record) => {
      const solutions = gsm8kModelSolutionTrajectories(record).solutions.map((s) => s.trajectory);
      return {
        taskId: solutions[0]!.taskId,
        solutions,
        answers: solutions.map((t) => ({ id: `answer-${t.id}`, answer: t.finalAnswer })),
      };
    });
});

const open = (dir: string) =>
  openJournalStore({
    dir,
    schema: entrySchema,
    key: (entry) => entry.taskId,
    outputs: [
      { file: 'solutions.jsonl', records: (entry: Entry) => entry.solutions },
      { file: 'answers.jsonl', records: (entry: Entry) => entry.answers },
    ],
  });

const text = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const lines = (dir: string, file: string) =>
  text(dir, file)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { id?: string; taskId?: string });
const ids = (dir: string, file: string) => lines(dir, file).map((r) => r.id);
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/** The files of an uninterrupted run over `count` entries. */
async function reference(count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'journal-ref-'));
  const store = await open(dir);
  for (const entry of entries.slice(0, count)) store.record(entry);
  store.close();
  return dir;
}

function expectSameOutputs(dir: string, ref: string) {
  expect(lines(dir, 'journal.jsonl').map((e) => e.taskId)).toEqual(
    lines(ref, 'journal.jsonl').map((e) => e.taskId),
  );
  for (const file of ['solutions.jsonl', 'answers.jsonl']) {
    expect(ids(dir, file)).toEqual(ids(ref, file));
    expect(lines(dir, file)).toEqual(lines(ref, file));
  }
}

describe('openJournalStore', () => {
  it('journals each entry, then copies its records to the outputs in order; a rerun skips journaled keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const first = await open(dir);
    expect(first.done.size).toBe(0);
    for (const entry of entries.slice(0, 2)) first.record(entry);
    expect([...first.done.keys()]).toEqual(entries.slice(0, 2).map((e) => e.taskId));
    first.close();
    expect(ids(dir, 'solutions.jsonl')).toEqual(
      entries.slice(0, 2).flatMap((e) => e.solutions.map((t) => t.id)),
    );
    expect(ids(dir, 'solutions.jsonl')).toHaveLength(8);

    const second = await open(dir);
    expect([...second.done.keys()]).toEqual(entries.slice(0, 2).map((e) => e.taskId));
    expect(second.done.get(entries[1]!.taskId)).toEqual(entries[1]);
    for (const entry of entries) if (!second.done.has(entry.taskId)) second.record(entry);
    second.close();
    expectSameOutputs(dir, await reference(4));
  });

  it('cuts a partial last line a kill left in the journal and in an output, then resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const [a, b, c] = entries as [Entry, Entry, Entry];
    writeFileSync(join(dir, 'journal.jsonl'), line(a) + line(b).slice(0, 300));
    writeFileSync(
      join(dir, 'solutions.jsonl'),
      a.solutions.map(line).join('') + line(b.solutions[0]).slice(0, 120),
    );
    writeFileSync(join(dir, 'answers.jsonl'), a.answers.map(line).join(''));

    const store = await open(dir);
    // b's journal line was never completed: b is not done, and none of its records stay.
    expect([...store.done.keys()]).toEqual([a.taskId]);
    expect(text(dir, 'journal.jsonl')).toBe(line(a));
    expect(text(dir, 'solutions.jsonl')).toBe(a.solutions.map(line).join(''));
    store.record(b);
    store.record(c);
    store.close();
    expectSameOutputs(dir, await reference(3));
  });

  it('appends exactly once the records a kill cut off between the journal line and the outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const [a, b, c] = entries as [Entry, Entry, Entry];
    // Killed while copying c: its journal line is complete, one solution and a half are out.
    writeFileSync(join(dir, 'journal.jsonl'), line(a) + line(b) + line(c));
    writeFileSync(
      join(dir, 'solutions.jsonl'),
      [...a.solutions, ...b.solutions, c.solutions[0]].map(line).join('') +
        line(c.solutions[1]).slice(0, 200),
    );
    writeFileSync(join(dir, 'answers.jsonl'), [...a.answers, ...b.answers].map(line).join(''));

    const ref = await reference(3);
    const store = await open(dir);
    expect([...store.done.keys()]).toEqual([a, b, c].map((e) => e.taskId));
    // Topped up on open, before anything new is recorded.
    expectSameOutputs(dir, ref);
    store.close();
    // Opening again adds nothing.
    (await open(dir)).close();
    expectSameOutputs(dir, ref);
    expect(new Set(ids(dir, 'solutions.jsonl')).size).toBe(12);
  });

  it('throws a JsonlLineError naming the journal file, line and field for a line that fails the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const journal = join(dir, 'journal.jsonl');
    const [a, b] = entries as [Entry, Entry];
    writeFileSync(journal, line(a) + line({ ...b, taskId: 42 }));

    const error = await open(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(JsonlLineError.isInstance(error)).toBe(true);
    const lineError = error as JsonlLineError;
    expect(lineError.kind).toBe('invalid-record');
    expect(lineError.location).toEqual({ file: journal, line: 2, path: 'taskId' });
    expect(lineError.message).toContain(`${journal}, line 2, field taskId`);
    // Nothing was copied from a journal that did not read whole.
    expect(existsSync(join(dir, 'solutions.jsonl'))).toBe(false);

    // Bad JSON in the middle is an error too, not a cut line to drop.
    writeFileSync(journal, `${line(a)}{"taskId":\n${line(b)}`);
    await expect(open(dir)).rejects.toThrow(`${journal}, line 2: invalid JSON`);

    // Once the journal is fixed, the same directory opens.
    writeFileSync(journal, line(a) + line(b));
    const store = await open(dir);
    expect(store.done.size).toBe(2);
    store.close();
  });

  it('a journal-only store under another name; close is idempotent and a later record throws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const store = await openJournalStore({
      dir,
      journal: 'records.jsonl',
      schema: trajectorySchema,
      key: (t) => t.id,
    });
    const trajectory = entries[0]!.solutions[0]!;
    store.record(trajectory);
    expect(store.journalPath).toBe(join(dir, 'records.jsonl'));
    expect(store.closed).toBe(false);
    store.close();
    store.close();
    expect(store.closed).toBe(true);
    expect(() => store.record(trajectory)).toThrow(`journal store for ${dir} is closed`);
    expect(text(dir, 'records.jsonl')).toBe(line(trajectory));
    appendFileSync(join(dir, 'records.jsonl'), '{"id":');
    const again = await openJournalStore({
      dir,
      journal: 'records.jsonl',
      schema: trajectorySchema,
      key: (t) => t.id,
    });
    expect([...again.done.keys()]).toEqual([trajectory.id]);
    again.close();
    expect(text(dir, 'records.jsonl')).toBe(line(trajectory));
  });
});
