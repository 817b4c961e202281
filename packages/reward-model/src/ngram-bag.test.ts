import { describe, expect, it } from 'vitest';
import { NgramBag } from './ngram-bag.js';
import { mix32, scanTokenHashes } from './tokenize.js';

/** The featurizer's n-gram definition spelled out over `scanTokenHashes` (the pre-fusion code). */
function referenceBag(
  texts: string[],
  seeds: Int32Array,
  maxNgram: number,
  maxTokens: number,
  buckets: number,
): number[] {
  const bag: number[] = [];
  const seen = new Set<number>();
  const push = (h: number) => {
    const id = h % buckets;
    if (!seen.has(id)) {
      seen.add(id);
      bag.push(id);
    }
  };
  let left = maxTokens;
  for (const text of texts) {
    if (left <= 0) break;
    const tokens = new Int32Array(left);
    const n = scanTokenHashes(text, tokens, 0, left);
    left -= n;
    for (let i = 0; i < n; i++) {
      const t = tokens[i]!;
      push(mix32(t ^ seeds[0]!));
      if (maxNgram >= 2 && i >= 1) {
        const b = Math.imul(tokens[i - 1]!, 0x9e3779b1) ^ t;
        push(mix32(b ^ seeds[1]!));
        if (maxNgram >= 3 && i >= 2)
          push(mix32((Math.imul(tokens[i - 2]!, 0x7feb352d) + b) ^ seeds[2]!));
      }
    }
  }
  return bag;
}

const texts = [
  'Natalia sold 48/2 = <<48/2=24>>24 clips in May.',
  'def f(x):\n    return x ** 2  # 3.14 and 1,000,000.5 or 1.2.3',
  'ÄÖÜ café __init__ a-b x2 5maybe \u{1f600} Total_COST=$1,250',
  '',
  '   \n\t',
];

describe('NgramBag', () => {
  it('gives the same bag as tokenising first, for every n-gram order, table size and budget', () => {
    const seeds = Int32Array.from([0x12345678, -0x2468ace, 0x7f00ff00]);
    const bag = new NgramBag();
    for (const maxNgram of [1, 2, 3])
      for (const buckets of [16, 1000, 1 << 16])
        for (const maxTokens of [1, 5, 40, 2048]) {
          bag.startBatch(buckets, 4);
          bag.startBag();
          let left = maxTokens;
          for (const text of texts) if (left > 0) left -= bag.addText(text, seeds, maxNgram, left);
          expect(
            Array.from(bag.ids.subarray(bag.bagStart, bag.length)),
            `maxNgram ${maxNgram}, buckets ${buckets}, maxTokens ${maxTokens}`,
          ).toEqual(referenceBag(texts, seeds, maxNgram, maxTokens, buckets));
        }
  });

  it('keeps each bag separate and grows past its initial capacity', () => {
    const seeds = Int32Array.from([1, 2, 3]);
    const bag = new NgramBag();
    bag.startBatch(1 << 16, 1);
    const long = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
    bag.startBag();
    bag.addText(long, seeds, 2, 10_000);
    const first = bag.length;
    bag.startBag();
    bag.addText(texts[0]!, seeds, 2, 10_000);
    expect(Array.from(bag.ids.subarray(first, bag.length))).toEqual(
      referenceBag([texts[0]!], seeds, 2, 10_000, 1 << 16),
    );
    expect(Array.from(bag.ids.subarray(0, first))).toEqual(
      referenceBag([long], seeds, 2, 10_000, 1 << 16),
    );
  });
});
