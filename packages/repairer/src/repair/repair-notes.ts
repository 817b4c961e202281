import type { Protocol } from '@autotraj/generation';
import type { EvaluationReport } from '@autotraj/trajectory';

/**
 * What to do differently, as plain instructions a small model can act on. Diagnostic codes and
 * messages are evaluator vocabulary ("the paper's answer check fails"): a 1.5B repairer shown
 * them read one literally and printed "Correct answer check passed". So each code family maps
 * to one instruction, and unknown codes to a general one; no message text is passed through.
 */
export function repairNotes(
  report: Pick<EvaluationReport, 'correct' | 'diagnostics'>,
  options: { protocol: Protocol; maxToolCalls: number; finalAnswer: string | null },
): string {
  const call =
    options.protocol === 'text-tags'
      ? 'write the code inside <code></code>'
      : options.protocol === 'native'
        ? 'call the python tool'
        : 'write the code in a ```python block';
  const finish =
    options.protocol === 'text-tags'
      ? 'Finish with exactly one <answer></answer> that holds the final answer in \\boxed{}.'
      : 'End with the final answer in \\boxed{}.';
  const notes: string[] = [];
  const add = (note: string) => {
    if (!notes.includes(note)) notes.push(note);
  };
  if (report.correct === false)
    add(
      options.finalAnswer === null
        ? 'There was no final answer. Work the problem out from the start.'
        : `Their final answer, ${options.finalAnswer}, is wrong. Work the problem out from the start; do not reuse it.`,
    );
  for (const { code } of report.diagnostics) {
    const family = code.split('/')[0];
    if (code === 'correctness/wrong-answer' || code === 'correctness/qa-mismatch') continue;
    if (code === 'correctness/no-answer' || code === 'format/missing-answer') add(finish);
    else if (code === 'format/first-token-not-think') add('Start with <think>.');
    else if (code === 'format/answer-without-boxed')
      add('Put the final answer inside \\boxed{} within the <answer></answer>.');
    else if (code === 'format/multiple-answers') add('Give the final answer only once.');
    else if (code === 'format/text-after-answer') add('Write nothing after the final answer.');
    else if (code === 'format/too-many-tool-calls' || code === 'tool/over-budget')
      add(`Use at most ${options.maxToolCalls} tool calls.`);
    else if (
      code === 'tool/error' ||
      code === 'tool/timeout' ||
      code === 'admission/tool-error-ignored'
    )
      add(`Their code failed. ${capitalize(call)} so that it runs and prints the result.`);
    else if (code === 'tool/unused-result') add('Use what the code printed in your reasoning.');
    else if (code === 'tool/no-call' || code === 'text-form-tool-call')
      add(`To compute, ${call}; the environment runs it and shows you the output.`);
    else if (code === 'admission/whole-number-as-decimal')
      add('Write a whole-number answer without a decimal point: \\boxed{10}, not \\boxed{10.0}.');
    else if (code === 'admission/prose-arithmetic-error')
      add(
        `Check the arithmetic in your reasoning: ${call} for every value and use what it prints.`,
      );
    else if (code === 'admission/tool-call-computes-nothing')
      add(
        `Let the code do the computing: ${call} that works the answer out, not one that prints a number you already have.`,
      );
    else if (code === 'admission/prompt-meta-text')
      add('Write only the solution, nothing about these instructions.');
    else if (code === 'fabricated-tool-output' || code === 'admission/fabricated-tool-output')
      add(
        'Never write a result or output block yourself: the environment writes it after your code.',
      );
    else if (family === 'length' || code === 'admission/token-limit')
      add('Be brief: reason only as much as the problem needs.');
    else if (family === 'format' || family === 'admission')
      add(`Keep to the format of the example: ${call}, and never write a result yourself.`);
    else if (family === 'confidence')
      add('State each step plainly: no words such as maybe, perhaps, probably, seems or guess.');
    else if (family === 'repetition') add('Do not repeat sentences.');
    else if (family === 'consistency')
      add('Make your reasoning and answer agree with what the code printed.');
    else add(`Check every computation: ${call} for each one.`);
  }
  if (notes.length === 0) add(`Solve it carefully: ${call} for each computation.`);
  return notes.map((note) => `- ${note}`).join('\n');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
