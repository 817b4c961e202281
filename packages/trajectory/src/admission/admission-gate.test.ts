import { describe, expect, it } from 'vitest';
import { trajectoryFromText } from '../build-trajectory.js';
import { markdownTirCodec } from '../codecs/markdown-tir.js';
import { renderWithLossMask } from '../render/loss-mask.js';
import type { Metadata } from '../schemas/json-value.js';
import { type AdmissionCode, admissionCodes, checkAdmission } from './admission-gate.js';

const question = 'Tom has 3 boxes of 12 eggs and 5 break. How many are left?';
const GOOD =
  '<think>3 boxes of 12 is 36 eggs; 5 break.</think>\n<code>print(3*12-5)</code>\n<result>31</result>\n<think>31 are left.</think>\n<answer>\\boxed{31}</answer>';

const tags = (text: string, metadata: Metadata = {}) =>
  trajectoryFromText(text, { format: 'tags', taskId: 'eggs', question, metadata }).trajectory;
const codes = (text: string, metadata?: Metadata): AdmissionCode[] =>
  checkAdmission({ trajectory: tags(text, metadata), question }).reasons.map((r) => r.code);

describe('checkAdmission', () => {
  it('admits a well-formed trajectory', () => {
    expect(checkAdmission({ trajectory: tags(GOOD), question })).toEqual({
      admitted: true,
      reasons: [],
    });
  });

  it('refuses a trajectory that does not start with <think> (and fails the paper format)', () => {
    expect(
      codes('<code>print(3*12-5)</code>\n<result>31</result>\n<answer>\\boxed{31}</answer>'),
    ).toEqual(['paper-format', 'think-not-first']);
  });

  it('refuses two answers, though the paper format passes them', () => {
    expect(
      codes('<think>36 - 5.</think>\n<answer>\\boxed{31}</answer>\n<answer>\\boxed{31}</answer>'),
    ).toEqual(['answer-count']);
  });

  it('refuses an empty box, which the paper format passes (`\\boxed{` and a `}`)', () => {
    const verdict = checkAdmission({
      trajectory: tags('<think>36 - 5.</think>\n<answer>\\boxed{}</answer>'),
      question,
    });
    expect(verdict.reasons.map((r) => r.code)).toEqual(['answer-not-boxed', 'prompt-meta-text']);
  });

  it('refuses a whole number written with a zero fraction, the form the RL reward scores 0', () => {
    // The text of a real Qwen2.5-Coder-1.5B-Instruct SFT record (GSM8K train, Weng's wage, a
    // synthesis run of 2026-12-06): the model copied Python's float into the box.
    const weng =
      '<think>Weng earns $12 per hour and babysitting for 50 minutes is equivalent to 50/60 hours (since there are 60 minutes in an hour). The calculation is 12 * (50/60). I will compute it with Python.</think>\n<code>\nearnings = 12 * (50/60)\nprint(earnings)\n</code>\n<result>10.0</result>\n<think>Weng earned $10.00 for babysitting 50 minutes.</think>\n<answer>\\boxed{10.0}</answer>';
    expect(checkAdmission({ trajectory: tags(weng), question }).reasons).toEqual([
      {
        code: 'whole-number-as-decimal',
        message:
          '\\boxed{10.0} writes a whole number with a zero fraction; the answer should be 10',
      },
    ]);
    const boxedAs = (answer: string) => codes(GOOD.replace('\\boxed{31}', `\\boxed{${answer}}`));
    for (const answer of ['31.0', '-31.00', '1,031.0', '\\$31.00', ' 31.0 '])
      expect(boxedAs(answer), answer).toEqual(['whole-number-as-decimal']);
    for (const answer of ['31', '31.5', '0.50', '3.0x', '\\frac{62}{2}', '1,031'])
      expect(boxedAs(answer), answer).toEqual([]);
  });

  it('refuses prompt meta-text in reasoning, not words the question itself holds', () => {
    const leaked = checkAdmission({
      trajectory: tags(GOOD.replace('3 boxes', 'To fix the flawed trajectory: 3 boxes')),
      question,
    });
    expect(leaked.reasons).toEqual([
      {
        code: 'prompt-meta-text',
        message:
          'prompt text copied: "To fix the flawed" (to-fix-the), "flawed trajectory" (qualified-trajectory)',
      },
    ]);
    const evaluatorQuestion = 'An evaluator grades 3 boxes of 12 eggs; 5 break. How many are left?';
    expect(
      checkAdmission({
        trajectory: tags(GOOD.replace('3 boxes', 'The evaluator has 3 boxes')),
        question: evaluatorQuestion,
      }).admitted,
    ).toBe(true);
  });

  it("does not take solutions' own words for prompt text", () => {
    // From real GSM8K solutions (shared/data): repairs are "to fix the flawed ...", not potholes.
    for (const text of [
      'First find the total cost of the asphalt Ron needs to fix the pothole: $25/bucket * 3 buckets = $75',
      "Amalia and Megan's total time to finish their work is 6+4 = 10 hours.",
      'The trajectory of the ball peaks after 2 seconds, so the maybe-evaluated ratio [a/b] is 3.',
    ])
      expect(codes(GOOD.replace('3 boxes of 12 is 36 eggs; 5 break.', text))).toEqual([]);
  });

  it('does not read tool output as the model prose', () => {
    expect(
      codes(GOOD.replace('<result>31</result>', '<result>evaluator diagnostics</result>')),
    ).toEqual([]);
  });

  it('refuses a generation cut by the token limit', () => {
    expect(codes(GOOD, { generation: { finishReason: 'length' } })).toEqual(['token-limit']);
    expect(codes(GOOD, { generation: { finishReason: 'stop' } })).toEqual([]);
  });

  it('checks the rendering it is given (what an SFT record trains on)', () => {
    const trajectory = tags(GOOD);
    const rendered = renderWithLossMask(trajectory.steps, markdownTirCodec);
    expect(checkAdmission({ trajectory, rendered }).reasons.map((r) => r.code)).toEqual([
      'paper-format',
      'think-not-first',
      'answer-count',
      'answer-not-boxed',
    ]);
  });

  it('refuses tool output the model wrote itself (findFabricatedToolOutput), or asks a detector of yours', () => {
    const made = GOOD.replace(
      '31 are left.',
      'Again:\n```python\nprint(36 - 6)\n```\n```output\n30\n```\nSo 31 are left.',
    );
    expect(codes(made)).toEqual(['fabricated-tool-output']);
    const trajectory = tags(made);
    expect(checkAdmission({ trajectory, detectFabricatedToolOutput: null }).admitted).toBe(true);
    const verdict = checkAdmission({
      trajectory: tags(GOOD),
      detectFabricatedToolOutput: (t) =>
        t.steps.length > 0 ? [{ message: 'a ```output block in step 0' }] : [],
    });
    expect(verdict.reasons).toEqual([
      { code: 'fabricated-tool-output', message: 'a ```output block in step 0' },
    ]);
  });

  it('refuses a tool call that only echoes numbers it was given (the tool as decoration)', () => {
    // A real Qwen2.5-Coder-1.5B-Instruct repair (GSM8K train, Jayden's age, the experiment's
    // synthesis of 2026-12-07), admitted before this check: all the algebra in <think>, then
    // Python asked to print the 4 it already has.
    const jayden =
      "<think>Let J be Jayden's current age and E be Ernesto's current age. We know E = 11. In 3 years, Jayden will be J + 3 and Ernesto will be E + 3. This gives us the equation J + 3 = (11 + 3) / 2 = 7. Subtracting 3 from both sides, we find J = 4. So, Jayden is currently 4 years old.</think>\n<code>\nJ = 4\nprint(J)\n</code>\n<result>4</result>\n<answer>\\boxed{4}</answer>";
    expect(checkAdmission({ trajectory: tags(jayden), question }).reasons).toEqual([
      {
        code: 'tool-call-computes-nothing',
        message: 'python call call_0 only prints numbers it was given ("J = 4\\nprint(J)")',
      },
    ]);
    const withCode = (code: string) => codes(GOOD.replace('print(3*12-5)', code));
    for (const code of ['print(31)', 'left = 31\nprint(left)  # the answer', "print('31')"])
      expect(withCode(code), code).toEqual(['tool-call-computes-nothing']);
    // Any work at all is work: an operator, a call, an import, a formatted print, a name this
    // code did not bind.
    for (const code of [
      'left = 3 * 12 - 5\nprint(left)',
      'print(abs(-31))',
      'import math\nprint(31)',
      'left = 31\nprint(f"{left}")',
      'left = 31',
      // A name an earlier call computed, read from the persistent session.
      'print(left)',
    ])
      expect(withCode(code), code).toEqual([]);
    const calculator = (expression: string) =>
      codes(GOOD.replace('<code>print(3*12-5)</code>', `<calculator>${expression}</calculator>`));
    expect(calculator('(31)')).toEqual(['tool-call-computes-nothing']);
    expect(calculator('3*12-5')).toEqual([]);
  });

  it('refuses a failed tool call the trajectory answers past, and admits a recovery', () => {
    // A real Qwen2.5-Coder-1.5B-Instruct repair (GSM8K train, Martha's apples, the experiment's
    // synthesis of 2026-12-07), admitted before this check; the sandbox marked the result an
    // error. The answer is the reasoning's, as if the code had run.
    const martha =
      "<think>Tim has 30 less apples than Martha, so Tim has 68 - 30 = 38 apples. Harry has half as many apples as Tim, so Harry has 38 / 2 = 19 apples.</think>\n<code>\ntim_apples = martha_apples - 30\nharry_apples = tim_apples / 2\nprint(harry_apples)\n</code>\n<result>NameError: name 'martha_apples' is not defined</result>\n<answer>\\boxed{19}</answer>";
    // Text carries no error flag: mark the results the sandbox reported as errors.
    const failing = (text: string, errors: ReadonlyArray<number>) => {
      const trajectory = tags(text);
      let result = 0;
      const steps = trajectory.steps.map((step) =>
        step.type === 'tool-result' ? { ...step, isError: errors.includes(result++) } : step,
      );
      return { ...trajectory, steps };
    };
    expect(checkAdmission({ trajectory: failing(martha, [0]), question }).reasons).toEqual([
      {
        code: 'tool-error-ignored',
        message:
          "python call call_0 failed (NameError: name 'martha_apples' is not defined) and no call after it ran: the answer does not rest on the tool",
      },
    ]);
    const verdict = (text: string, errors: ReadonlyArray<number>) =>
      checkAdmission({ trajectory: failing(text, errors), question }).reasons.map((r) => r.code);
    const retried = GOOD.replace(
      '<code>',
      "<code>print(eggs - 5)</code>\n<result>NameError: name 'eggs' is not defined</result>\n<think>eggs was never set.</think>\n<code>",
    );
    expect(verdict(retried, [0])).toEqual([]);
    expect(verdict(retried, [0, 1])).toEqual(['tool-error-ignored']);
    // A call that ran before the failure does not cover it.
    expect(verdict(retried, [1])).toEqual(['tool-error-ignored']);
    expect(verdict(GOOD, [])).toEqual([]);
  });

  it('reports every failed check in the order of admissionCodes', () => {
    const verdict = checkAdmission({
      trajectory: tags('Let us correct it: 5 + 3 = 9. ```python\nprint(1)\n```', {
        generation: { finishReason: 'length' },
      }),
      detectFabricatedToolOutput: () => [{ message: 'made up' }],
    });
    const got = verdict.reasons.map((r) => r.code);
    expect(got).toEqual(admissionCodes.filter((c) => got.includes(c)));
    expect(got).toEqual([
      'paper-format',
      'answer-count',
      'answer-not-boxed',
      'token-limit',
      'fabricated-tool-output',
      'prose-arithmetic-error',
    ]);
    expect(verdict.reasons.at(-1)!.message).toBe('step 0: "5 + 3 = 9": the left side is 8, not 9');
  });
});
