import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JsonlLineError } from '../errors.js';
import { trajectorySchema } from '../schemas/trajectory.js';
import { gsm8kModelSolutionTrajectories } from '../sources/gsm8k.js';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { readJsonl, readJsonlArray } from './read-jsonl.js';
import { createRejectsFile } from './rejects.js';
import { readExistingIds } from './resume.js';
import { createJsonlWriter } from './write-jsonl.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-jsonl-'));
let lines: string[] = [];

beforeAll(() => {
  // 200 real trajectories (the GSM8K model solutions of the first 50 problems).
  const records = readSharedJsonl('gsm8k/model-solutions.dev.jsonl').slice(0, 50);
  lines = records.flatMap((r) =>
    gsm8kModelSolutionTrajectories(r).solutions.map((s) => JSON.stringify(s.trajectory)),
  );
});

async function lenient(path: string, options: { maxLineBytes?: number } = {}) {
  const rejects: { error: JsonlLineError; raw: string }[] = [];
  const good: { id: string; line: number }[] = [];
  for await (const { value, line } of readJsonl(path, {
    schema: trajectorySchema,
    mode: 'lenient',
    onReject: (error, raw) => void rejects.push({ error, raw }),
    ...options,
  })) {
    good.push({ id: value.id, line });
  }
  return { good, rejects };
}

describe('readJsonl on corrupted copies of real data', () => {
  it('reads and validates every line of a clean file with its line number', async () => {
    const path = join(dir, 'clean.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { good, rejects } = await lenient(path);
    expect(good).toHaveLength(200);
    expect(good[199]!.line).toBe(200);
    expect(rejects).toEqual([]);
  });

  it('routes cut lines, wrong types, invalid UTF-8 and 10 MB lines to the sink with their line numbers', async () => {
    const path = join(dir, 'corrupt.jsonl');
    const bad = lines.slice(0, 10);
    bad[2] = bad[2]!.slice(0, 100); // cut line in the middle of the file
    const wrongType = JSON.parse(bad[4]!);
    wrongType.steps[1].callId = 42;
    bad[4] = JSON.stringify(wrongType);
    const tenMb = `{"pad":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    bad[6] = tenMb;
    const buffers = bad.map((l) => Buffer.from(`${l}\n`));
    buffers[8] = Buffer.concat([
      Buffer.from('{"id":"\xff'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
    ]);
    writeFileSync(path, Buffer.concat(buffers));
    appendFileSync(path, lines[10]!.slice(0, 50)); // a writer killed mid-line

    const { good, rejects } = await lenient(path, { maxLineBytes: 4 * 1024 * 1024 });
    expect(good.map((g) => g.line)).toEqual([1, 2, 4, 6, 8, 10]);
    expect(rejects.map((r) => [r.error.location.line, r.error.kind])).toEqual([
      [3, 'invalid-json'],
      [5, 'invalid-record'],
      [7, 'line-too-long'],
      [9, 'invalid-utf8'],
      [11, 'truncated'],
    ]);
    const wrong = rejects[1]!.error;
    expect(wrong.location.path).toBe('steps[1].callId');
    expect(wrong.message).toContain(`${path}, line 5, field steps[1].callId`);
    expect(JsonlLineError.isInstance(wrong)).toBe(true);
    expect(rejects[0]!.raw.length).toBeLessThanOrEqual(1001);
  });

  it('parses a 10 MB line when the limit allows it', async () => {
    const path = join(dir, 'big.jsonl');
    const big = JSON.parse(lines[0]!);
    big.metadata = { pad: 'y'.repeat(10 * 1024 * 1024) };
    writeFileSync(path, `${JSON.stringify(big)}\n${lines[1]}\n`);
    const { good, rejects } = await lenient(path);
    expect(good.map((g) => g.line)).toEqual([1, 2]);
    expect(rejects).toEqual([]);
  });

  it('strict mode throws a typed error naming file, line and field', async () => {
    const path = join(dir, 'strict.jsonl');
    writeFileSync(path, `${lines[0]}\n{"id":"x","taskId":"t","steps":[{"type":"think"}]}\n`);
    const read = readJsonlArray(path, { schema: trajectorySchema });
    await expect(read).rejects.toThrow(/strict\.jsonl, line 2, field steps\[0\]\.text/);
    await expect(read).rejects.toSatisfy(
      (e: unknown) => JsonlLineError.isInstance(e) && e.kind === 'invalid-record',
    );
  });

  it('refuses lenient mode without a sink, and reports a missing file clearly', async () => {
    await expect(readJsonlArray(join(dir, 'x.jsonl'), { mode: 'lenient' })).rejects.toThrow(
      /onReject/,
    );
    await expect(readJsonlArray(join(dir, 'missing.jsonl'))).rejects.toThrow(
      /missing\.jsonl: file does not exist/,
    );
  });

  it('rejects files record what was rejected', async () => {
    const path = join(dir, 'rej-in.jsonl');
    writeFileSync(path, `${lines[0]}\nnot json\n`);
    const sink = createRejectsFile(join(dir, 'rejects.jsonl'));
    for await (const _ of readJsonl(path, { mode: 'lenient', onReject: sink })) void _;
    sink.close();
    expect(sink.count).toBe(1);
    const record = JSON.parse(readFileSync(join(dir, 'rejects.jsonl'), 'utf8'));
    expect(record).toMatchObject({ file: path, line: 2, kind: 'invalid-json', raw: 'not json' });
  });
});

describe('append-only writer and resume', () => {
  it('cuts a partial last line left by a killed writer, then appends whole lines', async () => {
    const path = join(dir, 'out.jsonl');
    writeFileSync(path, `${lines[0]}\n${lines[1]}\n${lines[2]!.slice(0, 77)}`);
    const writer = createJsonlWriter(path, { schema: trajectorySchema });
    expect(writer.repairedBytes).toBe(77);
    writer.write(JSON.parse(lines[3]!));
    writer.close();
    const ids = await readExistingIds(path);
    expect([...ids.ids]).toEqual([0, 1, 3].map((i) => JSON.parse(lines[i]!).id));
    expect(ids.skipped).toEqual([]);
  });

  it('validates before writing: a bad record throws and leaves the file untouched', () => {
    const path = join(dir, 'validated.jsonl');
    const writer = createJsonlWriter(path, { schema: trajectorySchema });
    expect(() => writer.write({ id: 'x' } as never)).toThrow(/taskId/);
    writer.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('resume reports a cut last line instead of counting it as done', async () => {
    const path = join(dir, 'resume.jsonl');
    writeFileSync(path, `${lines[0]}\n${lines[1]!.slice(0, 30)}`);
    const { ids, skipped } = await readExistingIds(path);
    expect(ids.size).toBe(1);
    expect(skipped.map((s) => s.kind)).toEqual(['truncated']);
    expect((await readExistingIds(join(dir, 'none.jsonl'))).ids.size).toBe(0);
  });
});
