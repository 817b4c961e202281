import { gsm8kModelSolutionTrajectories, readJsonl } from '@autotraj/trajectory';
import {
  type CalculateOptions,
  calculate,
  calculatorResultMatches,
} from '../calculator/calculate.js';

export interface AnnotationCheck {
  line: number;
  model: string;
  expression: string;
  recorded: string;
  /** What the calculator says, or `Type: message` when it cannot evaluate the expression. */
  computed: string;
  verdict: 'confirmed' | 'wrong' | 'unevaluable';
}

export interface AnnotationReport {
  total: number;
  confirmed: number;
  wrong: number;
  unevaluable: number;
  checks: AnnotationCheck[];
}

/** Re-evaluate every `<<expr=result>>` annotation of every model solution and compare with the record. */
export async function checkGsm8kAnnotations(options: {
  path: string;
  calculator?: CalculateOptions;
}): Promise<AnnotationReport> {
  const checks: AnnotationCheck[] = [];
  for await (const { value, line } of readJsonl(options.path)) {
    const { solutions } = gsm8kModelSolutionTrajectories(value, {
      location: { file: options.path, line },
    });
    for (const { trajectory } of solutions) {
      const steps = trajectory.steps;
      steps.forEach((step, i) => {
        if (step.type !== 'tool-call' || step.toolName !== 'calculator') return;
        const next = steps[i + 1];
        if (next?.type !== 'tool-result') return;
        const input = step.input;
        const expression =
          typeof input === 'object' &&
          input !== null &&
          !Array.isArray(input) &&
          typeof input.expression === 'string'
            ? input.expression
            : String(input);
        const result = calculate(expression, options.calculator);
        const verdict = !result.ok
          ? 'unevaluable'
          : calculatorResultMatches(next.output, result)
            ? 'confirmed'
            : 'wrong';
        checks.push({
          line,
          model: trajectory.provenance?.model ?? '',
          expression,
          recorded: next.output,
          computed: result.ok ? result.text : `${result.error.type}: ${result.error.message}`,
          verdict,
        });
      });
    }
  }
  const count = (verdict: AnnotationCheck['verdict']) =>
    checks.filter((c) => c.verdict === verdict).length;
  return {
    total: checks.length,
    confirmed: count('confirmed'),
    wrong: count('wrong'),
    unevaluable: count('unevaluable'),
    checks,
  };
}
