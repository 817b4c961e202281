import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalRecordSchema } from '@autotraj/benchmarks';
import {
  renderWithLossMask,
  type SftRecord,
  sftTrainingReportSchema,
  tagCodec,
  trajectoryFromText,
} from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { realModelPath } from '../test-support/real-model.js';
import { run } from '../test-support/run.js';
import { expectRefused, snapshotDir } from '../test-support/run-dir.js';

const model = realModelPath('smollm2', 'the train-sft tests');
// The trainers (torch, TRL, PEFT) are a separate venv layer: ./dev exports AUTOTRAJ_TRAINERS=1
// after `./dev trainers`; CI requires them (AUTOTRAJ_REQUIRE_TRAINERS=1).
const python = process.env.AUTOTRAJ_TRAINERS === '1' ? process.env.AUTOTRAJ_PYTHON : undefined;
if (python === undefined && process.env.AUTOTRAJ_REQUIRE_TRAINERS === '1')
  throw new Error(
    'the train-sft tests need the trainers (AUTOTRAJ_REQUIRE_TRAINERS=1): run ./dev trainers',
  );

const texts = [
  '<think>Add first.</think><code>print(17+25)</code><result>42</result><think>Then halve.</think><answer>\\boxed{21}</answer>',
  '<think>Multiply.</think><code>print(6*7)</code><result>42\n</result><answer>\\boxed{42}</answer>',
  '<think>No tool needed: 2+2=4.</think><answer>\\boxed{4}</answer>',
  '<think>Square it.</think><code>x = 9\nprint(x**2)</code><result>81</result><answer>\\boxed{81}</answer>',
];
const questions = ['(17+25)/2?', 'What is 6*7?', 'What is 2+2?', 'What is 9 squared?'];

function sftRecord(text: string, i: number): SftRecord {
  const { trajectory } = trajectoryFromText(text, {
    format: 'tags',
    taskId: `t${i}`,
    question: questions[i]!,
  });
  return {
    id: `s${i}`,
    taskId: `t${i}`,
    instruction: 'Use <think>, <code> and \\boxed{}.',
    question: questions[i]!,
    trajectory,
    origin: i % 2 === 0 ? 'kept' : 'repaired',
    rendered: renderWithLossMask(trajectory.steps, tagCodec),
    metadata: {},
  };
}

const dir = mkdtempSync(join(tmpdir(), 'autotraj-train-sft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sftPath = join(dir, 'sft.jsonl');
writeFileSync(sftPath, texts.map((t, i) => `${JSON.stringify(sftRecord(t, i))}\n`).join(''));

/**
 * A stand-in trainer as AUTOTRAJ_PYTHON that prints what train_sft.py prints last (its rows: the
 * lines of the rows file it is given), after `sleep` seconds, and a stand-in base file: what is
 * tested is the command and its directory, not the training. Returns the restore.
 */
function standInTrainer(name: string, base: string, sleep = 0): () => void {
  const fake = join(dir, name);
  writeFileSync(
    fake,
    `#!/bin/sh\nsleep ${sleep}\nrows=$(grep -c . "$3")\necho '{"ok": true, "base": "b.gguf", "baseKind": "gguf", "method": "lora", "lora": null, "rows": '$rows', "trainedRows": '$rows', "tooLongRows": [], "maxLength": 1024, "tokens": 10, "trainedTokens": 5, "epochs": 1, "steps": 1, "batchSize": 1, "gradientAccumulation": 4, "learningRate": 0.0001, "seed": 1, "device": "cpu", "resumedFrom": null, "losses": [], "finalLoss": null, "loadSeconds": 0, "trainSeconds": 0, "tokensPerSecond": null, "convertSeconds": 0, "outputs": {}}'\n`,
    { mode: 0o755 },
  );
  writeFileSync(base, 'GGUF stand-in');
  const saved = process.env.AUTOTRAJ_PYTHON;
  process.env.AUTOTRAJ_PYTHON = fake;
  return () => {
    if (saved === undefined) delete process.env.AUTOTRAJ_PYTHON;
    else process.env.AUTOTRAJ_PYTHON = saved;
  };
}

describe('autotraj train-sft: resumes only the same run', () => {
  it('refuses other settings untouched, --force-new starts afresh, a second process is refused', async () => {
    const base = join(dir, 'base.gguf');
    const restore = standInTrainer('fake-python', base, 0.3);
    try {
      const out = join(dir, 'same-run');
      const args = ['train-sft', '--sft', sftPath, '--base', base, '--out', out, '--no-gguf'];
      const first = await run(args);
      expect(first.code, first.stderr).toBe(0);
      for (const [flags, setting, recorded, requested] of [
        [['--epochs', '2'], 'epochs (--epochs)', 1, 2],
        [['--method', 'full'], 'method (--method)', 'lora', 'full'],
        [['--grad-accum', '8'], 'gradientAccumulation (--grad-accum)', 4, 8],
        [['--origin', 'kept'], 'origin (--origin)', null, 'kept'],
        [['--seed', '2'], 'seed (--seed)', 1, 2],
      ] as const)
        await expectRefused(out, [...args, ...flags], setting, recorded, requested);
      // The same path, another file: another base.
      const before = snapshotDir(out);
      writeFileSync(base, 'another GGUF stand-in');
      const replacedBase = await run(args);
      expect(replacedBase.code).toBe(1);
      expect(replacedBase.stderr).toMatch(/baseFile: recorded "sha256:[0-9a-f]+", now "sha256:/);
      expect(snapshotDir(out)).toEqual(before);

      const fresh = await run([...args, '--force-new']);
      expect(fresh.code, fresh.stderr).toBe(0);
      expect(readdirSync(dir).filter((n) => n.startsWith('same-run.replaced-'))).toHaveLength(1);

      const raced = [...args.slice(0, 6), join(dir, 'raced'), '--no-gguf'];
      const both = await Promise.all([run(raced), run(raced)]);
      expect(both.map((r) => r.code).sort()).toEqual([0, 1]);
      expect(both.find((r) => r.code === 1)!.stderr).toMatch(/is in use by train-sft \(pid \d+/);
    } finally {
      restore();
    }
  });
});

describe('autotraj train-sft: bad input is an error before any training', () => {
  it('names the line of a record with nothing to train on', async () => {
    const bad = join(dir, 'bad.jsonl');
    const record = sftRecord('<think>x</think><answer>\\boxed{1}</answer>', 0);
    // Everything the "model" wrote is marked as tool output: the loss would see nothing.
    const allTool = {
      ...record,
      rendered: {
        ...record.rendered,
        spans: [{ start: 0, end: record.rendered.text.length, source: 'tool' }],
      },
    };
    writeFileSync(bad, `${JSON.stringify(sftRecord(texts[0]!, 0))}\n${JSON.stringify(allTool)}\n`);
    const result = await run([
      'train-sft',
      '--sft',
      bad,
      '--base',
      sftPath,
      '--out',
      join(dir, 'x'),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('is not a .gguf file');
    const withBase = await run([
      'train-sft',
      ...['--sft', bad, '--base', dir, '--out', join(dir, 'x'), '--no-gguf'],
    ]);
    expect(withBase.code).not.toBe(0);
    expect(withBase.stderr).toContain(`${bad}:2 (s0): the completion has no model-written text`);
  });

  it('refuses an empty set and an origin filter that leaves nothing', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const result = await run(['train-sft', '--sft', empty, '--base', dir, '--out', join(dir, 'y')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${empty}: no SFT records`);
    const kept = join(dir, 'kept.jsonl');
    writeFileSync(kept, `${JSON.stringify(sftRecord(texts[0]!, 0))}\n`);
    const filtered = await run([
      'train-sft',
      ...['--sft', kept, '--origin', 'repaired', '--base', dir, '--out', join(dir, 'y')],
    ]);
    expect(filtered.stderr).toContain('no SFT records with origin repaired');
  });
});

describe('autotraj train-sft: the admission gate over a set written before its rules', () => {
  // Real Qwen2.5-Coder-1.5B records of an older synthesis; today's gate refuses 4 of the 8
  // (rl's fixtures/README.md).
  const qwen = new URL('../../../rl/fixtures/qwen-sft-admission.jsonl', import.meta.url).pathname;

  it('--dry-run says what would be trained on and why the rest is left out, writing nothing', async () => {
    const result = await run(['train-sft', '--sft', qwen, '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(lines).toContainEqual(['records read', '8']);
    expect(lines).toContainEqual(['left out (admission well-formed)', '4']);
    expect(lines).toContainEqual(['whole-number-as-decimal', '2']);
    expect(lines).toContainEqual(['prose-arithmetic-error', '1']);
    expect(lines).toContainEqual(['duplicate', '1']);
    expect(lines).toContainEqual(['rows to train on', '4']);
    expect(result.stdout).toContain(
      'admission gate would refuse 4 of 8 SFT records (by reason: whole-number-as-decimal 2, duplicate 1, prose-arithmetic-error 1); nothing written (--dry-run)',
    );
    const kept = await run(['train-sft', '--sft', qwen, '--dry-run', '--origin', 'kept']);
    const keptLines = kept.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(keptLines).toContainEqual(['left out (--origin kept)', '4']);
    expect(keptLines).toContainEqual(['left out (admission well-formed)', '2']);
    const none = await run(['train-sft', '--sft', qwen, '--dry-run', '--admission', 'none']);
    const noneLines = none.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(noneLines).toContainEqual(['left out (admission none)', '0']);
    expect(noneLines).toContainEqual(['left out (exact duplicates)', '1']);
    expect(noneLines).toContainEqual(['rows to train on', '7']);
    expect(none.stdout).toContain('admission gate off (--admission none)');
  });

  it('trains without the refused records, which go to dropped.jsonl; all refused is an error before training', async () => {
    const base = join(dir, 'gate-base.gguf');
    const restore = standInTrainer('fake-python-gate', base);
    try {
      const out = join(dir, 'gated');
      const result = await run([
        'train-sft',
        '--sft',
        qwen,
        '--base',
        base,
        '--out',
        out,
        '--no-gguf',
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/left out \(admission well-formed\)\s+4 \(dropped\.jsonl\)/);
      expect(result.stdout).toMatch(/rows \(trained \/ given\)\s+4 \/ 4/);
      const dropped = readFileSync(join(out, 'dropped.jsonl'), 'utf8').trim().split('\n');
      expect(dropped.map((l) => JSON.parse(l).reasons[0].code)).toEqual([
        'whole-number-as-decimal',
        'whole-number-as-decimal',
        'prose-arithmetic-error',
        'duplicate',
      ]);
      const report = sftTrainingReportSchema.parse(
        JSON.parse(readFileSync(join(out, 'training-report.json'), 'utf8')),
      );
      expect(report.admission).toMatchObject({ mode: 'well-formed', given: 8, dropped: 4 });
      // Another gate is another run: refused in the same directory, the settings named.
      const other = await run([
        'train-sft',
        ...['--sft', qwen, '--base', base, '--out', out, '--no-gguf', '--admission', 'none'],
      ]);
      expect(other.code).not.toBe(0);
      expect(other.stderr).toContain('admission (--admission): recorded "well-formed", now "none"');

      const bad = join(dir, 'all-refused.jsonl');
      const lines = readFileSync(qwen, 'utf8').trim().split('\n');
      writeFileSync(bad, `${lines[2]}\n${lines[4]}\n`);
      const refused = await run([
        'train-sft',
        ...['--sft', bad, '--base', base, '--out', join(dir, 'refused'), '--no-gguf'],
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`${bad}: the admission gate refused all 2 SFT records`);
      expect(existsSync(join(dir, 'refused'))).toBe(false);
    } finally {
      restore();
    }
  });
});

describe.skipIf(model === undefined || python === undefined)(
  'autotraj train-sft on SmolLM2-135M, then eval with the adapter',
  () => {
    it('trains LoRA, resumes from its checkpoint, writes a GGUF adapter the embedded model runs', async () => {
      const out = join(dir, 'lora');
      const args = [
        'train-sft',
        ...['--sft', sftPath, '--base', 'local:smollm2', '--out', out],
        ...['--grad-accum', '1', '--save-steps', '1', '--learning-rate', '5e-3', '--threads', '1'],
      ];
      const first = await run([...args, '--max-steps', '2', '--no-gguf']);
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(
        /train-sft: step 2\/2 {2}loss \d+\.\d{4} {2}[\d.]+ tokens\/s {2}ETA/,
      );
      expect(existsSync(join(out, 'adapter.gguf'))).toBe(false);

      // A rerun with more steps starts from the last checkpoint, not from scratch.
      const second = await run([...args, '--max-steps', '3']);
      expect(second.code).toBe(0);
      // The progress line counts the first run's training too.
      expect(second.stderr).toMatch(/step 3\/3 .* elapsed, \S+ of training in all\)/);
      const report = sftTrainingReportSchema.parse(
        JSON.parse(readFileSync(join(out, 'training-report.json'), 'utf8')),
      );
      expect(report.resumedFrom).toMatch(/checkpoint-2$/);
      expect(report.steps).toBe(3);
      expect(report.losses.map((l) => l.step)).toEqual([1, 2, 3]);
      // The training time is the whole training's: the first run's 2 steps (from the
      // checkpoint's history) and this run's third.
      const times = report.losses.map((l) => l.trainSeconds ?? Number.NaN);
      expect(times[1]).toBeGreaterThan(times[0]!);
      expect(times[2]).toBeGreaterThan(times[1]!);
      expect(report.trainSecondsThisRun).toBeLessThan(report.trainSeconds);
      expect(report.trainSeconds).toBeGreaterThanOrEqual(times[2]!);
      for (const l of report.losses) expect(Number.isFinite(l.loss)).toBe(true);
      expect(report).toMatchObject({ method: 'lora', baseKind: 'gguf', rows: 4, trainedRows: 4 });
      expect(report.tooLongRows).toEqual([]);
      // Only what the model wrote is in the loss: fewer tokens than the rows hold.
      expect(report.trainedTokens).toBeGreaterThan(0);
      expect(report.trainedTokens).toBeLessThan(report.tokens);
      expect(report.outputs.adapterGguf).toBe(join(out, 'adapter.gguf'));
      expect(second.stdout).toMatch(/rows \(trained \/ given\)\s+4 \/ 4/);

      const evalWith = async (name: string, lora: string[]) => {
        const evalOut = join(dir, name);
        const result = await run([
          'eval',
          ...['--benchmark', 'gsm8k-test', '--limit', '2', '--model', 'local:smollm2'],
          ...['--max-tokens', '32', '--out', evalOut, ...lora],
        ]);
        expect(result.code).toBe(0);
        const records = readFileSync(join(evalOut, 'records.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => evalRecordSchema.parse(JSON.parse(l)));
        const manifest = JSON.parse(readFileSync(join(evalOut, 'manifest.json'), 'utf8'));
        return { records, manifest };
      };
      const adapted = await evalWith('eval-lora', ['--lora', join(out, 'adapter.gguf')]);
      const base = await evalWith('eval-base', []);
      expect(adapted.records).toHaveLength(2);
      // The adapter is named, with its hash, wherever the model is.
      expect(adapted.manifest.model.name).toMatch(
        /^local:smollm2\+lora:adapter\.gguf@sha256:[0-9a-f]{16}$/,
      );
      expect(base.manifest.model.name).toBe('local:smollm2');
      // And it is applied: greedy outputs differ from the base model's.
      const text = (r: { records: Array<{ trajectory: { steps: unknown[] } }> }) =>
        JSON.stringify(r.records.map((x) => x.trajectory.steps));
      expect(text(adapted)).not.toBe(text(base));
    }, 600_000);

    it('fully fine-tunes on the kept records and writes a merged GGUF the embedded model runs', async () => {
      const out = join(dir, 'full');
      const result = await run([
        'train-sft',
        ...['--sft', sftPath, '--origin', 'kept', '--base', 'local:smollm2', '--out', out],
        ...['--method', 'full', '--max-steps', '1', '--grad-accum', '1', '--threads', '1'],
      ]);
      expect(result.code, result.stderr).toBe(0);
      const report = sftTrainingReportSchema.parse(
        JSON.parse(readFileSync(join(out, 'training-report.json'), 'utf8')),
      );
      // Records 0 and 2 are the kept ones.
      expect(report).toMatchObject({ method: 'full', lora: null, rows: 2, steps: 1 });
      expect(report.outputs.modelGguf).toBe(join(out, 'model.gguf'));
      const evalOut = join(dir, 'eval-full');
      const evaluated = await run([
        'eval',
        ...[
          '--benchmark',
          'gsm8k-test',
          '--limit',
          '1',
          '--model',
          `local:${join(out, 'model.gguf')}`,
        ],
        ...['--max-tokens', '16', '--out', evalOut],
      ]);
      expect(evaluated.code, evaluated.stderr).toBe(0);
      expect(readFileSync(join(evalOut, 'records.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
        1,
      );
    }, 600_000);

    it('refuses --lora with a model that is not local', async () => {
      const result = await run([
        'eval',
        ...['--benchmark', 'gsm8k-test', '--limit', '1', '--model', 'vllm:x'],
        ...['--base-url', 'http://127.0.0.1:9/v1', '--lora', sftPath, '--out', join(dir, 'z')],
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--lora applies to a live local:<model> only');
    });
  },
);
