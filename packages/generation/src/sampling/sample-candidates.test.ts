import { describe, expect, it } from 'vitest';
import { createVllmProvider } from '../models/providers.js';
import { arithmeticRuntime } from '../testing/arithmetic-runtime.js';
import { startLoopbackServer } from '../testing/index.js';
import { createLimiter } from './limiter.js';
import { sampleCandidates } from './sample-candidates.js';

describe('sampleCandidates', () => {
  it('samples N per task at the temperature, a distinct seed each, under one global concurrency limit', async () => {
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
          sampleCandidates({ model, task, n: 3, limiter, tools: [arithmeticRuntime()] }),
        ),
      );
      expect(peak).toBe(2);
      for (const group of groups) {
        expect(group.map((t) => t.finalAnswer)).toEqual(['0', '1', '2']);
        expect(group.map((t) => t.provenance.sampling)).toEqual(
          [0, 1, 2].map((seed) => ({ temperature: 0.3, seed })),
        );
        expect(new Set(group.map((t) => t.id)).size).toBe(3);
      }
      expect(server.requests.every((r) => r.temperature === 0.3)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
