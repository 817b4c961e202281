import { defineProject } from 'vitest/config';

export default defineProject({
  // Resolve workspace packages to their TypeScript source, so tests never run a stale build.
  resolve: { conditions: ['@autotraj/source'] },
  ssr: { resolve: { conditions: ['@autotraj/source'], externalConditions: ['@autotraj/source'] } },
  // The machine is shared; training tests take seconds when it is busy.
  test: { name: 'reward-model', include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
