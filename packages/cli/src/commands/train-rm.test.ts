import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gsm8kCorrectnessPairs, loadRewardModel, scoreWithModel } from '@autotraj/reward-model';
import { toTrlPreference } from '@autotraj/trajectory';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, sharedData } from '../test-support/run.js';
import { expectRefused } from '../test-support/run-dir.js';

const dir = mkdtempSync(join(tmpdir(), 'autotraj-rm-cli-'));
const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

// GSM8K's own solutions are not in the tag form the admission gate checks (it refuses the chosen
// side of every GSM8K dev pair: paper-format, answer-not-boxed), so these trainings run ungated.
const ungated = ['--admission', 'none'];
const pairsPath = join(dir, 'pairs.jsonl');
const trlPath = join(dir, 'pairs.trl.jsonl');
let pairs: ReturnType<typeof gsm8kCorrectnessPairs>;

beforeAll(() => {
  const records = readFileSync(sharedData('gsm8k/model-solutions.dev.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 160)
    .map((l) => JSON.parse(l) as unknown);
  pairs = gsm8kCorrectnessPairs(records);
  writeFileSync(pairsPath, jsonl(pairs));
  writeFileSync(
    trlPath,
    jsonl(pairs.map((p) => toTrlPreference(p, { format: 'gsm8k-calculator' }))),
  );
});

describe('autotraj train-rm and score', () => {
  it('trains on PreferencePair JSONL, writes model.onnx and a report, and scores trajectories', async () => {
    const out = join(dir, 'rm');
    const trained = await run([
      'train-rm',
      ...['--pairs', pairsPath, '--out', out, '--epochs', '4', ...ungated],
    ]);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/held-out accuracy\s+0\.\d{3}/);
    const report = JSON.parse(readFileSync(join(out, 'training-report.json'), 'utf8'));
    expect(report.data.trainPairs + report.data.validationPairs).toBe(pairs.length);
    expect(report.heldOut.pairs).toBe(report.data.validationPairs);
    expect(report.heldOut.histograms.chosen.counts.reduce((a: number, b: number) => a + b, 0)).toBe(
      report.heldOut.pairs,
    );
    expect(report.model.bytes).toBeGreaterThan(1_000_000);

    // Another training's settings or pairs are refused, and model.onnx stays as it is.
    const args = ['train-rm', ...ungated, '--pairs', pairsPath, '--out', out, '--epochs', '4'];
    await expectRefused(out, [...args.slice(0, 7), '--epochs', '5'], 'epochs (--epochs)', 4, 5);
    await expectRefused(out, [...args, '--seed', '2'], 'seed (--seed)', 1, 2);
    await expectRefused(out, [...args, '--buckets', '1024'], 'buckets (--buckets)', 65536, 1024);
    const otherPairs = await run([
      'train-rm',
      ...['--pairs', trlPath, '--out', out, '--epochs', '4', ...ungated],
    ]);
    expect(otherPairs.code).toBe(1);
    expect(otherPairs.stderr).toMatch(
      /pairs \(--pairs\): recorded "sha256:[0-9a-f]+", now "sha256:/,
    );
    // The same training into the same directory runs again (the same model: training is seeded).
    const modelBytes = readFileSync(join(out, 'model.onnx'));
    const same = await run(args);
    expect(same.code, same.stderr).toBe(0);
    expect(readFileSync(join(out, 'model.onnx')).equals(modelBytes)).toBe(true);
    const forced = await run([...args.slice(0, 7), '--epochs', '1', '--force-new']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(dir).filter((n) => n.startsWith('rm.replaced-'))).toHaveLength(1);
    const raced = [
      'train-rm',
      '--pairs',
      pairsPath,
      '--out',
      join(dir, 'rm-raced'),
      '--epochs',
      '1',
      ...ungated,
    ];
    const both = await Promise.all([run(raced), run(raced)]);
    expect(both.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(both.find((r) => r.code === 1)!.stderr).toMatch(/is in use by train-rm \(pid \d+/);

    const trajectories = join(dir, 'trajectories.jsonl');
    writeFileSync(trajectories, jsonl(pairs.slice(0, 30).flatMap((p) => [p.chosen, p.rejected])));
    const scored = join(dir, 'scored.jsonl');
    const result = await run([
      'score',
      '--model',
      join(out, 'model.onnx'),
      trajectories,
      '--out',
      scored,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/scored 60 trajectories from 60 records of \S+ \(trajectory\)/);
    const lines = readLines(scored);
    expect(lines).toHaveLength(60);
    expect(lines[0].id).toBe(pairs[0]!.chosen.id);
    const model = await loadRewardModel(join(out, 'model.onnx'));
    const expected = scoreWithModel(model, [{ trajectory: pairs[0]!.chosen }]);
    expect(Math.abs(lines[0].score - expected[0]!)).toBeLessThan(1e-5);
    // A multi-solution record (GSM8K model solutions) comes back with `scores`, one per solution.
    const input = join(dir, 'solutions.jsonl');
    writeFileSync(
      input,
      readFileSync(sharedData('gsm8k/model-solutions.dev.jsonl'), 'utf8')
        .split('\n')
        .slice(0, 3)
        .join('\n'),
    );
    const scoredSolutions = join(dir, 'solutions.scored.jsonl');
    const solutions = await run([
      'score',
      '--model',
      join(out, 'model.onnx'),
      input,
      '--out',
      scoredSolutions,
    ]);
    expect(solutions.code).toBe(0);
    expect(solutions.stderr).toMatch(
      /scored 12 trajectories from 3 records of \S+ \(gsm8k-solutions\)/,
    );
    const solutionLines = readLines(scoredSolutions);
    expect(solutionLines.map((l) => l.scores.length)).toEqual([4, 4, 4]);
    expect(solutionLines[0].question).toBeTypeOf('string');
  });

  it('a rerun that writes the defaults out is the same training: the settings are recorded resolved', async () => {
    const out = join(dir, 'rm-defaults');
    const args = ['train-rm', ...ungated, '--pairs', pairsPath, '--out', out, '--epochs', '1'];
    const first = await run(args);
    expect(first.code, first.stderr).toBe(0);
    const settings = () => JSON.parse(readFileSync(join(out, 'settings.json'), 'utf8'));
    const recorded = settings();
    expect(recorded.settings).toMatchObject({
      backend: 'ngram',
      batchSize: 32,
      learningRate: 0.003,
      weightDecay: 0.01,
      buckets: 65536,
      base: null,
      maxLength: null,
    });
    const written = await run([...args, '--batch-size', '32', '--learning-rate', '0.003']);
    expect(written.code, written.stderr).toBe(0);
    expect(settings()).toEqual(recorded);
    expect(readdirSync(dir).filter((n) => n.startsWith('rm-defaults.replaced-'))).toEqual([]);
    await expectRefused(out, [...args, '--batch-size', '16'], 'batchSize (--batch-size)', 32, 16);
  });

  it('reads TRL preference rows and scores TRL prompt/completion rows', async () => {
    const out = join(dir, 'rm-trl');
    const trained = await run([
      'train-rm',
      '--pairs',
      trlPath,
      '--out',
      out,
      '--epochs',
      '2',
      '--format',
      'gsm8k-calculator',
      ...ungated,
    ]);
    expect(trained.code).toBe(0);
    const completions = join(dir, 'completions.jsonl');
    const rows = pairs.slice(0, 5).map((p) => ({
      prompt: p.question,
      completion: toTrlPreference(p, { format: 'gsm8k-calculator' }).chosen,
    }));
    writeFileSync(completions, jsonl(rows));
    const scored = join(dir, 'completions.scored.jsonl');
    const result = await run([
      'score',
      '--model',
      join(out, 'model.onnx'),
      completions,
      '--out',
      scored,
      '--from',
      'gsm8k-calculator',
    ]);
    expect(result.code).toBe(0);
    const lines = readLines(scored);
    expect(lines.map((l) => l.prompt)).toEqual(rows.map((r) => r.prompt));
    expect(lines.every((l) => typeof l.score === 'number' && Number.isFinite(l.score))).toBe(true);
  });

  it('names the file and line of a bad pair, and refuses a bad model', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify(pairs[0])}\n{"prompt": "q", "chosen": 3}\n`);
    const result = await run(['train-rm', '--pairs', bad, '--out', join(dir, 'bad-out')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}, line 2`);
    const notAModel = join(dir, 'not-a-model.onnx');
    writeFileSync(notAModel, 'hello');
    const scored = await run([
      'score',
      '--model',
      notAModel,
      pairsPath,
      '--out',
      join(dir, 'x.jsonl'),
    ]);
    expect(scored.code).toBe(1);
    expect(scored.stderr).toContain(notAModel);
  });
});

describe('autotraj train-rm: the admission gate over pairs written before its rules', () => {
  // Real Qwen2.5-Coder-1.5B pairs of an older synthesis; today's gate refuses the chosen side of
  // 4 of the 12 (reward-model's fixtures/README.md).
  const qwen = new URL('../../../reward-model/fixtures/qwen-pairs-admission.jsonl', import.meta.url)
    .pathname;

  it('trains without the refused pairs, which go to dropped.jsonl; --admission none is another run', async () => {
    const out = join(dir, 'rm-gated');
    const args = ['train-rm', '--pairs', qwen, '--out', out, '--epochs', '2'];
    const trained = await run(args);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/pairs refused \(admission well-formed\)\s+4/);
    expect(trained.stdout).toContain(
      'admission gate refused 4 of 12 preference pairs, not trained on, kept in dropped.jsonl (by reason: prose-arithmetic-error 3, whole-number-as-decimal 2)',
    );
    const report = JSON.parse(readFileSync(join(out, 'training-report.json'), 'utf8'));
    expect(report.admission).toMatchObject({ mode: 'well-formed', given: 12, admitted: 8 });
    expect(report.data.trainPairs + report.data.validationPairs).toBe(8);
    const dropped = readLines(join(out, 'dropped.jsonl'));
    expect(dropped).toHaveLength(4);
    expect(dropped.every((d) => d.sft === null && d.pair.chosen.id !== undefined)).toBe(true);
    await expectRefused(
      out,
      [...args, '--admission', 'none'],
      'admission (--admission)',
      'well-formed',
      'none',
    );
    // autotraj report shows the line beside the reward model's figures.
    writeFileSync(join(out, 'pairs.jsonl'), readFileSync(qwen));
    expect((await run(['report', out])).code).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      '<p class="meta" id="rm-admission">admission gate refused 4 of 12 preference pairs',
    );
    const all = await run([
      'train-rm',
      ...['--pairs', qwen, '--out', join(dir, 'rm-all')],
      ...ungated,
    ]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/pairs refused \(admission none\)\s+0/);
    expect(readFileSync(join(dir, 'rm-all', 'dropped.jsonl'), 'utf8')).toBe('');
  });

  it('--dry-run says how many pairs would be trained on, writing nothing', async () => {
    const result = await run(['train-rm', '--pairs', qwen, '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(lines).toContainEqual(['pairs read', '12']);
    expect(lines).toContainEqual(['left out (admission well-formed)', '4']);
    expect(lines).toContainEqual(['prose-arithmetic-error (chosen side)', '3']);
    expect(lines).toContainEqual(['whole-number-as-decimal (chosen side)', '2']);
    expect(lines).toContainEqual(['pairs to train on (before the held-out split)', '8']);
    expect(result.stdout).toContain('nothing written (--dry-run)');
    const missingOut = await run(['train-rm', '--pairs', qwen]);
    expect(missingOut.code).not.toBe(0);
    expect(missingOut.stderr).toContain("required option '--out <dir>' not specified");
  });

  it('a set the gate refuses entirely is an error before training, for both backends', async () => {
    for (const backend of ['ngram', 'trl']) {
      const out = join(dir, `rm-refused-${backend}`);
      const result = await run([
        'train-rm',
        '--backend',
        backend,
        '--pairs',
        pairsPath,
        '--out',
        out,
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        `the admission gate refused the chosen side of all ${pairs.length} preference pairs (answer-not-boxed ${pairs.length}, paper-format ${pairs.length}`,
      );
      expect(() => readFileSync(join(out, 'model.onnx'))).toThrow();
    }
  });
});

describe('autotraj train-rm --backend trl', () => {
  it('names the requirements file when the Python interpreter is missing, and leaves --out alone', async () => {
    const saved = process.env.AUTOTRAJ_PYTHON;
    process.env.AUTOTRAJ_PYTHON = join(dir, 'no-such-python');
    try {
      const out = join(dir, 'rm-transformer');
      const result = await run([
        'train-rm',
        '--backend',
        'trl',
        '--pairs',
        pairsPath,
        '--out',
        out,
        '--max-steps',
        '1',
        ...ungated,
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('python/requirements-trainers.txt');
      expect(result.stderr).toContain('no Python interpreter');
      expect(() => readFileSync(join(out, 'model.onnx'))).toThrow();
    } finally {
      if (saved === undefined) delete process.env.AUTOTRAJ_PYTHON;
      else process.env.AUTOTRAJ_PYTHON = saved;
    }
  });

  it('rejects a bad --backend as a usage error', async () => {
    const result = await run([
      'train-rm',
      '--backend',
      'keras',
      '--pairs',
      pairsPath,
      '--out',
      dir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--backend must be one of ngram, trl');
  });
});
