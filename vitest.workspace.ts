// The list of vitest projects: one per package. vitest 4+ no longer reads workspace files
// on its own, so vitest.config.ts imports this list into `test.projects`.
//
// rl-trainers runs the real trainers (torch, TRL, verl) in Python children. They saturate the
// machine's cores, so they run in a group of their own (not beside other projects) and one file at a
// time, keeping timing-sensitive tests (the reward server under load) off a loaded CPU.
export const projects = [
  'packages/*',
  {
    // As in packages/rl/vitest.config.ts: workspace packages resolve to their TypeScript source.
    resolve: { conditions: ['@autotraj/source'] },
    ssr: {
      resolve: { conditions: ['@autotraj/source'], externalConditions: ['@autotraj/source'] },
    },
    test: {
      name: 'rl-trainers',
      include: ['packages/rl/src/trainers/**/*.test.ts'],
      fileParallelism: false,
      sequence: { groupOrder: 1 },
    },
  },
];
export default projects;
