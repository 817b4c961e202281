// Helpers other @autotraj packages share. Not part of the documented API: no semver promise,
// they may change in any release. Import them as `@autotraj/evaluator/internal`.
// Python's str.split / str.strip / float / round, as the paper's Python code computes them.

// The answer and format checks without their argument checks, for other packages' hot paths
// (the RL reward), which pass values they checked or built.
export { checkPaperFormat as uncheckedCheckPaperFormat } from '../dimensions/paper-format.js';
// The evaluator without its entry-point input check, for the bench that measures what the
// check costs (bench/paper-preset.bench.mjs). Takes input already in the schemas' form.
export { createEvaluator as createUncheckedEvaluator } from '../evaluate/create-evaluator.js';
export { pyFloat, pyRound, pySplit, pyStrip } from '../paper/python-text.js';
export { qaF1 as uncheckedQaF1 } from '../verify/qa.js';
export { verifyAnswer as uncheckedVerifyAnswer } from '../verify/verify-answer.js';
