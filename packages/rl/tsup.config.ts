import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/paper/index.ts', 'src/testing/index.ts', 'src/internal/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
});
