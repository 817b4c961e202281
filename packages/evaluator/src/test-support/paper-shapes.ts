/**
 * Malformed model text, as real models write it under the text-tag protocol, for the
 * differential tests of the paper preset: the tag codec repairs these shapes in the steps, and
 * the paper's code reads the text as written, so a preset that scored the steps rendered again
 * would differ from the paper on them.
 */

/** The shapes, each a way a model's text leaves the tag format. */
export const paperShapes = [
  // Seen in real Qwen2.5-Coder-1.5B output (synthesis on GSM8K train, 2026-12-06):
  'unclosed-think', // <think> never closed: the code (or the end of the text) follows it
  'outside-words', // prose before the first tag and between blocks
  'truncated', // cut off by the token limit, mid-reasoning or mid-code
  'tagless', // markdown prose with fenced code, no tag at all
  // From the issue (issue 25) and the paper's regexes:
  'code-in-think', // <think> reasoning <code>..</code> <result>..</result> more </think>
  'after-answer', // words after </answer>
  'upper-case-tags', // <THINK>..</THINK>: the paper's regex ignores case, the codec does not
  'stray-close', // a </think> with no <think> before it
  'two-answers', // an earlier <answer> block; the paper reads the last
] as const;
export type PaperShape = (typeof paperShapes)[number];

const HEDGES = ['maybe', 'Perhaps', 'it seems', 'probably', 'I might', 'likely'];

/**
 * `text` (in the tag format) reshaped; `k` picks among variants (where the cut falls, which
 * hedge word) so a corpus covers them deterministically. Hedge words are put where the shape
 * moves text in or out of a closed think block, so confidence depends on reading it right.
 */
export function malform(text: string, shape: PaperShape, k: number): string {
  const hedge = HEDGES[k % HEDGES.length]!;
  const firstClose = text.indexOf('</think>');
  switch (shape) {
    case 'unclosed-think': {
      if (firstClose < 0) return `<think>${hedge} ${text}`;
      // The hedge sits in the block the codec closes and the paper never reads.
      return `${text.slice(0, firstClose)} ${hedge} so${text.slice(firstClose + 8)}`;
    }
    case 'outside-words': {
      const between = text.indexOf('</result>');
      const prose = `Let me work it out, ${hedge} step by step.\n`;
      if (between < 0) return `${prose}${text}`;
      const at = between + 9;
      return `${prose}${text.slice(0, at)}\nThat is ${hedge} the value we need.\n${text.slice(at)}`;
    }
    case 'truncated': {
      const cut = Math.floor(text.length * (0.35 + 0.1 * (k % 6)));
      return text.slice(0, cut);
    }
    case 'tagless':
      return text
        .replace(/<(code|calculator)>/g, '```python\n')
        .replace(/<\/(code|calculator)>\n?<result>/g, '\n```\n```output\n')
        .replace(/<\/result>/g, '\n```')
        .replace(/<\/?(think|answer)>/g, '');
    case 'code-in-think': {
      const result = text.indexOf('</result>', firstClose);
      if (firstClose < 0 || result < 0) return `<think>${hedge}: ${text}</think>`;
      // The first block now spans a call: the codec splits it, the paper reads it whole.
      const end = result + 9;
      return `${text.slice(0, firstClose)}${text.slice(firstClose + 8, end)} ${hedge} right.</think>${text.slice(end)}`;
    }
    case 'after-answer':
      return `${text}\nI hope this is right, ${hedge}.`;
    case 'upper-case-tags':
      return text.replace(/<think>/g, '<THINK>').replace(/<\/think>/g, `, ${hedge}</THINK>`);
    case 'stray-close':
      return `I ${hedge} know this one.</think>\n${text}`;
    case 'two-answers':
      return `<answer>\\boxed{0}</answer>\n${text}`;
  }
}

/**
 * Modelled on real Qwen2.5-Coder-1.5B-Instruct outputs (GSM8K train, `tags-example` prompt,
 * 2026-12-06; the run kept only the parsed steps): each shape as that model wrote it, with the
 * result the environment appended; wording shortened, numbers adapted so some texts are right.
 */
export const qwenShapedTexts: ReadonlyArray<{ gold: string; texts: string[] }> = [
  {
    // A call inside a think block that is never closed; the answer after the result.
    gold: '9',
    texts: [
      "<think>Samantha's last name has three fewer letters than Bobbie's last name. Jamie's last name has 4 letters, so it might be that Bobbie's has 10. Let's verify this with Python.\n<code>\njamie = 4\nbobbie = jamie * 2 + 2\nprint(bobbie - 3)\n</code>\n<result>7</result>\n<answer>\\boxed{7}</answer>",
      "<think>Jamie's last name, Grey, has 4 letters. Twice that is 8, plus the 2 letters Bobbie took off is 10. Samantha has 3 fewer: 7.</think>\n<code>\nprint(4 * 2 + 2 - 3)\n</code>\n<result>9</result>\n<answer>\\boxed{9}</answer>",
    ],
  },
  {
    // Stopped without <answer>: the box is in the unclosed think block.
    gold: '41',
    texts: [
      '<think>First, we calculate the total amount Alexis spent on the items she knows the cost of.\n\\[ 30 + 46 + 38 + 11 + 18 = 143 \\text{ dollars} \\]\nShe probably has $16 left, so the shoes cost:\n\\[ 200 - 143 - 16 = 41 \\]\nTherefore, Alexis paid \\(\\boxed{41}\\) dollars for the shoes.',
      '<think>The known items cost 30 + 46 + 38 + 11 + 18 = 143 dollars; 200 - 16 - 143 = 41.</think>\n<answer>\\boxed{41}</answer>',
    ],
  },
  {
    // Markdown with no tag at all, cut off by the token limit after an output fence it wrote.
    gold: '15',
    texts: [
      "Let's solve this problem step by step using Python. It seems simple.\n\n1. **Calculate the total amount of oil in the 10 cans:** 10 x 8 = 80 liters\n\n```python\ntotal = 290 - 10 * 8\nprint(total / 14)\n```\n```output",
      '<think>10 cans hold 80 liters, the other 14 hold 290 - 80 = 210 liters, 15 each.</think>\n<answer>\\boxed{15}</answer>',
    ],
  },
  {
    // Cut off inside the code: the call has no result.
    gold: '5',
    texts: [
      "<think>Tobias's savings from mowing lawns and shoveling driveways: maybe set up an equation. 60 + 7d = 95.</think>\n<code>\ntotal_savings = 95 + 15\ndriveways = (total_savings - 15 * 4) // 7\nprint(driveways",
      '<think>He had 95 + 15 = 110; lawns gave 60; the rest, 35, is 5 driveways at 7.</think>\n<answer>\\boxed{5}</answer>',
      "<think>Mike's share is 2/7 of the profit, perhaps 1000.</think>\n<code>\nprint(110 - 60)\n</code>\n<result>50</result>\nThe final answer is \\boxed{5}.",
    ],
  },
];
