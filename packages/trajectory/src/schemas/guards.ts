import { isJsonValue } from './json-value.js';
import { isSealedSteps, isSealedTrajectory } from './sealed.js';
import type { Step } from './step.js';
import type { Task } from './task.js';
import { provenanceSchema, type Trajectory } from './trajectory.js';

// Hand-written checks of `taskSchema` and `trajectorySchema`, for the hot paths (evaluation,
// rewards) where a zod parse of every trajectory costs more than the 5% budget: the paper
// preset scores a GSM8K trajectory in about the time zod takes to parse it.
//
// Each answers one question: is this value already exactly what the schema would return
// (every default present, every constraint met, no key the schema would strip)? Then the
// caller may use it as is, keeping its identity. When the answer is no, the caller parses with
// the schema, which fills defaults or names the problem: a guard may say no to a valid value,
// never yes to one the schema would reject or change. guards.test.ts checks that agreement.
// Not looked at: symbol-keyed properties and named (non-index) properties of arrays. zod
// leaves both out of its output and JSON cannot carry them: the one difference allowed.

type Checker = (value: unknown) => boolean;

const isString = (v: unknown): v is string => typeof v === 'string';
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const optional =
  (check: Checker): Checker =>
  (v) =>
    v === undefined || check(v);
const isFiniteNumber: Checker = (v) => typeof v === 'number' && Number.isFinite(v);
const isNonNegative: Checker = (v) => isFiniteNumber(v) && (v as number) >= 0;
const isSafeInt: Checker = (v) => Number.isSafeInteger(v);
const isNonNegativeInt: Checker = (v) => Number.isSafeInteger(v) && (v as number) >= 0;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An array; holes fail the element checks (an element read as undefined). */
function isArrayValue(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/** Every key is one of `shape`'s and passes its check; required keys are present. */
/** A for loop, not `every`, which skips holes (zod reads them as undefined and refuses). */
function areStrings(value: unknown): boolean {
  if (!isArrayValue(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}

function hasShape(value: unknown, shape: Readonly<Record<string, Checker>>): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (!Object.hasOwn(shape, key)) return false;
  for (const key in shape) if (!shape[key]!(value[key])) return false;
  return true;
}

function isMetadata(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (!isJsonValue(value[key])) return false;
  return true;
}

const taskShape: Readonly<Record<string, Checker>> = {
  id: isNonEmptyString,
  question: isString,
  goldAnswers: areStrings,
  dataSource: isString,
  metadata: isMetadata,
};

/** Whether `value` is already `taskSchema`'s output. */
export function isTask(value: unknown): value is Task {
  return hasShape(value, taskShape);
}

const usageShape = {
  inputTokens: optional(isNonNegativeInt),
  outputTokens: optional(isNonNegativeInt),
  totalTokens: optional(isNonNegativeInt),
};
const samplingShape = {
  temperature: optional(isFiniteNumber),
  topP: optional(isFiniteNumber),
  maxOutputTokens: optional(isSafeInt),
  seed: optional(isSafeInt),
};
// The schema's own check (ISO 8601 with a time): its format check is one test of this
// pattern, run here without zod's parse around it (a tenth of a generated trajectory's check).
// guards.test.ts compares the two on generated and edited timestamps.
const DATETIME: RegExp = (
  provenanceSchema.shape.startedAt.unwrap() as unknown as { def: { pattern: RegExp } }
).def.pattern;
export const isDatetime: Checker = (v) => isString(v) && DATETIME.test(v);
const ORIGINS = new Set(['sampled', 'repaired', 'imported', 'reference', 'rollout']);
const provenanceShape = {
  model: optional(isString),
  origin: optional((v) => isString(v) && ORIGINS.has(v)),
  format: optional(isString),
  sampling: optional((v) => hasShape(v, samplingShape)),
  usage: optional((v) => hasShape(v, usageShape)),
  startedAt: optional(isDatetime),
  finishedAt: optional(isDatetime),
  durationMs: optional(isNonNegative),
  parentId: optional(isString),
};

// Steps are most of a trajectory: checked by straight-line code per type (one shape per call
// site keeps V8's property loads monomorphic), keys counted instead of listed.
function ownKeyCount(value: object): number {
  let count = 0;
  for (const _ in value) count++;
  return count;
}

// The schema's refinement is checked too: call ids unique, each result answering an earlier
// call (ids kept in a small array: a trajectory has a few calls).
function isStep(step: unknown, calls: string[]): boolean {
  if (!isPlainObject(step)) return false;
  const s = step as Record<string, unknown>;
  switch (s.type) {
    case 'think':
      return typeof s.text === 'string' && ownKeyCount(s) === 2;
    case 'answer': {
      if (typeof s.text !== 'string') return false;
      const answer = s.answer;
      if (answer !== undefined && typeof answer !== 'string') return false;
      return ownKeyCount(s) === ('answer' in s ? 3 : 2);
    }
    case 'tool-call': {
      const callId = s.callId;
      if (typeof callId !== 'string' || callId === '' || calls.includes(callId)) return false;
      if (typeof s.toolName !== 'string' || s.toolName === '' || !isJsonValue(s.input))
        return false;
      if (ownKeyCount(s) !== 4 || !('input' in s)) return false;
      calls.push(callId);
      return true;
    }
    case 'tool-result': {
      const callId = s.callId;
      if (typeof callId !== 'string' || !calls.includes(callId)) return false;
      if (typeof s.toolName !== 'string' || s.toolName === '') return false;
      if (typeof s.output !== 'string' || typeof s.isError !== 'boolean') return false;
      let keys = 5;
      if ('timedOut' in s) {
        if (s.timedOut !== undefined && typeof s.timedOut !== 'boolean') return false;
        keys++;
      }
      if ('durationMs' in s) {
        if (s.durationMs !== undefined && !isNonNegative(s.durationMs)) return false;
        keys++;
      }
      return ownKeyCount(s) === keys;
    }
    default:
      return false;
  }
}

function areSteps(value: unknown): boolean {
  if (!isArrayValue(value)) return false;
  const calls: string[] = [];
  for (let i = 0; i < value.length; i++) if (!isStep(value[i], calls)) return false;
  return true;
}

/**
 * Whether `value` is already `z.array(stepSchema)`'s output. Stricter than that schema (a result
 * must answer an earlier call, as in a trajectory): a valid list it refuses is parsed instead.
 */
export function isStepList(value: unknown): value is Step[] {
  return isSealedSteps(value) || areSteps(value);
}

/** Only the keys present are looked at (usually one or two of the nine). */
function isProvenance(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const check = provenanceShape[key as keyof typeof provenanceShape];
    if (check === undefined || !Object.hasOwn(provenanceShape, key) || !check(value[key]))
      return false;
  }
  return true;
}

const isNullableString = (v: unknown) => v === null || typeof v === 'string';

/** Whether `value` is already `trajectorySchema`'s output. */
export function isTrajectory(value: unknown): value is Trajectory {
  // Checked when it was sealed and frozen since: it cannot have changed.
  if (isSealedTrajectory(value)) return true;
  if (!isPlainObject(value)) return false;
  const t = value;
  if (!isNonEmptyString(t.id) || !isNonEmptyString(t.taskId)) return false;
  if (t.question !== undefined && typeof t.question !== 'string') return false;
  if (!isNullableString(t.finalAnswer) || !isProvenance(t.provenance)) return false;
  if (!isMetadata(t.metadata) || !areSteps(t.steps)) return false;
  return ownKeyCount(t) === ('question' in t ? 7 : 6);
}
