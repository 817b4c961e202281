import { rejecting } from '@autotraj/trajectory/internal';
import type { AcceptRepairDecision, AcceptRepairInput } from './accept-repair.js';
import { acceptRepair as acceptRepairUnchecked } from './accept-repair.js';
import {
  createEvaluator as createUncheckedEvaluator,
  type EvaluatorOptions,
  type PresetEvaluator,
} from './create-evaluator.js';
import {
  acceptRepairArgs,
  acceptRepairRequestArgs,
  evaluatorOptionsSchema,
  parseEvaluateGroupInput,
  parseEvaluateInput,
  parseEvaluatorInput,
} from './entry-input.js';

/**
 * Build an evaluator from a preset plus overrides. Options and every method's input are
 * checked against the contract schemas first (defaults filled): bad input is an
 * `EvaluatorError` with code `invalid_input` naming the method and the field.
 */
export function createEvaluator(options: EvaluatorOptions = {}): PresetEvaluator {
  const checked = parseEvaluatorInput(
    evaluatorOptionsSchema,
    options,
    'createEvaluator',
    'options',
  );
  // The schema keeps the caller's objects (judge, backend, caches) by reference.
  const inner = createUncheckedEvaluator(checked as EvaluatorOptions);
  return {
    preset: inner.preset,
    weights: inner.weights,
    thresholds: inner.thresholds,
    dimensions: inner.dimensions,
    evaluate: (input) =>
      rejecting(() => inner.evaluate(parseEvaluateInput(input, 'evaluator.evaluate'))),
    evaluateSync: (input) =>
      inner.evaluateSync(parseEvaluateInput(input, 'evaluator.evaluateSync')),
    evaluateGroup: (input) =>
      rejecting(() =>
        inner.evaluateGroup(parseEvaluateGroupInput(input, 'evaluator.evaluateGroup')),
      ),
    acceptRepair: (input) =>
      inner.acceptRepair(
        // zod writes optional keys as `?: T | undefined`; the values are the same.
        parseEvaluatorInput(acceptRepairRequestArgs, input, 'evaluator.acceptRepair', '') as Omit<
          AcceptRepairInput,
          'thresholds'
        >,
      ),
  };
}

/** `acceptRepair` with its input checked (see `acceptRepair` in accept-repair.ts for the rule). */
export function acceptRepair(input: AcceptRepairInput): AcceptRepairDecision {
  return acceptRepairUnchecked(
    parseEvaluatorInput(acceptRepairArgs, input, 'acceptRepair', '') as AcceptRepairInput,
  );
}
