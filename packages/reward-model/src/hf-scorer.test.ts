import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tagCodec } from '@autotraj/trajectory';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmptyBatchError, ModelSignatureError, RewardModelFileError } from './errors.js';
import { createHfSequenceClassifierScorer, truncateIds } from './hf-scorer.js';
import { tinyClassifierOnnx, tinyTokenizerJson } from './test-support/tiny-classifier.js';
import { tagTrajectory } from './test-support/trajectories.js';

const words = [
  'the',
  'answer',
  'is',
  'good',
  'bad',
  'think',
  'boxed',
  '42',
  '{',
  '}',
  '\\',
  '<',
  '>',
  '/',
  'what',
  '6',
  'times',
  '7',
  '?',
];
const vocabSize = 4 + words.length;
// Label 1 ("good") rewards the word "good" and penalises "bad"; every other token adds a little.
const embedding = Array.from({ length: vocabSize }, (_, id) => {
  if (id === 4 + words.indexOf('good')) return [-1, 2];
  if (id === 4 + words.indexOf('bad')) return [1, -3];
  return [0.01 * id, 0.1];
});

let dir: string;
let modelPath: string;
let tokenizerPath: string;
let tokenizer: Tokenizer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rm-hf-'));
  modelPath = join(dir, 'model.onnx');
  tokenizerPath = join(dir, 'tokenizer.json');
  await writeFile(modelPath, tinyClassifierOnnx(embedding));
  const json = tinyTokenizerJson(words);
  await writeFile(tokenizerPath, JSON.stringify(json));
  tokenizer = new Tokenizer(json, {});
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** logits[label] by hand: the masked sum of embedding rows over the (truncated) token ids. */
function expected(ids: number[], label: number): number {
  return ids.reduce((sum, id) => sum + embedding[id]![label]!, 0);
}

const item = (text: string) => ({
  trajectory: tagTrajectory(`<think>${text}</think><answer>the answer is \\boxed{42}</answer>`),
  question: 'what is 6 times 7?',
});

describe('createHfSequenceClassifierScorer', () => {
  it('tokenizes with tokenizer.json, pads per batch and reads the positive logit', async () => {
    const scorer = await createHfSequenceClassifierScorer({
      modelPath,
      tokenizerPath,
      maxLength: 128,
    });
    try {
      const items = [
        item('good good'),
        item('bad'),
        item('the answer is good but a longer bad text'),
      ];
      const scores = await scorer.score(items);
      for (let i = 0; i < items.length; i++) {
        // Default rendering: question, blank line, the trajectory in the tag format.
        const ids = tokenizer.encode(
          `what is 6 times 7?\n\n${tagCodec.render(items[i]!.trajectory.steps)}`,
        ).ids;
        expect(ids[0]).toBe(2);
        expect(scores[i]).toBeCloseTo(expected(ids, 1), 4);
      }
      expect(scores[0]).toBeGreaterThan(scores[1]!);
      expect(scorer.metadata.kind).toBe('hf-sequence-classifier');
      expect(scorer.metadata.inputNames).toEqual(['input_ids', 'attention_mask']);
      await expect(scorer.score([])).rejects.toSatisfy(EmptyBatchError.isInstance);
    } finally {
      await scorer.close();
    }
  });

  it('truncates to maxLength keeping [CLS]/[SEP], on either side, and pads to max_length', async () => {
    const render = (i: { trajectory: { steps: { type: string; text?: string }[] } }) =>
      i.trajectory.steps[0]!.text ?? '';
    const text = 'good the the the the the bad';
    const ids = tokenizer.encode(text).ids;
    expect(ids).toHaveLength(9);
    const right = await createHfSequenceClassifierScorer({
      modelPath,
      tokenizerPath,
      maxLength: 4,
      render,
      padding: 'max_length',
    });
    const left = await createHfSequenceClassifierScorer({
      modelPath,
      tokenizerPath,
      maxLength: 4,
      render,
      truncationSide: 'left',
      transform: 'softmax',
    });
    try {
      const [r] = await right.score([item(text)]);
      expect(r).toBeCloseTo(expected([2, ids[1]!, ids[2]!, 3], 1), 4);
      const [l] = await left.score([item(text)]);
      const lastTwo = [2, ids[6]!, ids[7]!, 3];
      const l0 = expected(lastTwo, 0);
      const l1 = expected(lastTwo, 1);
      expect(l).toBeCloseTo(Math.exp(l1) / (Math.exp(l0) + Math.exp(l1)), 5);
      expect(r).toBeGreaterThan(0);
    } finally {
      await right.close();
      await left.close();
    }
    expect(truncateIds([2, 10, 11, 12, 3], 3, 'right', new Set([2, 3]))).toEqual([2, 10, 3]);
    expect(truncateIds([2, 10, 11, 12, 3], 3, 'left', new Set([2, 3]))).toEqual([2, 12, 3]);
    expect(truncateIds([2, 10, 3], 8, 'left', new Set([2, 3]))).toEqual([2, 10, 3]);
  });

  it('accepts a model with token_type_ids and feeds zeros', async () => {
    const path = join(dir, 'with-types.onnx');
    await writeFile(path, tinyClassifierOnnx(embedding, { withTokenTypes: true }));
    const scorer = await createHfSequenceClassifierScorer({
      modelPath: path,
      tokenizerPath,
      maxLength: 64,
    });
    try {
      const [score] = await scorer.score([item('good')]);
      expect(Number.isFinite(score)).toBe(true);
    } finally {
      await scorer.close();
    }
  });

  it('gives typed errors for wrong input names and bad tokenizer files', async () => {
    const wrong = join(dir, 'wrong.onnx');
    await writeFile(wrong, tinyClassifierOnnx(embedding, { inputNames: ['ids', 'mask'] }));
    const error = await createHfSequenceClassifierScorer({ modelPath: wrong, tokenizerPath }).catch(
      (e: unknown) => e,
    );
    expect(ModelSignatureError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('expected [input_ids, attention_mask]');
    const badTokenizer = join(dir, 'bad-tokenizer.json');
    await writeFile(badTokenizer, '{"model": ');
    await expect(
      createHfSequenceClassifierScorer({ modelPath, tokenizerPath: badTokenizer }),
    ).rejects.toSatisfy(RewardModelFileError.isInstance);
    await expect(
      createHfSequenceClassifierScorer({ modelPath, tokenizerPath: join(dir, 'nope.json') }),
    ).rejects.toThrow(/cannot read tokenizer.json/);
  });
});
