import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@autotraj/source'] },
  test: { name: 'cli', include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
