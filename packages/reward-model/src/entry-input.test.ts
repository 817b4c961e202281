import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  admitTrainingPairs,
  createHfSequenceClassifierScorer,
  createOnnxScorer,
  exportOnnx,
  featurize,
  featurizerConfigHash,
  histogram,
  holdOutPairs,
  lengthBaseline,
  loadRewardModel,
  openTrajectoryScorer,
  pairwiseAccuracy,
  readPreferencePairs,
  renderScoreText,
  rocAuc,
  scoreWithModel,
  splitPairsByTask,
  TrainingError,
  tokenize,
  trainRewardModel,
  trainTransformerRewardModel,
} from './index.js';
import { realPairs } from './test-support/real-pairs.js';
import { writeRandomRewardModel } from './testing/index.js';

function invalid(call: () => unknown, entry: string, field: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(TrainingError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as TrainingError;
  expect(error.code).toBe('invalid_input');
  expect(error.parameter).toBe(field);
  expect(error.message).toContain(`${entry}: ${field}:`);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
}

/** The promise's rejection, checked as `invalid` checks a throw. */
async function rejected(call: () => Promise<unknown>, entry: string, field: string) {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  invalid(
    () => {
      if (error !== undefined) throw error;
    },
    entry,
    field,
  );
}

const pairs = () => realPairs().gsm8k.slice(0, 40);
// A pair as a user might write it: without the defaulted `metadata`, with a key of its own.
const bare = () => pairs().map(({ metadata: _m, ...rest }) => ({ ...rest, note: 'ignored' }));

describe('trainRewardModel entry input', () => {
  it('fills the pairs defaults and ignores unknown pair keys, as the JSONL readers do', () => {
    const options = { epochs: 1, seed: 3, featurizer: { numBuckets: 1024 } };
    const a = trainRewardModel({ ...options, pairs: bare() } as never);
    const b = trainRewardModel({ ...options, pairs: pairs() });
    expect(a.report.data).toEqual(b.report.data);
    expect(Buffer.from(a.model.params.embedding.buffer)).toEqual(
      Buffer.from(b.model.params.embedding.buffer),
    );
  });

  it('refuses a missing field, a wrong type and a misspelt option, naming them', () => {
    const [first, ...rest] = pairs();
    const { chosen: _c, ...noChosen } = first!;
    invalid(
      () => trainRewardModel({ pairs: [...rest, noChosen] } as never),
      'trainRewardModel',
      `options.pairs[${rest.length}].chosen`,
    );
    invalid(
      () => trainRewardModel({ pairs: pairs(), epochs: '2' } as never),
      'trainRewardModel',
      'options.epochs',
    );
    invalid(
      () => trainRewardModel({ pairs: pairs(), epoch: 2 } as never),
      'trainRewardModel',
      'options.epoch',
    );
    invalid(
      () => trainRewardModel({ pairs: pairs(), featurizer: { buckets: 16 } } as never),
      'trainRewardModel',
      'options.featurizer.buckets',
    );
  });
});

describe('featurize entry input', () => {
  it('refuses a trajectory with a bad step, a wrong type and a misspelt key', () => {
    const trajectory = pairs()[0]!.chosen;
    expect(featurize([{ trajectory }]).offsets.length).toBeGreaterThan(1);
    invalid(
      () => featurize([{ trajectory: { ...trajectory, steps: [{ type: 'think' }] } }] as never),
      'featurize',
      'items[0].trajectory.steps[0].text',
    );
    invalid(
      () => featurize([{ trajectory, question: 7 }] as never),
      'featurize',
      'items[0].question',
    );
    invalid(
      () => featurize([{ trajectory, qestion: 'x' }] as never),
      'featurize',
      'items[0].qestion',
    );
    invalid(() => featurize([], { maxNgrams: 2 } as never), 'featurize', 'config.maxNgrams');
  });
});

describe('scorers: entry input', () => {
  it('check options before any file is read, and each batch before scoring', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const path = await writeRandomRewardModel(join(dir, 'model.onnx'), { seed: 1 });
      await rejected(() => createOnnxScorer({} as never), 'createOnnxScorer', 'options.path');
      await rejected(
        () => openTrajectoryScorer({ path, maxBatchSize: '8' } as never),
        'openTrajectoryScorer',
        'options.maxBatchSize',
      );
      await rejected(
        () => createHfSequenceClassifierScorer({ modelPath: path, tokenizerPth: 'x' } as never),
        'createHfSequenceClassifierScorer',
        // The typo is named first; the missing tokenizerPath is one of the "(+1 more)".
        'options.tokenizerPth',
      );
      const scorer = await openTrajectoryScorer({ path });
      try {
        // A trajectory without its defaulted fields scores as the full record does.
        const { metadata: _m, provenance: _p, ...bare } = pairs()[0]!.chosen;
        const [a, b] = await scorer.score([
          { trajectory: bare } as never,
          { trajectory: pairs()[0]!.chosen },
        ]);
        expect(a).toBe(b);
        await rejected(
          () => scorer.score([{ trajectory: { ...bare, steps: [{ type: 'answer' }] } }] as never),
          'scorer.score',
          'items[0].trajectory.steps[0].text',
        );
        await rejected(
          () => scorer.score([{ trajectory: bare, question: 1 }] as never),
          'scorer.score',
          'items[0].question',
        );
        await rejected(
          () => scorer.score([{ trajectory: bare, qestion: 'x' }] as never),
          'scorer.score',
          'items[0].qestion',
        );
      } finally {
        await scorer.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('model functions: entry input', () => {
  const trained = () =>
    trainRewardModel({ pairs: pairs(), epochs: 1, seed: 3, featurizer: { numBuckets: 1024 } })
      .model;

  it('scoreWithModel checks the model against its shape and each item', () => {
    const model = trained();
    const trajectory = pairs()[0]!.chosen;
    const { metadata: _m, provenance: _p, ...bare } = trajectory;
    // Defaults filled: the bare trajectory scores as the full record does.
    const [a, b] = scoreWithModel(model, [{ trajectory: bare } as never, { trajectory }]);
    expect(a).toBe(b);
    const { denseMean: _d, ...noMean } = model;
    invalid(
      () => scoreWithModel(noMean as never, [{ trajectory }]),
      'scoreWithModel',
      'model.denseMean',
    );
    invalid(
      () =>
        scoreWithModel({ ...model, params: { ...model.params, bias2: new Float32Array(1) } }, [
          { trajectory },
        ]),
      'scoreWithModel',
      'model.params.bias2',
    );
    invalid(
      () => scoreWithModel({ ...model, shape: { ...model.shape, hiddenDim: '8' } } as never, []),
      'scoreWithModel',
      'model.shape.hiddenDim',
    );
    invalid(
      () =>
        scoreWithModel(model, [{ trajectory: { ...bare, steps: [{ type: 'think' }] } }] as never),
      'scoreWithModel',
      'items[0].trajectory.steps[0].text',
    );
    invalid(
      () => scoreWithModel(model, [{ trajectory, qestion: 'x' }] as never),
      'scoreWithModel',
      'items[0].qestion',
    );
  });

  it('exportOnnx checks the model and its options before writing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const model = trained();
      const path = join(dir, 'model.onnx');
      await rejected(() => exportOnnx(model, {} as never), 'exportOnnx', 'options.path');
      await rejected(
        () => exportOnnx(model, { path, metadata: { run: 1 } } as never),
        'exportOnnx',
        'options.metadata.run',
      );
      await rejected(
        () => exportOnnx(model, { path, metdata: {} } as never),
        'exportOnnx',
        'options.metdata',
      );
      await rejected(
        () => exportOnnx({ ...model, denseScale: [1, 2] } as never, { path }),
        'exportOnnx',
        'model.denseScale',
      );
      expect(existsSync(path)).toBe(false);
      expect((await exportOnnx(model, { path })).bytes).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renderScoreText checks the item and the format', () => {
    const trajectory = pairs()[0]!.chosen;
    expect(renderScoreText({ question: 'Q', trajectory })).toMatch(/^Q\n\n/);
    invalid(() => renderScoreText({} as never), 'renderScoreText', 'item.trajectory');
    invalid(
      () => renderScoreText({ trajectory, question: 1 } as never),
      'renderScoreText',
      'item.question',
    );
    invalid(
      () => renderScoreText({ trajectory, qestion: 'Q' } as never),
      'renderScoreText',
      'item.qestion',
    );
    invalid(() => renderScoreText({ trajectory }, 'xml' as never), 'renderScoreText', 'format');
  });

  it('trainTransformerRewardModel checks options and pairs before starting Python', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const outDir = join(dir, 'out');
      // A python that does not exist: a check that let these through would fail on it instead.
      const base = { outDir, python: join(dir, 'no-python') };
      await rejected(
        () => trainTransformerRewardModel({ ...base } as never),
        'trainTransformerRewardModel',
        'options.pairs',
      );
      await rejected(
        () => trainTransformerRewardModel({ ...base, pairs: pairs(), epochs: '2' } as never),
        'trainTransformerRewardModel',
        'options.epochs',
      );
      await rejected(
        () => trainTransformerRewardModel({ ...base, pairs: pairs(), epoch: 2 } as never),
        'trainTransformerRewardModel',
        'options.epoch',
      );
      const [first, ...rest] = pairs();
      const { rejected: _r, ...noRejected } = first!;
      await rejected(
        () => trainTransformerRewardModel({ ...base, pairs: [...rest, noRejected] } as never),
        'trainTransformerRewardModel',
        `options.pairs[${rest.length}].rejected`,
      );
      expect(existsSync(outDir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pair helpers: entry input', () => {
  it('take pairs without their defaulted fields as the full records', () => {
    const split = holdOutPairs(bare() as never, { seed: 2 });
    const full = holdOutPairs(pairs(), { seed: 2 });
    expect(split.train.map((p) => p.id)).toEqual(full.train.map((p) => p.id));
    expect(splitPairsByTask(bare() as never, { fractions: [1, 1] }).flat()).toHaveLength(40);
    expect(lengthBaseline(bare() as never, pairs()).accuracy).toBe(
      lengthBaseline(pairs(), pairs()).accuracy,
    );
    expect(admitTrainingPairs(bare() as never, { admission: 'none' }).admitted).toHaveLength(40);
  });

  it('refuse a missing field, a wrong type and a misspelt option, naming them', () => {
    const [first, ...rest] = pairs();
    const { taskId: _t, ...noTask } = first!;
    invalid(
      () => holdOutPairs([...rest, noTask] as never),
      'holdOutPairs',
      `pairs[${rest.length}].taskId`,
    );
    invalid(
      () => holdOutPairs(pairs(), { validationSplit: '0.2' } as never),
      'holdOutPairs',
      'options.validationSplit',
    );
    invalid(() => holdOutPairs(pairs(), { split: 0.2 } as never), 'holdOutPairs', 'options.split');
    invalid(() => splitPairsByTask(pairs(), {} as never), 'splitPairsByTask', 'options.fractions');
    invalid(
      () => splitPairsByTask(pairs(), { fractions: [1], sed: 3 } as never),
      'splitPairsByTask',
      'options.sed',
    );
    invalid(
      () => lengthBaseline(pairs(), [{ ...first!, chosen: 7 }] as never),
      'lengthBaseline',
      'test[0].chosen',
    );
    invalid(
      () => admitTrainingPairs(pairs(), { admission: 'all' } as never),
      'admitTrainingPairs',
      'options.admission',
    );
    invalid(
      () => admitTrainingPairs(pairs(), { admit: 'none' } as never),
      'admitTrainingPairs',
      'options.admit',
    );
  });
});

describe('metrics entry input', () => {
  it('take plain and typed arrays as they are', () => {
    expect(rocAuc(new Float32Array([0.1, 0.9]), [false, true])).toBe(1);
    expect(pairwiseAccuracy([1, 0], new Float64Array([0, 1]))).toBe(0.5);
    // A NaN value stays out of every bin, as before.
    expect(histogram([0, 1, Number.NaN], { bins: 2 }).counts).toEqual([1, 1]);
  });

  it('refuse a missing argument, naming it', () => {
    invalid(() => rocAuc([0.5], undefined as never), 'rocAuc', 'labels');
    invalid(() => pairwiseAccuracy(undefined as never, [1]), 'pairwiseAccuracy', 'chosen');
    invalid(() => histogram(undefined as never), 'histogram', 'values');
  });

  it('refuse a wrong type, naming the element', () => {
    invalid(() => rocAuc([0.1, '0.9'] as never, [false, true]), 'rocAuc', 'scores[1]');
    invalid(
      () => rocAuc(new Float32Array([0.1, Number.NaN]), [false, true]),
      'rocAuc',
      'scores[1]',
    );
    invalid(() => rocAuc([0.1, 0.9], [0, 1] as never), 'rocAuc', 'labels[0]');
    invalid(() => histogram([1], { bins: 0 }), 'histogram', 'options.bins');
  });

  it('refuse a misspelt option key, naming it', () => {
    invalid(() => histogram([1], { bin: 4 } as never), 'histogram', 'options.bin');
  });
});

describe('file readers and featurizer helpers: entry input', () => {
  it('take well-formed arguments', () => {
    expect(featurizerConfigHash({})).toBe(featurizerConfigHash());
    expect(tokenize('6 * 7')).toEqual(['<num:1>', '*', '<num:1>']);
  });

  it('refuse a missing argument, naming it', async () => {
    await rejected(() => readPreferencePairs(undefined as never), 'readPreferencePairs', 'path');
    await rejected(() => loadRewardModel(undefined as never), 'loadRewardModel', 'path');
  });

  it('refuse a wrong type, naming the field', async () => {
    invalid(() => tokenize(7 as never), 'tokenize', 'text');
    invalid(
      () => featurizerConfigHash({ numBuckets: '8' } as never),
      'featurizerConfigHash',
      'config.numBuckets',
    );
    await rejected(
      () => readPreferencePairs('pairs.jsonl', { format: 'html' } as never),
      'readPreferencePairs',
      'options.format',
    );
  });

  it('refuse a misspelt key before any file is read, naming it', async () => {
    await rejected(
      () => readPreferencePairs('no-such-file.jsonl', { fromat: 'tags' } as never),
      'readPreferencePairs',
      'options.fromat',
    );
    invalid(
      () => featurizerConfigHash({ buckets: 8 } as never),
      'featurizerConfigHash',
      'config.buckets',
    );
  });
});
