import { defineProject } from 'vitest/config';

export default defineProject({
  // Resolve workspace packages to their TypeScript source, so tests never run a stale build.
  resolve: { conditions: ['@autotraj/source'] },
  ssr: { resolve: { conditions: ['@autotraj/source'], externalConditions: ['@autotraj/source'] } },
  test: {
    name: 'trajectory',
    include: ['src/**/*.test.ts'],
    // Type tests (the `ai` SDK boundary): compiled by tsc, reported as tests.
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
