import type { Protocol } from '@autotraj/generation';
import { toolPromptLines } from '@autotraj/generation/internal';

/**
 * The repairer's system prompt: the paper's format rules. Unlike the paper's script (whose
 * prompt promises a bad trajectory it never passes), the user message carries the trajectory
 * and the evaluator's diagnostics.
 */
export function repairInstructions(options: {
  toolNames: ReadonlyArray<string>;
  maxToolCalls: number;
  protocol: Protocol;
}): string {
  const format =
    options.protocol === 'text-tags'
      ? [
          'Rules for the new trajectory:',
          '1. The first token is <think>.',
          ...toolPromptLines(options.toolNames),
          `2. At most ${options.maxToolCalls} tool calls; never invent a <result>, the environment writes it.`,
          '3. Exactly one final <answer>...</answer> containing \\boxed{} with the answer.',
          '4. Be decisive and concise: no uncertainty words (maybe, unsure, guess, seems, perhaps, probably, might, likely, recheck), no repeated text.',
        ]
      : options.protocol === 'markdown'
        ? [
            'Rules for the new trajectory:',
            '1. Compute with Python: write each program in a ```python code block that prints its results.',
            `2. At most ${options.maxToolCalls} code blocks; after each one, stop: the environment runs it and writes the \`\`\`output block. Never write an \`\`\`output block yourself.`,
            '3. End with the final answer in \\boxed{}.',
            '4. Be decisive and concise: no uncertainty words (maybe, unsure, guess, seems, perhaps, probably, might, likely, recheck), no repeated text.',
          ]
        : [
            'Rules for the new solution:',
            `1. At most ${options.maxToolCalls} tool calls; use the tools for every computation.`,
            '2. End with the final answer in \\boxed{}.',
            '3. Be decisive and concise: no uncertainty words, no repeated text.',
          ];
  return [
    "You repair tool-integrated reasoning trajectories. You are given a question, a flawed trajectory that an automatic evaluator rejected, and the evaluator's diagnostics.",
    'Write a new, correct trajectory for the question that fixes every diagnosed problem. Re-run any computation you need with the tools: tool results in the flawed trajectory may be wrong.',
    ...format,
  ].join('\n');
}

/** The repairer's user message: question, flawed trajectory, diagnostics. */
export function repairRequest(options: {
  question: string;
  trajectoryText: string;
  diagnostics: ReadonlyArray<string>;
  keptPrefix: boolean;
}): string {
  const lines = [
    `Question:\n${options.question}`,
    '',
    `Flawed trajectory:\n${options.trajectoryText}`,
    '',
    'Evaluator diagnostics:',
    ...(options.diagnostics.length === 0
      ? ['- (none given; the answer or quality was judged insufficient)']
      : options.diagnostics.map((d) => `- ${d}`)),
  ];
  if (options.keptPrefix)
    lines.push(
      '',
      'The steps before the first diagnosed problem were kept; continue the trajectory from there.',
    );
  return lines.join('\n');
}
