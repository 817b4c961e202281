import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmptyBatchError,
  FeaturizerMismatchError,
  ModelSignatureError,
  RewardModelFileError,
  ScorerClosedError,
} from './errors.js';
import { FEATURIZER_VERSION, featurizerConfigHash } from './featurize.js';
import { type RewardModel, scoreWithModel } from './model.js';
import { exportOnnx, METADATA_KEYS } from './onnx-export.js';
import { ONNX_OPSET, type OnnxModel, onnx } from './onnx-proto.js';
import { createOnnxScorer } from './onnx-scorer.js';
import { loadRewardModel } from './read-model.js';
import type { ScoreItem } from './scorer.js';
import { realPairs } from './test-support/real-pairs.js';
import { tinyClassifierOnnx } from './test-support/tiny-classifier.js';
import { trainRewardModel } from './train.js';

let dir: string;
let model: RewardModel;
let modelPath: string;
let items: ScoreItem[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rm-onnx-'));
  const { gsm8k, tora } = realPairs();
  ({ model } = trainRewardModel({
    pairs: [...gsm8k.slice(0, 200), ...tora.slice(0, 40)],
    epochs: 3,
    seed: 5,
  }));
  modelPath = join(dir, 'model.onnx');
  await exportOnnx(model, { path: modelPath, metadata: { 'run.id': 'onnx-test' } });
  items = [...gsm8k.slice(200, 420), ...tora.slice(40, 100)].flatMap((p) => [
    { question: p.question, trajectory: p.chosen },
    { question: p.question, trajectory: p.rejected },
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rewrite(mutate: (proto: OnnxModel) => void): Promise<string> {
  const proto = onnx.ModelProto.decode(await readFile(modelPath));
  mutate(proto);
  const path = join(dir, `mutated-${Math.random().toString(36).slice(2)}.onnx`);
  await writeFile(path, onnx.ModelProto.encode(proto).finish());
  return path;
}

describe('ONNX export', () => {
  it('declares a current opset, named inputs with a dynamic batch, and self-describing metadata', async () => {
    const proto = onnx.ModelProto.decode(await readFile(modelPath));
    expect(Number(proto.opsetImport[0]?.version)).toBe(ONNX_OPSET);
    expect(Number(proto.irVersion)).toBe(10);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(18);
    const graph = proto.graph!;
    expect(graph.input!.map((v) => v.name)).toEqual(['ngram_ids', 'ngram_weights', 'dense']);
    expect(graph.output!.map((v) => v.name)).toEqual(['score']);
    expect(graph.input![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('batch');
    const props = Object.fromEntries(proto.metadataProps.map((e) => [e.key, e.value]));
    expect(props[METADATA_KEYS.featurizerVersion]).toBe(FEATURIZER_VERSION);
    expect(props[METADATA_KEYS.configHash]).toBe(featurizerConfigHash({}));
    expect(props['run.id']).toBe('onnx-test');
    const summary = JSON.parse(props[METADATA_KEYS.trainingSummary]!);
    expect(summary.pairs).toBe(240);
    expect(summary.sources).toEqual({ correctness: 200, 'correctness-tir': 40 });
  });

  it('loads back into TypeScript with identical weights', async () => {
    const loaded = await loadRewardModel(modelPath);
    expect(loaded.shape).toEqual(model.shape);
    expect(Array.from(loaded.params.weight2)).toEqual(Array.from(model.params.weight2));
    expect(Array.from(loaded.params.embedding.subarray(0, 1000))).toEqual(
      Array.from(model.params.embedding.subarray(0, 1000)),
    );
    expect(scoreWithModel(loaded, items.slice(0, 20))).toEqual(
      scoreWithModel(model, items.slice(0, 20)),
    );
  });
});

describe('createOnnxScorer', () => {
  it('scores real trajectories within 1e-5 of the TypeScript forward pass, at any batch size', async () => {
    const scorer = await createOnnxScorer({
      path: modelPath,
      intraOpNumThreads: 1,
      maxBatchSize: 64,
    });
    try {
      const expected = scoreWithModel(model, items);
      const batched = await scorer.score(items);
      expect(batched).toHaveLength(items.length);
      let maxDiff = 0;
      for (let i = 0; i < items.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(batched[i]! - expected[i]!));
      expect(maxDiff).toBeLessThan(1e-5);
      const single = await scorer.score([items[7]!]);
      expect(Math.abs(single[0]! - expected[7]!)).toBeLessThan(1e-5);
      const three = await scorer.score(items.slice(3, 6));
      for (let i = 0; i < 3; i++) expect(Math.abs(three[i]! - expected[3 + i]!)).toBeLessThan(1e-5);
      expect(new Set(Array.from(batched)).size).toBeGreaterThan(items.length / 2);
      expect(scorer.metadata.featurizerVersion).toBe(FEATURIZER_VERSION);
      expect(scorer.metadata.props['run.id']).toBe('onnx-test');
    } finally {
      await scorer.close();
    }
  });

  it('rejects empty batches and use after close', async () => {
    const scorer = await createOnnxScorer({ path: modelPath });
    await expect(scorer.score([])).rejects.toSatisfy(EmptyBatchError.isInstance);
    await scorer.close();
    await expect(scorer.score(items.slice(0, 1))).rejects.toSatisfy(ScorerClosedError.isInstance);
  });

  it('gives typed errors for missing, empty, truncated and corrupt files', async () => {
    const bytes = await readFile(modelPath);
    const cases: [string, Uint8Array | null, string][] = [
      ['missing.onnx', null, 'missing'],
      ['empty.onnx', new Uint8Array(0), 'truncated'],
      ['half.onnx', bytes.subarray(0, Math.floor(bytes.length / 2)), 'truncated'],
      [
        'garbage.onnx',
        new TextEncoder().encode(
          'this is not a protobuf model at all, just some text\n'.repeat(20),
        ),
        'corrupt',
      ],
    ];
    for (const [name, content, problem] of cases) {
      const path = join(dir, name);
      if (content !== null) await writeFile(path, content);
      const error = await createOnnxScorer({ path }).catch((e: unknown) => e);
      expect(RewardModelFileError.isInstance(error), name).toBe(true);
      expect((error as RewardModelFileError).problem, name).toBe(problem);
      expect((error as Error).message).toContain(path);
    }
  });

  it('refuses a model from another featurizer version or config', async () => {
    const otherVersion = await rewrite((proto) => {
      for (const e of proto.metadataProps)
        if (e.key === METADATA_KEYS.featurizerVersion) e.value = 'autotraj-rm-featurizer/0';
    });
    await expect(createOnnxScorer({ path: otherVersion })).rejects.toSatisfy(
      FeaturizerMismatchError.isInstance,
    );
    const tamperedConfig = await rewrite((proto) => {
      for (const e of proto.metadataProps)
        if (e.key === METADATA_KEYS.featurizerConfig)
          e.value = JSON.stringify({ numBuckets: 1024, maxNgram: 2, maxTokensPerChannel: 2048 });
    });
    await expect(createOnnxScorer({ path: tamperedConfig })).rejects.toSatisfy(
      FeaturizerMismatchError.isInstance,
    );
    await expect(
      createOnnxScorer({ path: modelPath, featurizer: { maxNgram: 3 } }),
    ).rejects.toThrow(/featurizer/);
    const foreign = await rewrite((proto) => {
      proto.metadataProps = proto.metadataProps.filter((e) => e.key !== METADATA_KEYS.kind);
    });
    const error = await createOnnxScorer({ path: foreign }).catch((e: unknown) => e);
    expect(RewardModelFileError.isInstance(error) && error.problem).toBe('not-a-reward-model');
  });

  it('names the expected inputs when the model has others', async () => {
    const renamed = await rewrite((proto) => {
      proto.graph!.input![0]!.name = 'token_ids';
      for (const n of proto.graph!.node!)
        n.input = n.input!.map((x) => (x === 'ngram_ids' ? 'token_ids' : x));
    });
    const error = await createOnnxScorer({ path: renamed }).catch((e: unknown) => e);
    expect(ModelSignatureError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /token_ids.*expected \[ngram_ids, ngram_weights, dense\]/,
    );
    const classifierPath = join(dir, 'classifier.onnx');
    await writeFile(
      classifierPath,
      tinyClassifierOnnx([
        [0, 1],
        [1, 0],
      ]),
    );
    await expect(createOnnxScorer({ path: classifierPath })).rejects.toSatisfy(
      ModelSignatureError.isInstance,
    );
  });
});
