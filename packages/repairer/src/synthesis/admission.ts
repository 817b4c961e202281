import { type AdmissionMode, admissionModes, RUN_DEFAULTS } from '@autotraj/trajectory';
import { RepairerConfigError } from '../errors.js';

// The gate itself (modes, `admitRecords`) lives in @autotraj/trajectory: train-sft and train-rm
// apply the same decision to sets written before a rule existed.
export {
  type AdmissionMode,
  type AdmittedRecords,
  admissionModes,
} from '@autotraj/trajectory';
// Unchecked: synthesis passes records it built (the main entry's admitRecords parses each).
export { admitRecordsUnchecked as admitRecords } from '@autotraj/trajectory/internal';

/** The option's value checked (default `well-formed`); anything else is a config error. */
export function resolveAdmissionMode(value: unknown): AdmissionMode {
  if (value === undefined) return RUN_DEFAULTS.admission;
  if ((admissionModes as ReadonlyArray<unknown>).includes(value)) return value as AdmissionMode;
  throw new RepairerConfigError({
    message: `unknown admission ${JSON.stringify(value)} (expected ${admissionModes.join(' or ')})`,
  });
}
