import { z } from 'zod';
import { entryInputParser } from '../entry-input.js';
import type { InputLocation } from '../errors.js';
import { contentId as contentIdUnchecked } from '../ids.js';
import type { RejectSink } from '../jsonl/read-jsonl.js';
import { createRejectsFile as createRejectsFileUnchecked } from '../jsonl/rejects.js';
import { type ExistingIds, readExistingIds as readExistingIdsUnchecked } from '../jsonl/resume.js';
import { type Task, taskSchema } from '../schemas/task.js';
import {
  gsm8kProblemSchema,
  gsm8kReferenceTrajectory as gsm8kReferenceUnchecked,
  gsm8kModelSolutionTrajectories as gsm8kSolutionsUnchecked,
  gsm8kTask as gsm8kTaskUnchecked,
  type LabelledTrajectory,
} from '../sources/gsm8k.js';
import {
  recordToTrajectories as recordToTrajectoriesUnchecked,
  type SourcedTrajectory,
  type TrajectoryRecordFormat,
  trajectoryRecordFormats,
} from '../sources/record-formats.js';
import { toraTrajectory as toraUnchecked } from '../sources/tora.js';

// The data-set converters, the resume and reject helpers and `contentId` of the main entry
// check their arguments first (`ValidationError` naming the function and the field; options
// strict, records with their schemas and other record keys kept): a misspelt `dataSource` was a
// task of `gsm8k`, a misspelt `key` read ids from `id`. The records themselves keep the checks
// they had (`ValidationError` / `CodecError` with the record's location).

const parse = entryInputParser((problem) => problem.error);
const path = z.string().min(1);
// Cast: zod types an optional key as ?: T | undefined; InputLocation leaves undefined out.
const location = z.strictObject({
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  path: z.string().optional(),
}) as unknown as z.ZodType<InputLocation>;

/** A stable id from content (see ids.ts), the prefix checked. */
export function contentId(prefix: string, content: unknown): string {
  return contentIdUnchecked(parse(z.string(), prefix, 'contentId', 'prefix'), content);
}

const gsm8kTaskOptions = z.strictObject({
  dataSource: z.string().min(1).optional(),
  index: z.number().int().nonnegative().optional(),
});

/** The task of a GSM8K line (see sources/gsm8k.ts), the line and options checked. */
export function gsm8kTask(
  record: z.infer<typeof gsm8kProblemSchema>,
  options: { dataSource?: string | undefined; index?: number | undefined } = {},
): Task {
  const entry = 'gsm8kTask';
  return gsm8kTaskUnchecked(
    parse(gsm8kProblemSchema, record, entry, 'record'),
    parse(gsm8kTaskOptions, options, entry, 'options'),
  );
}

/** A GSM8K line's reference solution as a trajectory (see sources/gsm8k.ts), checked. */
export function gsm8kReferenceTrajectory(
  record: z.infer<typeof gsm8kProblemSchema>,
  task?: Task,
): LabelledTrajectory {
  const entry = 'gsm8kReferenceTrajectory';
  const line = parse(gsm8kProblemSchema, record, entry, 'record');
  return task === undefined
    ? gsm8kReferenceUnchecked(line)
    : gsm8kReferenceUnchecked(line, parse(taskSchema, task, entry, 'task'));
}

const locationOnly = z.strictObject({ location: location.optional() });

/** Every model solution of a GSM8K model-solutions line (see sources/gsm8k.ts), checked. */
export function gsm8kModelSolutionTrajectories(
  raw: unknown,
  options: { location?: InputLocation | undefined } = {},
): { task: Task; solutions: LabelledTrajectory[] } {
  // The line itself is validated by the converter, with its location.
  return gsm8kSolutionsUnchecked(
    raw,
    parse(locationOnly, options, 'gsm8kModelSolutionTrajectories', 'options'),
  );
}

const toraOptions = z.strictObject({
  dataSource: z.string().min(1).optional(),
  location: location.optional(),
});

/** A ToRA solution as a labelled trajectory and its task (see sources/tora.ts), checked. */
export function toraTrajectory(
  raw: unknown,
  options: { dataSource?: string | undefined; location?: InputLocation | undefined } = {},
): LabelledTrajectory & { task: Task } {
  // The line itself is validated by the converter, with its location.
  return toraUnchecked(raw, parse(toraOptions, options, 'toraTrajectory', 'options'));
}

/** The trajectories one record of a layout holds (see sources/record-formats.ts), checked. */
export function recordToTrajectories(
  format: TrajectoryRecordFormat,
  value: unknown,
  where: InputLocation = {},
): SourcedTrajectory[] {
  const entry = 'recordToTrajectories';
  return recordToTrajectoriesUnchecked(
    parse(z.enum(trajectoryRecordFormats), format, entry, 'format'),
    value,
    parse(location, where, entry, 'location'),
  );
}

const existingIdsOptions = z.strictObject({ key: z.string().min(1).optional() });

/** Ids already in a JSONL output (see jsonl/resume.ts), path and options checked when called. */
export async function readExistingIds(
  file: string,
  options: { key?: string | undefined } = {},
): Promise<ExistingIds> {
  const entry = 'readExistingIds';
  return readExistingIdsUnchecked(
    parse(path, file, entry, 'path'),
    parse(existingIdsOptions, options, entry, 'options'),
  );
}

/** A JSONL file of the lines a reader rejected (see jsonl/rejects.ts), the path checked. */
export function createRejectsFile(
  file: string,
): RejectSink & { readonly count: number; close(): void } {
  return createRejectsFileUnchecked(parse(path, file, 'createRejectsFile', 'path'));
}
