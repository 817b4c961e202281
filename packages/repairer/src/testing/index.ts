export { paperRuleEvaluator } from './paper-rule-evaluator.js';
