import type { JsonValue } from './json-value.js';
import type { Step } from './step.js';
import type { Trajectory } from './trajectory.js';

// Trajectories the library builds itself (trajectoryFromSteps / trajectoryFromText, the
// generation loop, the reward's policy-text parser) are checked once where they are built and
// then sealed: deep-frozen and remembered here. A public entry point given a sealed trajectory
// skips its input check, so the evaluation and reward hot paths pay for checking only what
// arrives from outside the library (a JSON.parse'd file, a record written by hand).
//
// Sound because nothing can change a sealed trajectory: every object in it is frozen, so a
// write throws (ES modules run in strict mode) and the value stays what the check accepted.
// A copy (`{ ...t }`, `structuredClone(t)`) is a new, unsealed object and is checked again.
// Membership alone is not the proof: the value was checked when sealed and cannot change.

const sealed = new WeakSet<object>();
// The steps arrays of sealed trajectories, for entries that take steps (the codecs' render).
const sealedSteps = new WeakSet<object>();

/** Whether `value` was sealed by `sealTrajectory` (checked and frozen; cannot have changed). */
export function isSealedTrajectory(value: unknown): value is Trajectory {
  return typeof value === 'object' && value !== null && sealed.has(value);
}

/** Whether `value` is the (frozen) steps array of a sealed trajectory. */
export function isSealedSteps(value: unknown): value is Step[] {
  return typeof value === 'object' && value !== null && sealedSteps.has(value);
}

/** A frozen copy of a JSON value: objects the caller may still hold are never frozen. */
function frozenJson(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  // Frozen at run time; typed as the mutable JsonValue the schema's output type names.
  if (Array.isArray(value)) return Object.freeze(value.map(frozenJson)) as JsonValue[];
  const out: Record<string, JsonValue> = {};
  for (const key in value) out[key] = frozenJson(value[key]!);
  return Object.freeze(out);
}

/**
 * Seal `trajectory`, which must already be `trajectorySchema`'s output (the caller checked it)
 * and whose objects the caller owns: the trajectory, its steps array, each step, provenance and
 * its sampling/usage, and the metadata object are frozen in place; JSON values inside (tool
 * inputs, metadata values), which may be shared with whoever built them, are replaced by frozen
 * copies. Returns the same object.
 */
export function sealTrajectory(trajectory: Trajectory): Trajectory {
  if (sealed.has(trajectory)) return trajectory;
  for (const step of trajectory.steps) {
    if (step.type === 'tool-call') step.input = frozenJson(step.input);
    Object.freeze(step);
  }
  Object.freeze(trajectory.steps);
  sealedSteps.add(trajectory.steps);
  const provenance = trajectory.provenance;
  if (provenance.sampling !== undefined) Object.freeze(provenance.sampling);
  if (provenance.usage !== undefined) Object.freeze(provenance.usage);
  Object.freeze(provenance);
  const metadata = trajectory.metadata;
  for (const key in metadata) metadata[key] = frozenJson(metadata[key]!);
  Object.freeze(metadata);
  Object.freeze(trajectory);
  sealed.add(trajectory);
  return trajectory;
}
