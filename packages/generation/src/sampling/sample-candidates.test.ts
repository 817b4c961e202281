import { createHash } from 'node:crypto';
import { sampleSeed } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { createVllmProvider } from '../models/providers.js';
import { arithmeticRuntime } from '../testing/arithmetic-runtime.js';
import { lastUserText, startLoopbackServer } from '../testing/index.js';
import { createLimiter } from './limiter.js';
import { sampleCandidates } from './sample-candidates.js';

// How a real sampler fails with `seed + i` on similar prompts: its first token is decided by
// the seed (the measured model opened with one sentence for seed 1 on every problem), the
// rest by the prompt too. Same seed + same prompt = same output, as a seeded sampler gives.
const OPENINGS = ['<think>', 'To', 'First', 'Let'] as const;
const digest = (text: string) => createHash('sha256').update(text).digest().readUInt32BE(0);
const openingFor = (seed: number) => OPENINGS[digest(`opening ${seed}`) % OPENINGS.length]!;
const seededText = (seed: number, question: string) =>
  `${openingFor(seed)} ${question}: ${digest(`${seed}|${question}`) % 1000}`;

describe('sampleCandidates', () => {
  it('samples N per task at the temperature, a derived seed each, under one global concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await startLoopbackServer({
      reply: async (request) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 15));
        inFlight--;
        return {
          text: `<think>seed ${request.seed}</think>\n<answer>\\boxed{${request.seed}}</answer>`,
        };
      },
    });
    try {
      const model = createVllmProvider({ baseURL: server.baseURL }).languageModel('policy');
      const limiter = createLimiter(2);
      const tasks = ['a', 'b', 'c'].map((id) => ({ id, question: `question ${id}` }));
      const groups = await Promise.all(
        tasks.map((task) =>
          sampleCandidates({
            model,
            task,
            n: 3,
            limiter,
            tools: [arithmeticRuntime()],
            sampling: { seed: 5 },
          }),
        ),
      );
      expect(peak).toBe(2);
      groups.forEach((group, k) => {
        const seeds = [0, 1, 2].map((index) =>
          sampleSeed({ runSeed: 5, taskId: tasks[k]!.id, index }),
        );
        // The model was asked with the derived seeds, and each trajectory records its own.
        expect(group.map((t) => t.finalAnswer)).toEqual(seeds.map(String));
        expect(group.map((t) => t.provenance.sampling)).toEqual(
          seeds.map((seed) => ({ temperature: 0.3, seed })),
        );
        expect(new Set(group.map((t) => t.id)).size).toBe(3);
      });
      expect(server.requests.every((r) => r.temperature === 0.3)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("across many tasks, candidate i's first tokens are not one repeated choice", async () => {
    const server = await startLoopbackServer({
      reply: (request) => ({
        text: seededText(request.seed ?? -1, lastUserText(request.messages)),
      }),
    });
    try {
      const model = createVllmProvider({ baseURL: server.baseURL }).languageModel('policy');
      const tasks = Array.from({ length: 40 }, (_, k) => ({
        id: `gsm8k-${k}`,
        question: `Tom has ${k + 3} apples and buys ${k + 5} more. How many now?`,
      }));
      const run = () =>
        Promise.all(
          tasks.map((task) =>
            sampleCandidates({ model, task, n: 2, tools: [], sampling: { seed: 0 } }),
          ),
        );
      const groups = await run();
      const opening = (text: string) => text.split(' ')[0]!;
      const texts = (index: number) =>
        groups.map((group) => {
          const step = group[index]!.steps[0]!;
          return step.type === 'think' || step.type === 'answer' ? step.text : '';
        });

      // The old rule: candidate 1 of every task sampled with seed 0 + 1, one opening for all.
      expect(new Set(tasks.map(() => openingFor(0 + 1))).size).toBe(1);
      for (const index of [0, 1]) {
        const counts = new Map<string, number>();
        for (const text of texts(index))
          counts.set(opening(text), (counts.get(opening(text)) ?? 0) + 1);
        expect(counts.size, `candidate ${index}: ${[...counts]}`).toBeGreaterThanOrEqual(3);
        expect(Math.max(...counts.values())).toBeLessThan(tasks.length / 2);
      }

      // Same run seed, task and index: the same seeds, so the same candidates.
      const again = await run();
      expect(again.map((g) => g.map((t) => t.provenance.sampling?.seed))).toEqual(
        groups.map((g) => g.map((t) => t.provenance.sampling?.seed)),
      );
      expect(again.map((g) => g.map((t) => t.id))).toEqual(groups.map((g) => g.map((t) => t.id)));
    } finally {
      await server.close();
    }
  });
});
