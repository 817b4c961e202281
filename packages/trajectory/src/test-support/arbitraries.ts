import fc from 'fast-check';
import type { Step } from '../schemas/step.js';

/** Text that cannot be mistaken for markup of any codec (no <, >, backticks, or answer-line prefixes). */
const safeChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:+-*/()=?!\'"%$#&_\n'.split(''),
);
export const safeText = fc
  .string({ unit: safeChar, minLength: 1, maxLength: 40 })
  .filter(
    (t) =>
      t.trim() === t &&
      t !== '' &&
      !/(^|\n)\s*(A:|####)/.test(t) &&
      !t.includes('\\boxed') &&
      !t.includes('==') &&
      !t.includes('answer is'),
  );

const toolNames = ['python', 'calculator', 'search'] as const;
const inputField = { python: 'code', calculator: 'expression', search: 'query' } as const;

/** One think / call+result / answer shape that every text codec can express. */
export function stepsArbitrary(
  options: {
    tools?: readonly (typeof toolNames)[number][];
    answer?: 'always' | 'maybe';
    thinkBetween?: boolean;
  } = {},
) {
  const tools = options.tools ?? toolNames;
  const block = fc.oneof(
    safeText.map((text): Step[] => [{ type: 'think', text }]),
    fc.tuple(fc.constantFrom(...tools), safeText, safeText).map(([tool, input, output]): Step[] => [
      { type: 'tool-call', callId: 'x', toolName: tool, input: { [inputField[tool]]: input } },
      { type: 'tool-result', callId: 'x', toolName: tool, output, isError: false },
    ]),
  );
  const answer = fc.tuple(safeText, safeText).map(
    ([text, value]): Step => ({
      type: 'answer',
      text: `${text} \\boxed{${value}}`,
      answer: value,
    }),
  );
  const answerPart = options.answer === 'maybe' ? fc.option(answer, { nil: undefined }) : answer;
  return fc.tuple(fc.array(block, { maxLength: 6 }), answerPart).map(([blocks, final]) => {
    const steps: Step[] = [];
    let calls = 0;
    for (const group of blocks) {
      // Consecutive think steps merge in most formats; keep one reasoning step between calls.
      if (group[0]!.type === 'think' && steps[steps.length - 1]?.type === 'think') continue;
      if (group.length === 2) {
        const callId = `call_${calls++}`;
        steps.push(
          { ...(group[0] as Extract<Step, { type: 'tool-call' }>), callId },
          { ...(group[1] as Extract<Step, { type: 'tool-result' }>), callId },
        );
      } else steps.push(...group);
    }
    if (final !== undefined) steps.push(final);
    return steps;
  });
}
