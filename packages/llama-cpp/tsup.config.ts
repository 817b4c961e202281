import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker is its own entry: the pool forks it as a separate Node process.
  entry: ['src/index.ts', 'src/worker.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node22',
});
