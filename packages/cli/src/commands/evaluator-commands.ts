// The @autotraj/evaluator commands, registered together from one line in index.ts.
export { checkAnswersCommand } from './check-answers.js';
export { evaluateCommand } from './evaluate.js';
