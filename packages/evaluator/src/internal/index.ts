// Helpers other @autotraj packages share. Not part of the documented API: no semver promise,
// they may change in any release. Import them as `@autotraj/evaluator/internal`.
// Python's str.split / str.strip / float / round, as the paper's Python code computes them.
export { pyFloat, pyRound, pySplit, pyStrip } from '../paper/python-text.js';
