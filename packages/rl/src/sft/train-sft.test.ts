import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunLockedError, RunSettingsMismatchError, type SftRecord } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { RlConfigError, SftInputError } from '../errors.js';
import { tagSftRecord } from '../test-support.js';
import { trainSft } from './train-sft.js';

const record = (text: string, origin: SftRecord['origin']) =>
  tagSftRecord({
    text,
    id: `s-${origin}`,
    taskId: 't',
    question: 'What is 6*7?',
    instruction: 'Use <code> and \\boxed{}.',
    origin,
  });
const good = record(
  '<think>Multiply.</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>',
  'kept',
);
// No Python is started: every case fails validation first (the interpreter does not exist).
const base = { base: 'base.gguf', outDir: 'never-written', python: '/nonexistent/python' };

describe('trainSft refuses what it cannot train on, before any model loads', () => {
  it('an empty set, and an origin filter that leaves nothing', async () => {
    const empty = trainSft({ ...base, records: [] });
    await expect(empty).rejects.toSatisfy(SftInputError.isInstance);
    await expect(empty).rejects.toThrow('records: no SFT records to train on');
    await expect(trainSft({ ...base, records: [good], origin: 'repaired' })).rejects.toThrow(
      'no SFT records with origin repaired to train on',
    );
  });

  it('a completion with no model-written text, or a loss mask that does not fit the text', async () => {
    const allTool: SftRecord = {
      ...good,
      id: 'all-tool',
      rendered: {
        ...good.rendered,
        spans: [{ start: 0, end: good.rendered.text.length, source: 'tool' }],
      },
    };
    await expect(trainSft({ ...base, records: [good, allTool] })).rejects.toThrow(
      'record 2 (all-tool): the completion has no model-written text',
    );
    const outside: SftRecord = {
      ...good,
      id: 'outside',
      rendered: {
        ...good.rendered,
        spans: [
          ...good.rendered.spans,
          { start: 5, end: good.rendered.text.length + 3, source: 'tool' },
        ],
      },
    };
    await expect(trainSft({ ...base, records: [outside] })).rejects.toThrow(
      /record 1 \(outside\): tool span \[5, \d+\) is outside the rendered text/,
    );
  });

  it('leaves exact duplicates out and names them in the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-train-sft-'));
    // A stand-in interpreter that prints what train_sft.py prints last, so only the TypeScript
    // side runs: it must hand the trainer one copy and report the other.
    const fake = join(dir, 'python');
    await writeFile(
      fake,
      `#!/bin/sh\nrows=$(grep -c . "$3")\necho '{"ok": true, "base": "b.gguf", "baseKind": "gguf", "method": "lora", "lora": null, "rows": '$rows', "trainedRows": '$rows', "tooLongRows": [], "maxLength": 1024, "tokens": 10, "trainedTokens": 5, "epochs": 1, "steps": 1, "batchSize": 1, "gradientAccumulation": 4, "learningRate": 0.0001, "seed": 1, "device": "cpu", "resumedFrom": null, "losses": [], "finalLoss": null, "loadSeconds": 0, "trainSeconds": 0, "tokensPerSecond": null, "convertSeconds": 0, "outputs": {}}'\n`,
      { mode: 0o755 },
    );
    const copy = { ...good, id: 'copy' };
    const report = await trainSft({ ...base, python: fake, outDir: dir, records: [good, copy] });
    expect(report.rows).toBe(1);
    expect(report.duplicateRecords).toEqual(['record 2 (copy)']);
    const written = JSON.parse(await readFile(join(dir, 'training-report.json'), 'utf8'));
    expect(written.duplicateRecords).toEqual(['record 2 (copy)']);
    expect((await readFile(join(dir, 'sft.trl.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('resumes only the same run: other settings refused untouched, forceNew, a second process refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-train-sft-same-'));
    const fake = join(dir, 'python');
    // The stand-in trainer takes a moment, so a second process can start while it runs.
    await writeFile(
      fake,
      `#!/bin/sh\nsleep 0.3\necho '{"ok": true, "base": "b.gguf", "baseKind": "gguf", "method": "lora", "lora": null, "rows": 1, "trainedRows": 1, "tooLongRows": [], "maxLength": 1024, "tokens": 10, "trainedTokens": 5, "epochs": 1, "steps": 1, "batchSize": 1, "gradientAccumulation": 4, "learningRate": 0.0001, "seed": 1, "device": "cpu", "resumedFrom": null, "losses": [], "finalLoss": null, "loadSeconds": 0, "trainSeconds": 0, "tokensPerSecond": null, "convertSeconds": 0, "outputs": {}}'\n`,
      { mode: 0o755 },
    );
    const outDir = join(dir, 'out');
    const options = { ...base, python: fake, outDir, records: [good] };
    await trainSft(options);
    const snapshot = async () =>
      Object.fromEntries(
        await Promise.all(
          (await readdir(outDir)).map(async (f) => [f, await readFile(join(outDir, f), 'utf8')]),
        ),
      );
    const before = await snapshot();
    const other = record('<think>Six sevens.</think><answer>\\boxed{42}</answer>', 'kept');
    for (const [change, setting, recorded, requested] of [
      [{ epochs: 2 }, 'epochs', 1, 2],
      [{ method: 'full' as const }, 'method', 'lora', 'full'],
      [{ learningRate: 0.001 }, 'learningRate', 0.0001, 0.001],
      [{ base: 'other.gguf' }, 'base', 'base.gguf', 'other.gguf'],
    ] as const) {
      const error = await trainSft({ ...options, ...change }).catch((e: unknown) => e);
      expect(RunSettingsMismatchError.isInstance(error)).toBe(true);
      expect((error as RunSettingsMismatchError).differences).toContainEqual({
        setting,
        recorded,
        requested,
      });
      expect(await snapshot()).toEqual(before);
    }
    const rows = await trainSft({ ...options, records: [other] }).catch((e: unknown) => e);
    expect((rows as RunSettingsMismatchError).differences.map((d) => d.setting)).toEqual(['rows']);
    expect(await snapshot()).toEqual(before);

    await trainSft(options); // the same run resumes
    const fresh = await trainSft({ ...options, epochs: 2, forceNew: true });
    expect(fresh.rows).toBe(1);
    expect((await readdir(dir)).filter((f) => f.startsWith('out.replaced-'))).toHaveLength(1);

    const both = await Promise.allSettled([
      trainSft({ ...options, outDir: join(dir, 'raced') }),
      trainSft({ ...options, outDir: join(dir, 'raced') }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(RunLockedError.isInstance(refused.reason)).toBe(true);
  });

  it('options out of range are an RlConfigError naming the option', async () => {
    const bad = trainSft({ ...base, records: [good], maxLength: 0 });
    await expect(bad).rejects.toSatisfy(RlConfigError.isInstance);
    await expect(bad).rejects.toThrow('maxLength: must be a positive integer, got 0');
  });
});
