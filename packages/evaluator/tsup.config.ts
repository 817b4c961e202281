import { defineConfig } from 'tsup';

export default defineConfig({
  // The comparison worker is its own entry: `runSymbolic` starts it as a worker thread.
  entry: {
    index: 'src/index.ts',
    'paper/index': 'src/paper/index.ts',
    'internal/index': 'src/internal/index.ts',
    'compare-worker': 'src/verify/compare-worker.ts',
  },
  format: ['esm'],
  dts: {
    entry: {
      index: 'src/index.ts',
      'paper/index': 'src/paper/index.ts',
      'internal/index': 'src/internal/index.ts',
    },
  },
  sourcemap: true,
  clean: true,
  target: 'node22',
});
