export { demoFixtures } from './demo.js';
export { RepairerConfigError } from './errors.js';
export {
  type AcceptanceOption,
  type AcceptanceRule,
  type AcceptanceThresholds,
  type AcceptanceVerdict,
  PAPER_ACCEPTANCE,
  resolveAcceptance,
  thresholdAcceptance,
} from './repair/acceptance.js';
export {
  type RepairStepsInput,
  type RepairStepsResult,
  repairSteps,
  runtimesFromAiTools,
} from './repair/repair-steps.js';
export {
  createRepairer,
  type RepairAttempt,
  type Repairer,
  type RepairerOptions,
  type RepairInput,
  type RepairResult,
  type RepairStrategy,
} from './repair/repairer.js';
export {
  type AdmissionMode,
  admissionModes,
} from './synthesis/admission.js';
export {
  type CandidateRecord,
  candidateRecordSchema,
  type DroppedRecord,
  droppedRecordSchema,
  type HardCase,
  hardCaseSchema,
  type JournalEntry,
  journalEntrySchema,
} from './synthesis/synthesis-records.js';
export {
  type SynthesisCounts,
  type SynthesisCoverage,
  type SynthesisEvent,
  type SynthesisPolicy,
  type SynthesisSummary,
  type SynthesizeOptions,
  synthesize,
} from './synthesis/synthesize.js';
