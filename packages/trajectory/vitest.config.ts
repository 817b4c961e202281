import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@autotraj/source'] },
  test: { name: 'trajectory', include: ['src/**/*.test.ts'] },
});
