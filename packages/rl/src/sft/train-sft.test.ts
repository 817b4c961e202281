import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  droppedRecordSchema,
  RunLockedError,
  RunSettingsMismatchError,
  type SftRecord,
} from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { RlConfigError, SftInputError } from '../errors.js';
import { tagSftRecord } from '../test-support.js';
import { SFT_TRAINING_DEFAULTS } from './sft-training-options.js';
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

/**
 * A stand-in interpreter that prints what train_sft.py prints last (its rows: the lines of the
 * rows file it is given), after `sleep` seconds, so only the TypeScript side runs.
 */
async function fakeTrainer(dir: string, sleep = 0): Promise<string> {
  const fake = join(dir, 'python');
  const summary = `{"ok": true, "base": "b.gguf", "baseKind": "gguf", "method": "lora", "lora": null, "rows": '$rows', "trainedRows": '$rows', "tooLongRows": [], "maxLength": 1024, "tokens": 10, "trainedTokens": 5, "epochs": 1, "steps": 1, "batchSize": 1, "gradientAccumulation": 4, "learningRate": 0.0001, "seed": 1, "device": "cpu", "resumedFrom": null, "losses": [], "finalLoss": null, "loadSeconds": 0, "trainSeconds": 0, "tokensPerSecond": null, "convertSeconds": 0, "outputs": {}}`;
  await writeFile(fake, `#!/bin/sh\nsleep ${sleep}\nrows=$(grep -c . "$3")\necho '${summary}'\n`, {
    mode: 0o755,
  });
  return fake;
}

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
    // Admission none: the gate would drop these copies of good's text before the checks run.
    const none = { ...base, admission: 'none' as const };
    await expect(trainSft({ ...none, records: [good, allTool] })).rejects.toThrow(
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
    await expect(trainSft({ ...none, records: [outside] })).rejects.toThrow(
      /record 1 \(outside\): tool span \[5, \d+\) is outside the rendered text/,
    );
  });

  it('leaves exact duplicates out and names them in the report (under admission none too)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-train-sft-'));
    // A stand-in interpreter that prints what train_sft.py prints last, so only the TypeScript
    // side runs: it must hand the trainer one copy and report the other.
    const fake = await fakeTrainer(dir);
    const copy = { ...good, id: 'copy' };
    // The gate drops a copy within a task (`duplicate`); without it the trainer still does.
    const report = await trainSft({
      ...base,
      python: fake,
      outDir: dir,
      records: [good, copy],
      admission: 'none',
    });
    expect(report.rows).toBe(1);
    expect(report.duplicateRecords).toEqual(['record 2 (copy)']);
    const written = JSON.parse(await readFile(join(dir, 'training-report.json'), 'utf8'));
    expect(written.duplicateRecords).toEqual(['record 2 (copy)']);
    expect((await readFile(join(dir, 'sft.trl.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('resumes only the same run: other settings refused untouched, forceNew, a second process refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-train-sft-same-'));
    // The stand-in trainer takes a moment, so a second process can start while it runs.
    const fake = await fakeTrainer(dir, 0.3);
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

  it('a rerun that writes the defaults out resumes the run that left them to the defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-train-sft-defaults-'));
    const fake = await fakeTrainer(dir);
    const outDir = join(dir, 'out');
    await trainSft({ ...base, python: fake, outDir, records: [good] });
    const recorded = JSON.parse(await readFile(join(outDir, 'settings.json'), 'utf8'));
    const d = SFT_TRAINING_DEFAULTS;
    const report = await trainSft({
      ...base,
      python: fake,
      outDir,
      records: [good],
      method: d.method,
      lora: { ...d.lora },
      epochs: d.epochs,
      maxLength: d.maxLength,
      batchSize: d.batchSize,
      gradientAccumulation: d.gradientAccumulation,
      learningRate: d.learningRate.lora,
      seed: d.seed,
      saveSteps: d.saveSteps,
    });
    expect(report.rows).toBe(1);
    expect(JSON.parse(await readFile(join(outDir, 'settings.json'), 'utf8'))).toEqual(recorded);
    expect((await readdir(dir)).filter((f) => f.startsWith('out.replaced-'))).toEqual([]);
  });

  it('trains only on admitted records: dropped.jsonl, the report and the settings say what the gate did', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rl-train-sft-gate-'));
    const fake = await fakeTrainer(dir);
    // Real Qwen records of an older synthesis, 4 of 8 refused today (fixtures/README.md).
    const records = new URL('../../fixtures/qwen-sft-admission.jsonl', import.meta.url).pathname;
    const outDir = join(dir, 'out');
    const options = { ...base, python: fake, outDir, records, origin: 'kept' as const };
    const report = await trainSft(options);
    expect(report.rows).toBe(2);
    expect(report.selection).toEqual({ records: 8, origin: 'kept', removedByOrigin: 4 });
    expect(report.admission).toEqual({
      mode: 'well-formed',
      given: 4,
      admitted: 2,
      dropped: 2,
      droppedByReason: { 'whole-number-as-decimal': 1, 'prose-arithmetic-error': 1 },
    });
    const written = JSON.parse(await readFile(join(outDir, 'training-report.json'), 'utf8'));
    expect(written.admission).toEqual(report.admission);
    const dropped = (await readFile(join(outDir, 'dropped.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => droppedRecordSchema.parse(JSON.parse(line)));
    expect(dropped.map((d) => d.reasons.map((r) => r.code))).toEqual([
      ['whole-number-as-decimal'],
      ['prose-arithmetic-error'],
    ]);
    expect((await readFile(join(outDir, 'sft.trl.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(
      2,
    );
    const settings = JSON.parse(await readFile(join(outDir, 'settings.json'), 'utf8'));
    expect(settings.settings.admission).toBe('well-formed');
    // Another gate is another run.
    const error = await trainSft({ ...options, admission: 'none' }).catch((e: unknown) => e);
    expect(RunSettingsMismatchError.isInstance(error)).toBe(true);
    expect((error as RunSettingsMismatchError).differences.map((d) => d.setting)).toEqual([
      'rows',
      'admission',
    ]);
    const all = await trainSft({ ...options, admission: 'none', outDir: join(dir, 'none') });
    expect(all.rows).toBe(4);
    expect(all.admission).toMatchObject({ mode: 'none', dropped: 0 });
    expect(await readFile(join(dir, 'none', 'dropped.jsonl'), 'utf8')).toBe('');
  });

  it('options out of range are an RlConfigError naming the option', async () => {
    const bad = trainSft({ ...base, records: [good], maxLength: 0 });
    await expect(bad).rejects.toSatisfy(RlConfigError.isInstance);
    await expect(bad).rejects.toThrow('maxLength: must be a positive integer, got 0');
  });
});
