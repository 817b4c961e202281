import {
  type EvaluationReport,
  type Evaluator,
  evaluationReportSchema,
} from '@autotraj/trajectory';
import { z } from 'zod';
import {
  type AcceptanceOption,
  type AcceptanceRule,
  type AcceptanceThresholds,
  resolveAcceptance as resolveUnchecked,
  thresholdAcceptance as thresholdUnchecked,
} from '../repair/acceptance.js';
import {
  acceptanceOptionSchema,
  acceptanceThresholdsSchema,
  parseRepairerInput as parse,
} from './checked-repairer.js';

// The acceptance rules of the main entry check their options when built and the two reports
// of each call (a rule a user calls by hand gets a typed error naming the field, not a
// comparison against undefined). The repairer itself uses the unchecked rules on reports its
// evaluator returned.

const ruleInput = z.strictObject({
  original: evaluationReportSchema,
  repaired: evaluationReportSchema,
});

function checkedRule(inner: AcceptanceRule, entry: string): AcceptanceRule {
  return (input) =>
    inner(
      parse(ruleInput, input, entry, 'input') as {
        original: EvaluationReport;
        repaired: EvaluationReport;
      },
    );
}

/** The paper's threshold rule (see repair/acceptance.ts), thresholds and reports checked. */
export function thresholdAcceptance(
  thresholds: Partial<AcceptanceThresholds> = {},
): AcceptanceRule {
  const parsed = parse(acceptanceThresholdsSchema, thresholds, 'thresholdAcceptance', 'thresholds');
  return checkedRule(
    thresholdUnchecked(parsed as Partial<AcceptanceThresholds>),
    'thresholdAcceptance(...)',
  );
}

const evaluatorArg = z.looseObject({
  acceptRepair: z
    .custom<unknown>((v) => typeof v === 'function', { message: 'expected a function' })
    .optional(),
});

/** The rule an `acceptance` option names (see repair/acceptance.ts), option and reports checked. */
export function resolveAcceptance(
  option: AcceptanceOption | undefined,
  evaluator: Evaluator,
): AcceptanceRule {
  const entry = 'resolveAcceptance';
  const parsed = parse(acceptanceOptionSchema.optional(), option, entry, 'option');
  parse(evaluatorArg, evaluator, entry, 'evaluator');
  // A rule of the caller's is kept as it is (its own input is its business).
  if (typeof parsed === 'function') return parsed as AcceptanceRule;
  return checkedRule(
    resolveUnchecked(parsed as AcceptanceOption | undefined, evaluator),
    'resolveAcceptance(...)',
  );
}
