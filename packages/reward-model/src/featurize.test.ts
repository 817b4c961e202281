import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FEATURIZER_VERSION, featurize, featurizerConfigHash, padBags } from './featurize.js';
import { STRUCTURAL_FEATURE_COUNT, STRUCTURAL_FEATURE_NAMES } from './structural-features.js';
import { calcTrajectory, tagTrajectory } from './test-support/trajectories.js';

const question = 'Tom has 10 apples and gives away half. How many are left?';

function feature(
  batch: ReturnType<typeof featurize>,
  row: number,
  name: (typeof STRUCTURAL_FEATURE_NAMES)[number],
): number {
  return batch.dense[row * batch.denseDim + STRUCTURAL_FEATURE_NAMES.indexOf(name)]!;
}

describe('featurize', () => {
  it('is deterministic and versioned', () => {
    const items = [{ question, trajectory: calcTrajectory('Half of 10 is <<10/2=5>>5.\nA: 5') }];
    const a = featurize(items);
    const b = featurize(items);
    expect(a.ids).toEqual(b.ids);
    expect(a.weights).toEqual(b.weights);
    expect(a.dense).toEqual(b.dense);
    expect(a.featurizerVersion).toBe(FEATURIZER_VERSION);
    expect(a.configHash).toBe(featurizerConfigHash({}));
    expect(a.denseDim).toBe(STRUCTURAL_FEATURE_COUNT);
    expect(STRUCTURAL_FEATURE_NAMES).toHaveLength(27);
  });

  it('output is pinned: any change to tokenisation, hashing or features must bump FEATURIZER_VERSION', () => {
    const batch = featurize([
      { question, trajectory: calcTrajectory('Half of 10 is <<10/2=5>>5 apples, maybe.\nA: 5') },
      {
        trajectory: tagTrajectory(
          '<think>x</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>',
        ),
      },
    ]);
    const digest = createHash('sha256')
      .update(Buffer.from(batch.offsets.buffer))
      .update(Buffer.from(batch.ids.buffer, batch.ids.byteOffset, batch.ids.byteLength))
      .update(Buffer.from(batch.weights.buffer))
      .update(Buffer.from(batch.dense.buffer))
      .digest('hex')
      .slice(0, 16);
    expect(FEATURIZER_VERSION).toBe('autotraj-rm-featurizer/1');
    expect(
      digest,
      'featurizer output changed: bump FEATURIZER_VERSION, then update this digest',
    ).toBe('4097e82f084281be');
  });

  it('config hash changes with every setting and ignores key order', () => {
    const base = featurizerConfigHash({});
    expect(featurizerConfigHash({ numBuckets: 1 << 16, maxNgram: 2 })).toBe(base);
    expect(featurizerConfigHash({ maxNgram: 2, numBuckets: 1 << 16 })).toBe(base);
    expect(featurizerConfigHash({ numBuckets: 1 << 12 })).not.toBe(base);
    expect(featurizerConfigHash({ maxNgram: 3 })).not.toBe(base);
    expect(featurizerConfigHash({ maxTokensPerChannel: 10 })).not.toBe(base);
  });

  it('bags are sets of in-range buckets weighted 1/sqrt(size); bigrams add buckets', () => {
    const trajectory = calcTrajectory('Half of 10 is <<10/2=5>>5 apples and 5 apples.\nA: 5');
    const uni = featurize([{ trajectory }], { maxNgram: 1, numBuckets: 1024 });
    const bi = featurize([{ trajectory }], { maxNgram: 2, numBuckets: 1024 });
    const ids = Array.from(uni.ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id >= 0 && id < 1024)).toBe(true);
    expect(bi.ids.length).toBeGreaterThan(uni.ids.length);
    expect(uni.weights[0]).toBeCloseTo(1 / Math.sqrt(ids.length), 6);
    // The same words in reasoning and in tool input are different features (channels).
    const asThink = featurize(
      [{ trajectory: tagTrajectory('<think>x = 5</think><answer>\\boxed{5}</answer>') }],
      { maxNgram: 1 },
    );
    const asCode = featurize(
      [
        {
          trajectory: tagTrajectory(
            '<code>x = 5</code><result>5</result><answer>\\boxed{5}</answer>',
          ),
        },
      ],
      { maxNgram: 1 },
    );
    const thinkIds = new Set(asThink.ids);
    expect(Array.from(asCode.ids).filter((id) => thinkIds.has(id)).length).toBeLessThan(
      asCode.ids.length,
    );
  });

  it('structural features see answers, results, errors and numbers from nowhere', () => {
    const good = calcTrajectory('Half of 10 is <<10/2=5>>5.\nA: 5');
    const mismatch = calcTrajectory('Half of 10 is <<10/2=5>>5.\nA: 7.5');
    const invented = calcTrajectory('He has 37 more, so <<37*3=111>>111.\nA: 111');
    const failing = tagTrajectory(
      '<think>compute</think><code>print(1/0)</code><result>ZeroDivisionError</result><code>print(1/0)</code><result>ZeroDivisionError</result>',
    );
    const failingWithError = {
      ...failing,
      steps: failing.steps.map((s) => (s.type === 'tool-result' ? { ...s, isError: true } : s)),
    };
    const batch = featurize([
      { question, trajectory: good },
      { question, trajectory: mismatch },
      { question, trajectory: invented },
      { trajectory: failingWithError },
    ]);
    expect(feature(batch, 0, 'answer_equals_last_result')).toBe(1);
    expect(feature(batch, 0, 'answer_is_integer')).toBe(1);
    expect(feature(batch, 0, 'question_number_coverage')).toBe(1);
    expect(feature(batch, 0, 'results_used_later_fraction')).toBe(1);
    expect(feature(batch, 0, 'new_number_fraction')).toBe(0);
    expect(feature(batch, 1, 'answer_equals_last_result')).toBe(0);
    expect(feature(batch, 1, 'answer_is_number')).toBe(1);
    expect(feature(batch, 1, 'answer_is_integer')).toBe(0);
    expect(feature(batch, 2, 'question_number_coverage')).toBe(0);
    expect(feature(batch, 2, 'new_number_fraction')).toBeGreaterThan(0);
    expect(feature(batch, 3, 'tool_error_fraction')).toBe(1);
    expect(feature(batch, 3, 'log_repeated_calls')).toBeCloseTo(Math.log1p(1), 6);
    expect(feature(batch, 3, 'has_final_answer')).toBe(0);
    expect(feature(batch, 3, 'has_answer_step')).toBe(0);
  });

  it('pads bags to the longest with weight-0 padding', () => {
    const batch = featurize([
      { trajectory: calcTrajectory('A: 5') },
      { trajectory: calcTrajectory('Half of 10 is <<10/2=5>>5 and more words here.\nA: 5') },
      { trajectory: { ...calcTrajectory('A: 5'), steps: [] } },
    ]);
    const padded = padBags(batch);
    const lengths = [0, 1, 2].map((i) => batch.offsets[i + 1]! - batch.offsets[i]!);
    expect(lengths[2]).toBe(0);
    expect(padded.bagLength).toBe(Math.max(...lengths));
    for (let i = 0; i < 3; i++) {
      const row = padded.weights.subarray(i * padded.bagLength, (i + 1) * padded.bagLength);
      expect(Array.from(row).filter((w) => w > 0)).toHaveLength(lengths[i]!);
    }
    const tail = padBags(batch, { start: 2, end: 3 });
    expect(tail.bagLength).toBe(1);
    expect(Array.from(tail.weights)).toEqual([0]);
  });
});

describe('a config object changed in place between calls', () => {
  it('is featurized as it is now, not as it was first seen', () => {
    const items = [{ question: 'What is half of 10?', trajectory: calcTrajectory('A: 5') }];
    const config = { numBuckets: 1024, maxNgram: 2 };
    const before = featurize(items, config);
    config.maxNgram = 1;
    const after = featurize(items, config);
    expect(after.configHash).toBe(featurizerConfigHash({ numBuckets: 1024, maxNgram: 1 }));
    expect(after.configHash).not.toBe(before.configHash);
  });
});
