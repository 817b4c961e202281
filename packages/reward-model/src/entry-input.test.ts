import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  createHfSequenceClassifierScorer,
  createOnnxScorer,
  featurize,
  openTrajectoryScorer,
  TrainingError,
  trainRewardModel,
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
        'options.tokenizerPath',
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
