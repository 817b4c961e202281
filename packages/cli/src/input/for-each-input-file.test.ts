import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlLineError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { captureIo } from '../test-support/run.js';
import { forEachInputFile } from './for-each-input-file.js';
import { resolveInput } from './input-files.js';

const line = (id: string) => JSON.stringify({ id, response: `<answer>${id}</answer>`, gold: '1' });
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);

/** A run directory with `a.jsonl` (two reward lines) and `b.jsonl` (its line 2 not JSON). */
function runDir(): { dir: string; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'autotraj-for-each-'));
  const dir = join(root, 'run');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.jsonl'), `${line('a1')}\n${line('a2')}\n`);
  writeFileSync(join(dir, 'b.jsonl'), `${line('b1')}\n{"id": "b2",\n${line('b3')}\n`);
  return { dir, out: join(root, 'out') };
}

/** A command that copies each record's id to its output, as score and reward stream theirs. */
async function copyIds(options: { dir: string; out: string; strict: boolean; open?: boolean }) {
  const captured = captureIo();
  const reported: string[] = [];
  let error: unknown = null;
  try {
    await forEachInputFile({
      io: captured.io,
      command: 'copy',
      input: resolveInput(options.dir),
      flags: { out: options.out, from: 'auto', strict: options.strict },
      heading: true,
      async read({ records, openOutput }) {
        const writer = options.open === false ? null : openOutput();
        let n = 0;
        for await (const record of records) {
          writer?.write({ line: record.line, id: record.value.id });
          n++;
        }
        return n;
      },
      report({ file, out }, n) {
        reported.push(file.name);
        captured.io.stdout.write(`${n} -> ${out}\n`);
      },
    });
  } catch (caught) {
    error = caught;
  }
  return { stdout: captured.stdout(), stderr: captured.stderr(), reported, error };
}

describe('forEachInputFile', () => {
  it('a bad line in the second file goes to its rejects file, named; the first is written whole', async () => {
    const { dir, out } = runDir();
    const result = await copyIds({ dir, out, strict: false });
    expect(result.error).toBeNull();
    expect(result.reported).toEqual(['a.jsonl', 'b.jsonl']);
    expect(result.stdout).toBe(
      [
        '',
        `== ${join(dir, 'a.jsonl')}: 2 records, reward lines (response, gold): text, not trajectories`,
        `2 -> ${join(out, 'a.jsonl')}`,
        '',
        `== ${join(dir, 'b.jsonl')}: 2 records, reward lines (response, gold): text, not trajectories`,
        `2 -> ${join(out, 'b.jsonl')}`,
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe(
      `autotraj copy: 1 of 3 lines of ${join(dir, 'b.jsonl')} rejected -> ${join(out, 'b.jsonl.rejects.jsonl')}\n`,
    );
    expect(lines(join(out, 'a.jsonl')).map((l) => JSON.parse(l).id)).toEqual(['a1', 'a2']);
    expect(lines(join(out, 'b.jsonl')).map((l) => JSON.parse(l))).toEqual([
      { line: 1, id: 'b1' },
      { line: 3, id: 'b3' },
    ]);
    const [rejected] = lines(join(out, 'b.jsonl.rejects.jsonl')).map((l) => JSON.parse(l));
    expect(rejected).toMatchObject({ line: 2, kind: 'invalid-json' });
    expect(existsSync(join(out, 'a.jsonl.rejects.jsonl'))).toBe(false);
  });

  it('strict: stops at that line naming file and line, after the first file was written and reported', async () => {
    const { dir, out } = runDir();
    const result = await copyIds({ dir, out, strict: true });
    expect(JsonlLineError.isInstance(result.error)).toBe(true);
    expect((result.error as Error).message).toMatch(
      new RegExp(`^${join(dir, 'b.jsonl')}, line 2: invalid JSON`),
    );
    expect(result.reported).toEqual(['a.jsonl']);
    expect(lines(join(out, 'a.jsonl'))).toHaveLength(2);
    // What was written of the second file before its bad line stays, closed (as score writes).
    expect(lines(join(out, 'b.jsonl')).map((l) => JSON.parse(l).id)).toEqual(['b1']);
  });

  it('skips a file of no kind it reads, removing only an output it opened for it', async () => {
    const { dir, out } = runDir();
    writeFileSync(join(dir, 'b.jsonl'), '{"foo": 1}\n');
    mkdirSync(out);
    writeFileSync(join(out, 'b.jsonl'), 'stale\n');
    const kept = await copyIds({ dir, out, strict: false, open: false });
    expect(kept.error).toBeNull();
    expect(kept.reported).toEqual(['a.jsonl']);
    expect(kept.stderr).toBe(
      `autotraj copy: skipped ${join(dir, 'b.jsonl')} (not a record autotraj reads)\n`,
    );
    // Never opened: what an earlier run left there stays, as `evaluate` leaves it.
    expect(readFileSync(join(out, 'b.jsonl'), 'utf8')).toBe('stale\n');

    const removed = await copyIds({ dir, out, strict: false });
    expect(removed.reported).toEqual(['a.jsonl']);
    expect(removed.stderr).toBe(kept.stderr);

    // An empty file (synthesis writes dropped.jsonl whether or not anything was dropped) says so.
    writeFileSync(join(dir, 'b.jsonl'), '');
    const empty = await copyIds({ dir, out, strict: false, open: false });
    expect(empty.stderr).toBe(`autotraj copy: skipped ${join(dir, 'b.jsonl')} (empty)\n`);
    expect(existsSync(join(out, 'b.jsonl'))).toBe(false);
    expect(lines(join(out, 'a.jsonl'))).toHaveLength(2);
  });

  it('a file whose every line was rejected fails the command after every file was written', async () => {
    const { dir, out } = runDir();
    // Reward lines by their fields, so the kind is known, but `gold` of no type it takes.
    const badGold = JSON.stringify({ response: 'x', gold: { value: 1 } });
    writeFileSync(join(dir, 'a.jsonl'), `${badGold}\n${badGold}\n`);
    const result = await copyIds({ dir, out, strict: false });
    expect(CliError.isInstance(result.error)).toBe(true);
    expect((result.error as Error).message).toBe(
      `every line of ${join(dir, 'a.jsonl')} was rejected (2); see ${join(out, 'a.jsonl.rejects.jsonl')}`,
    );
    expect(result.reported).toEqual(['a.jsonl', 'b.jsonl']);
    expect(lines(join(out, 'b.jsonl'))).toHaveLength(2);
  });

  it('a run-directory file with no line readable as JSON fails too, rather than being skipped', async () => {
    const { dir, out } = runDir();
    writeFileSync(join(dir, 'a.jsonl'), '{"id": "a1",\n{"id": "a2",\n');
    const result = await copyIds({ dir, out, strict: false });
    expect(CliError.isInstance(result.error)).toBe(true);
    expect((result.error as Error).message).toBe(
      `every line of ${join(dir, 'a.jsonl')} was rejected (2); see ${join(out, 'a.jsonl.rejects.jsonl')}`,
    );
    expect(result.stderr).not.toMatch(/skipped/);
    expect(result.reported).toEqual(['b.jsonl']);
    expect(existsSync(join(out, 'a.jsonl'))).toBe(false);
    expect(lines(join(out, 'a.jsonl.rejects.jsonl'))).toHaveLength(2);
  });
});
