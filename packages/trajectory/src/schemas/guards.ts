import { z } from 'zod';
import { isJsonValue } from './json-value.js';
import type { Task } from './task.js';
import type { Trajectory } from './trajectory.js';

// Hand-written checks of `taskSchema` and `trajectorySchema`, for the hot paths (evaluation,
// rewards) where a zod parse of every trajectory costs more than the 5% budget (measured: ~9 us
// a GSM8K trajectory against ~70 us for the paper preset's whole evaluation of it).
//
// Each answers one question: is this value already exactly what the schema would return
// (every default present, every constraint met, no key the schema would strip)? Then the
// caller may use it as is, keeping its identity. When the answer is no, the caller parses with
// the schema, which fills defaults or names the problem: a guard may say no to a valid value,
// never yes to one the schema would reject or change. guards.test.ts checks that agreement.

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

/** An array with nothing but its elements (no holes, no extra keys the schema would drop). */
function isBareArray(value: unknown): value is unknown[] {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
  if (Object.keys(value).length !== value.length) return false;
  for (let i = 0; i < value.length; i++) if (!Object.hasOwn(value, i)) return false;
  return true;
}

/** Every own key is one of `shape`'s and passes its check; required keys are present. */
function hasShape(value: unknown, shape: Readonly<Record<string, Checker>>): boolean {
  if (!isPlainObject(value)) return false;
  // Symbol keys and accessors are left to the schema.
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const key in value) {
    if (!Object.hasOwn(shape, key)) return false;
    if (!Object.hasOwn(value, key)) return false;
  }
  for (const key in shape) if (!shape[key]!(value[key])) return false;
  return true;
}

function isMetadata(value: unknown): boolean {
  if (!isPlainObject(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (!isJsonValue(value[key])) return false;
  }
  return true;
}

const taskShape: Readonly<Record<string, Checker>> = {
  id: isNonEmptyString,
  question: isString,
  goldAnswers: (v) => isBareArray(v) && v.every(isString),
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
// The same check the schema makes (ISO 8601 with a time); rare enough to ask zod.
const isoDatetime = z.iso.datetime();
const isDatetime: Checker = (v) => isString(v) && isoDatetime.safeParse(v).success;
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

const stepShapes: Readonly<Record<string, Readonly<Record<string, Checker>>>> = {
  think: { type: isString, text: isString },
  'tool-call': {
    type: isString,
    callId: isNonEmptyString,
    toolName: isNonEmptyString,
    input: isJsonValue,
  },
  'tool-result': {
    type: isString,
    callId: isNonEmptyString,
    toolName: isNonEmptyString,
    output: isString,
    isError: (v) => typeof v === 'boolean',
    timedOut: optional((v) => typeof v === 'boolean'),
    durationMs: optional(isNonNegative),
  },
  answer: { type: isString, text: isString, answer: optional(isString) },
};

function areSteps(value: unknown): boolean {
  if (!isBareArray(value)) return false;
  // The schema's refinement: call ids unique, each result answering an earlier call.
  const calls = new Set<string>();
  for (const step of value) {
    if (!isPlainObject(step)) return false;
    const shape = typeof step.type === 'string' ? stepShapes[step.type] : undefined;
    if (shape === undefined || !Object.hasOwn(stepShapes, step.type as string)) return false;
    if (!hasShape(step, shape)) return false;
    if (step.type === 'tool-call') {
      if (calls.has(step.callId as string)) return false;
      calls.add(step.callId as string);
    } else if (step.type === 'tool-result' && !calls.has(step.callId as string)) return false;
  }
  return true;
}

const trajectoryShape: Readonly<Record<string, Checker>> = {
  id: isNonEmptyString,
  taskId: isNonEmptyString,
  question: optional(isString),
  steps: areSteps,
  finalAnswer: (v) => v === null || isString(v),
  provenance: (v) => hasShape(v, provenanceShape),
  metadata: isMetadata,
};

/** Whether `value` is already `trajectorySchema`'s output. */
export function isTrajectory(value: unknown): value is Trajectory {
  return hasShape(value, trajectoryShape);
}
