import { defineProject } from 'vitest/config';

export default defineProject({
  // Resolve workspace packages to their TypeScript source, so tests never run a stale build.
  resolve: { conditions: ['@autotraj/source'] },
  ssr: { resolve: { conditions: ['@autotraj/source'], externalConditions: ['@autotraj/source'] } },
  // Real-model tests load GGUF files in worker processes: generous timeouts, one file at a time.
  test: {
    name: 'llama-cpp',
    include: ['src/**/*.test.ts', 'bench/**/*.test.mjs'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
