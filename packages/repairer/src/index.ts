export { demoFixtures } from './demo.js';
// The checked entry point: options and each repair's input parsed first (entry/).
export { resolveAcceptance, thresholdAcceptance } from './entry/checked-acceptance.js';
export { repairSteps, runtimesFromAiTools } from './entry/checked-repair-steps.js';
export { createRepairer } from './entry/checked-repairer.js';
export { synthesize } from './entry/checked-synthesize.js';
export {
  CandidatesSourceError,
  type CandidatesSourceErrorCode,
  RepairerConfigError,
} from './errors.js';
export {
  type AcceptanceOption,
  type AcceptanceRule,
  type AcceptanceThresholds,
  type AcceptanceVerdict,
  PAPER_ACCEPTANCE,
} from './repair/acceptance.js';
export type { RepairStepsInput, RepairStepsResult } from './repair/repair-steps.js';
export type {
  RepairAttempt,
  Repairer,
  RepairerOptions,
  RepairInput,
  RepairResult,
  RepairStrategy,
} from './repair/repairer.js';
export {
  type AdmissionMode,
  admissionModes,
} from './synthesis/admission.js';
export type { CandidatesFromSetting, CandidatesOption } from './synthesis/candidate-source.js';
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
export type {
  SynthesisCounts,
  SynthesisCoverage,
  SynthesisEvent,
  SynthesisPolicy,
  SynthesisSummary,
  SynthesizeOptions,
  TakenCandidatesInfo,
} from './synthesis/synthesize.js';
