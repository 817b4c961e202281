// The list of vitest projects: one per package. vitest 4+ no longer reads workspace files
// on its own, so vitest.config.ts imports this list into `test.projects`.
export const projects = ['packages/*'];
export default projects;
