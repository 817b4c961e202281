// Helpers other @autotraj packages share. Not part of the documented API: no semver promise,
// they may change in any release. Import them as `@autotraj/trajectory/internal`.

// The admission gate over records a sibling package already read with their schemas: the
// admitted records are the very objects given (callers map them back to where they came from).
export {
  admitPreferencePairs as admitPreferencePairsUnchecked,
  admitRecords as admitRecordsUnchecked,
  admitSftRecords as admitSftRecordsUnchecked,
} from '../admission/admit-records.js';
// The codecs without the main entry's argument checks, for packages that render steps they
// already checked (the evaluator's and the reward's hot paths).
export { getTextCodec as uncheckedTextCodec } from '../codecs/registry.js';
export {
  builtinToolSpec,
  toolInputFromTagContent,
  toolInputText,
  toolTagTable,
} from '../contracts/tool-spec.js';
export {
  checkEntryInput,
  type EntryInputParser,
  type EntryInputProblem,
  entryInputParser,
  objectWithMethods,
  parseEach,
  rejecting,
} from '../entry-input.js';
export { canonicalJson } from '../ids.js';
// The model-text readers without the main entry's checks, for the per-trajectory hot paths
// (the evaluator, the reward) and packages reading trajectories they already checked.
export { findFabricatedToolOutput as findFabricatedToolOutputUnchecked } from '../model-text/fabricated-tool-output.js';
export { sourceTextOf as sourceTextOfUnchecked } from '../model-text/source-text.js';
export {
  findTextFormToolCalls as findTextFormToolCallsUnchecked,
  findTrajectoryTextFormToolCalls as findTrajectoryTextFormToolCallsUnchecked,
} from '../model-text/text-form-tool-calls.js';
export { packageVersion } from '../package-version.js';
export { modelWrittenText } from '../render/loss-mask.js';
export {
  acquireRunLock,
  assertRunUnlocked,
  isStaleLock,
  readRunLock,
} from '../run-dir/run-lock.js';
export { formatSettingDifferences } from '../run-dir/run-settings.js';
export { compareIds, SHARD_FILE, shardRecord } from '../run-dir/shard-claim.js';
export { isSftTrainingReport } from '../run-dir/training-report.js';
export { isTask, isTrajectory } from '../schemas/guards.js';
export { isSealedTrajectory, sealTrajectory } from '../schemas/sealed.js';
export { stepListSchema } from '../schemas/step.js';
export { mountTinyDisk, type TinyDisk } from '../test-support/tiny-disk.js';
