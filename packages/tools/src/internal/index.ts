// Helpers other @autotraj packages share. Not part of the documented API: no semver promise,
// they may change in any release. Import them as `@autotraj/tools/internal`.
export {
  PYTHON_TRAINER_THREADS,
  type RunPythonTrainerOptions,
  runPythonTrainer,
} from '../python/python-trainer.js';
export { type FormatPythonOptions, formatPythonOutput } from '../runtimes/format.js';
