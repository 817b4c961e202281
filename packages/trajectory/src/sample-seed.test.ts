import { describe, expect, it } from 'vitest';
import { SAMPLE_SEED_DERIVATION, sampleSeed } from './sample-seed.js';

describe('sampleSeed', () => {
  it('is SHA-256 of "runSeed|taskId|index", first 4 bytes big-endian, top bit cleared', () => {
    // Pinned from Python's hashlib (the derivation the docs give), not from this code.
    const pinned: Array<[number, string, number, number]> = [
      [0, 'task_0', 0, 742474602], // digest 2c41436a...
      [0, 'task_0', 1, 6855160], // 006899f8...
      [0, 'task_0', 2, 2107785418], // fda240ca...: top bit cleared
      [0, 'task_0', 4, 1408448049], // d3f33631...: top bit cleared
      [0, 'gsm8k-test-0', 0, 1102604877],
      [7, 'gsm8k-test-0', 3, 1050437403],
      [-1, 'a|b', 2, 946315233],
      [0, 'é', 0, 587626977], // UTF-8
      [0, '', 0, 1739449275],
    ];
    for (const [runSeed, taskId, index, seed] of pinned)
      expect(sampleSeed({ runSeed, taskId, index }), `${runSeed}|${taskId}|${index}`).toBe(seed);
    expect(SAMPLE_SEED_DERIVATION).toBe('sha256(runSeed|taskId|index)');
  });

  it('gives candidate i of 200 tasks 200 distinct seeds, none of them runSeed + i', () => {
    const taskIds = Array.from({ length: 200 }, (_, k) => `task-${k}`);
    for (const runSeed of [0, 1, 12345])
      for (let index = 0; index < 4; index++) {
        const seeds = taskIds.map((taskId) => sampleSeed({ runSeed, taskId, index }));
        expect(new Set(seeds).size).toBe(200);
        expect(seeds).not.toContain(runSeed + index);
        for (const seed of seeds) {
          expect(Number.isInteger(seed)).toBe(true);
          expect(seed).toBeGreaterThanOrEqual(0);
          expect(seed).toBeLessThanOrEqual(2 ** 31 - 1);
        }
      }
  });

  it('is reproducible, and changes with each input', () => {
    const base = { runSeed: 3, taskId: 'q17', index: 1 };
    expect(sampleSeed({ ...base })).toBe(sampleSeed(base));
    const others = [
      sampleSeed({ ...base, runSeed: 4 }),
      sampleSeed({ ...base, taskId: 'q18' }),
      sampleSeed({ ...base, index: 2 }),
    ];
    for (const other of others) expect(other).not.toBe(sampleSeed(base));
  });

  it('refuses a run seed or index that is not an integer it can print exactly', () => {
    expect(() => sampleSeed({ runSeed: 1.5, taskId: 't', index: 0 })).toThrow(RangeError);
    expect(() => sampleSeed({ runSeed: 2 ** 60, taskId: 't', index: 0 })).toThrow(/safe integer/);
    expect(() => sampleSeed({ runSeed: 0, taskId: 't', index: -1 })).toThrow(/non-negative/);
  });
});
