import { entryInputParser } from '@autotraj/trajectory/internal';
import { TrainingError } from '../errors.js';

/** Parses a public function's argument; bad input is `TrainingError` code `invalid_input`. */
export const parse = entryInputParser(
  (problem) =>
    new TrainingError({
      code: 'invalid_input',
      parameter: problem.field,
      message: problem.message,
      cause: problem.error,
    }),
);
