import { defineProject } from 'vitest/config';

export default defineProject({
  // Resolve workspace packages to their TypeScript source, so tests never run a stale build.
  resolve: { conditions: ['@autotraj/source'] },
  ssr: { resolve: { conditions: ['@autotraj/source'], externalConditions: ['@autotraj/source'] } },
  test: { name: 'benchmarks', include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
