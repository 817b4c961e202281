import type { EvalResults } from './results-schema.js';

const pct = (x: number | undefined) => (x === undefined ? '' : `${(100 * x).toFixed(1)}`);
const num = (x: number, digits = 2) => x.toFixed(digits);

/** A markdown table row, with `|` in cells escaped. */
export function markdownRow(cells: ReadonlyArray<string | number>): string {
  return `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
}

/** `results.md`: one row per benchmark (accuracy in %, QA EM/F1, pass@k / maj@k when n > 1, cost). */
export function resultsMarkdown(results: EvalResults): string {
  const n = results.settings.n;
  const ks = n > 1 ? Object.keys(results.benchmarks[0]?.passAtK ?? {}) : [];
  const header = [
    'benchmark',
    'questions',
    n > 1 ? `acc (avg@${n}) %` : 'acc %',
    'EM %',
    'F1 %',
    ...ks.map((k) => `pass@${k} %`),
    ...(n > 1 ? [`maj@${n} %`] : []),
    'answered %',
    'tool calls / q',
    'tool errors',
    'format viol.',
    'text-form calls',
    'made-up output',
    'out tokens / q',
    's / q',
  ];
  const lines = [
    `# Evaluation: ${results.model.name}`,
    '',
    `protocol ${results.settings.protocol}, n ${n}, temperature ${results.settings.temperature}, at most ${results.settings.maxToolCalls} tool calls, max tokens ${results.settings.maxTokens ?? "the server's"}, math checker ${results.settings.mathChecker}` +
      (results.settings.search === null
        ? ''
        : `, search ${results.settings.search.kind} (${results.settings.search.source})`),
    '',
    markdownRow(header),
    markdownRow(header.map(() => '---')),
  ];
  for (const b of results.benchmarks) {
    lines.push(
      markdownRow([
        b.complete ? b.benchmark : `${b.benchmark} (partial)`,
        b.questions === b.expectedQuestions ? b.questions : `${b.questions}/${b.expectedQuestions}`,
        pct(b.accuracy),
        pct(b.em),
        pct(b.f1),
        ...ks.map((k) => pct(b.passAtK?.[k])),
        ...(n > 1 ? [pct(b.majAtK?.[String(n)])] : []),
        pct(b.answered),
        num(b.toolCallsPerSample),
        b.toolErrors,
        b.formatViolations,
        b.samplesWithTextFormToolCalls,
        b.samplesWithFabricatedToolOutput,
        num(b.outputTokensPerSample, 0),
        num(b.msPerSample / 1000, 1),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}
