import { defineProject } from 'vitest/config';

export default defineProject({
  // Resolve workspace packages to their TypeScript source, so tests never run a stale build.
  resolve: { conditions: ['@autotraj/source'] },
  ssr: { resolve: { conditions: ['@autotraj/source'], externalConditions: ['@autotraj/source'] } },
  test: {
    name: 'rl',
    include: ['src/**/*.test.ts'],
    // The real-trainer checks are the rl-trainers project (vitest.workspace.ts at the root).
    exclude: ['src/trainers/**'],
  },
});
