import { candidateRecordSchema, droppedRecordSchema, hardCaseSchema } from '@autotraj/repairer';
import {
  detectRecordFormat,
  isTrajectoryRecordFormat,
  preferencePairSchema,
  recordToTrajectories,
  rolloutRecordSchema,
  type SourcedTrajectory,
  sftRecordSchema,
  type Task,
  type Trajectory,
  type TrajectoryRecordFormat,
  taskSchema,
  trajectoryRecordFormats,
  trajectorySchema,
  validate,
} from '@autotraj/trajectory';
import { sealTrajectory } from '@autotraj/trajectory/internal';
import { z } from 'zod';

// The one place that tells which kind of record a JSONL line is. Records the project writes are
// recognised by the required top-level fields of the schema that defines them (imported from the
// package that owns it), tried most specific first; then two generic envelopes (any object with
// a `trajectory`, or `chosen` + `rejected`, holding Trajectories: how `autotraj eval` results and
// other wrappers are read without changes here); then the external layouts `convert` reads
// (`detectRecordFormat`); then task files. Detection looks at field names only, so a bad value in
// the first line is reported as that line's error instead of making the file undetectable.

/** A trajectory taken out of a record, with the field it came from (`trajectory`, `chosen`, ...). */
export interface RecordTrajectory extends SourcedTrajectory {
  /** The record's field holding it; null for layouts that are the trajectory (`trajectory`, text, chat). */
  role: string | null;
}

interface ProjectKind {
  name: string;
  /** What the user is told the file holds. */
  describe: string;
  schema: z.ZodObject;
  trajectories(record: Record<string, unknown>): RecordTrajectory[];
}

const labelOf = (trajectory: Trajectory, verdict?: unknown): boolean | null =>
  typeof verdict === 'boolean'
    ? verdict
    : typeof trajectory.metadata.isCorrect === 'boolean'
      ? trajectory.metadata.isCorrect
      : null;

// Each trajectory here is the output of the record's schema, parsed for this read: sealed, so
// the evaluator's entry takes it without walking it again (see @autotraj/trajectory).
const one = (role: string, trajectory: Trajectory, verdict?: unknown): RecordTrajectory => ({
  trajectory: sealTrajectory(trajectory),
  isCorrect: labelOf(trajectory, verdict),
  issues: [],
  task: null,
  role,
});

/** A record with a `trajectory` field holding a Trajectory (eval results, scored trajectories). */
const trajectoryEnvelopeSchema = z.looseObject({ trajectory: trajectorySchema });
/** A record with `chosen` and `rejected` Trajectories (preference-pair wrappers). */
const pairEnvelopeSchema = z.looseObject({ chosen: trajectorySchema, rejected: trajectorySchema });

const projectKinds: ReadonlyArray<ProjectKind> = [
  {
    name: 'candidates',
    describe: 'synthesis candidates (candidates.jsonl)',
    schema: candidateRecordSchema,
    trajectories: (r) => {
      const c = r as z.infer<typeof candidateRecordSchema>;
      return [one('trajectory', c.trajectory, c.correct)];
    },
  },
  {
    name: 'rollouts',
    describe: 'RL rollouts (rollouts.jsonl)',
    schema: rolloutRecordSchema,
    trajectories: (r) => [one('trajectory', (r as z.infer<typeof rolloutRecordSchema>).trajectory)],
  },
  {
    name: 'sft',
    describe: 'SFT records (sft.jsonl)',
    schema: sftRecordSchema,
    trajectories: (r) => [one('trajectory', (r as z.infer<typeof sftRecordSchema>).trajectory)],
  },
  {
    name: 'hard',
    describe: 'hard cases (hard.jsonl): the original and the last repair attempt',
    schema: hardCaseSchema,
    trajectories: (r) => {
      const h = r as z.infer<typeof hardCaseSchema>;
      return [
        one('original', h.original, h.originalReport.correct),
        ...(h.lastAttempt === null
          ? []
          : [one('lastAttempt', h.lastAttempt, h.lastReport?.correct)]),
      ];
    },
  },
  {
    name: 'pairs',
    describe: 'preference pairs (pairs.jsonl): chosen and rejected',
    schema: preferencePairSchema,
    trajectories: (r) => {
      const p = r as z.infer<typeof preferencePairSchema>;
      return [one('chosen', p.chosen), one('rejected', p.rejected)];
    },
  },
  {
    name: 'dropped',
    describe:
      'records the admission gate kept out of sft.jsonl / pairs.jsonl (dropped.jsonl), with reasons',
    schema: droppedRecordSchema,
    trajectories: (r) => {
      const d = r as z.infer<typeof droppedRecordSchema>;
      // The refused trajectory is the SFT record's, which is also the pair's chosen side.
      return [
        ...(d.sft === null ? [] : [one('sft.trajectory', d.sft.trajectory)]),
        ...(d.pair === null
          ? []
          : [
              ...(d.sft === null ? [one('pair.chosen', d.pair.chosen)] : []),
              one('pair.rejected', d.pair.rejected),
            ]),
      ];
    },
  },
  {
    name: 'trajectory-envelope',
    describe: 'records with a `trajectory` field (e.g. eval results)',
    schema: trajectoryEnvelopeSchema,
    trajectories: (r) => {
      const e = r as z.infer<typeof trajectoryEnvelopeSchema>;
      return [one('trajectory', e.trajectory, e.correct)];
    },
  },
  {
    name: 'pair-envelope',
    describe: 'records with `chosen` and `rejected` trajectories',
    schema: pairEnvelopeSchema,
    trajectories: (r) => {
      const e = r as z.infer<typeof pairEnvelopeSchema>;
      return [one('chosen', e.chosen), one('rejected', e.rejected)];
    },
  },
];

/**
 * A line `autotraj reward` scores as it is: the policy's response text, its gold answer(s), data
 * source and RM score. Holds text, not a Trajectory, so it is a kind of its own.
 */
export const rewardLineSchema = z.object({
  id: z.string().optional(),
  response: z.string(),
  gold: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]),
  dataSource: z.string().default('unknown'),
  question: z.string().optional(),
  /** The trajectory RM's score; without it (and without --rm) there is no RM term. */
  rmScore: z.number().optional(),
});

/** Names `--from` accepts for the project's own records, in detection order. */
export const projectRecordKinds = projectKinds.map((k) => k.name);

/** Every `--from` value: the project's records, the external trajectory layouts, tasks. */
export const inputKinds: ReadonlyArray<string> = [
  ...projectRecordKinds,
  ...trajectoryRecordFormats,
  'reward-lines',
  'tasks',
];

export type InputKind = string;

function requiredKeys(schema: z.ZodObject): string[] {
  // A field is required when the schema rejects its absence (optional and defaulted ones accept it).
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([key]) => key);
}

const required = new Map(projectKinds.map((k) => [k.name, requiredKeys(k.schema)]));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isTaskRecord = (value: Record<string, unknown>) =>
  requiredKeys(taskSchema).every((key) => key in value) && !('steps' in value);

/** The kind of one record, or null when it is none the CLI reads. */
export function detectInputKind(value: unknown): InputKind | null {
  if (!isRecord(value)) return null;
  for (const kind of projectKinds)
    if (required.get(kind.name)!.every((key) => key in value)) return kind.name;
  if (requiredKeys(rewardLineSchema).every((key) => key in value)) return 'reward-lines';
  const format = detectRecordFormat(value);
  if (format !== null) return format;
  if (isTaskRecord(value)) return 'tasks';
  return null;
}

export function isInputKind(name: string): boolean {
  return inputKinds.includes(name) || isTrajectoryRecordFormat(name);
}

export function describeKind(kind: InputKind): string {
  const project = projectKinds.find((k) => k.name === kind);
  if (project !== undefined) return project.describe;
  if (kind === 'tasks') return 'tasks (id, question, goldAnswers): no trajectories';
  if (kind === 'reward-lines') return 'reward lines (response, gold): text, not trajectories';
  return `${kind} trajectories`;
}

/** Whether records of this kind hold trajectories (task files and reward lines do not). */
export const holdsTrajectories = (kind: InputKind) => kind !== 'tasks' && kind !== 'reward-lines';

/**
 * The trajectories one record of `kind` holds. Throws `ValidationError` naming the field when the
 * record does not fit its schema (the caller rejects the line).
 */
export function recordTrajectories(
  kind: InputKind,
  value: unknown,
  location: { file: string; line: number },
): { trajectories: RecordTrajectory[]; task: Task | null } {
  const project = projectKinds.find((k) => k.name === kind);
  if (project !== undefined) {
    const record = validate(project.schema, value, { location, what: describeKind(kind) });
    return { trajectories: project.trajectories(record), task: null };
  }
  if (kind === 'reward-lines') {
    validate(rewardLineSchema, value, { location, what: 'reward line' });
    return { trajectories: [], task: null };
  }
  if (kind === 'tasks') {
    return { trajectories: [], task: validate(taskSchema, value, { location, what: 'task' }) };
  }
  const sourced = recordToTrajectories(kind as TrajectoryRecordFormat, value, location);
  return {
    trajectories: sourced.map((s) => ({ ...s, role: null })),
    task: sourced[0]?.task ?? null,
  };
}
