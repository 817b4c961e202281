import fc from 'fast-check';

/** Separators: Python whitespace (some of it not JavaScript's \s) and look-alikes that are not. */
export const separators = [
  ' ',
  ' ',
  ' ',
  '\n',
  '\t',
  '\r\n',
  '\x1c',
  '\x1f',
  '\x85',
  '\xa0',
  '\u2003',
  '\u3000',
  '\u2028',
  '\ufeff',
  '\u200b',
  '',
  '  ',
];

/** Word pieces: the paper's uncertainty words in odd cases and scripts, tags, boxes, numbers. */
export const pieces = [
  'maybe',
  'Maybe',
  'MAYBE',
  'mAyBe',
  'ſeems',
  'SEEMS',
  'mİght',
  'mıght',
  'lıkely',
  'liKely',
  'LIKELY',
  'émaybe',
  'maybeé',
  'maybe_',
  '_maybe',
  'maybe2',
  'probably.',
  '(perhaps)',
  'guess?',
  'unsure,',
  'recheck!',
  'seemsʹ',
  'x\u0301maybe',
  'might\u0301',
  '<think>',
  '</think>',
  '<THINK>',
  '</Think>',
  '<thİnk>',
  '</thinK>',
  '<think >',
  '<answer>',
  '</answer>',
  '<ANSWER>',
  '<code>',
  '</code>',
  '<search>',
  '</search>',
  '<result>',
  '</result>',
  '<|im_end|>',
  '<|im_start|>assistant\n',
  '\\boxed{',
  '}',
  '{',
  '\\boxed{4}',
  '\\boxed{-4}',
  '\\boxed{4.0}',
  '\\boxed{1,000}',
  '\\boxed{\\frac{1}{2}}',
  '\\boxed 4',
  '\\boxed {4}',
  '\\fbox{4}',
  'ed{4}',
  '\\text{need{4}}',
  '$',
  '\\boxed{yes}',
  '\\boxed{no}',
  'yes',
  'no',
  'Yes',
  'noanswer',
  'the',
  'a',
  'an',
  'The',
  'A',
  'Paris',
  'paris',
  'France',
  'city',
  '4',
  '-5',
  '5',
  '3.5',
  '35',
  '1,000',
  '1000',
  '４',
  '٤',
  '18',
  'A:',
  'x=5,',
  'y=3',
  'so',
  'we',
  'get',
  'it',
  'is',
  'w',
  'w',
  'w',
  'é',
  'ǅ',
  'ß',
  'İ',
];

/** A text of pieces and separators; a small alphabet so trigrams repeat often. */
export const textArb = fc
  .array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom(...separators)), { maxLength: 40 })
  .map((parts) => parts.map(([piece, sep]) => piece + sep).join(''));

/** A text shaped like the paper's trajectories (think, optional calls, answer), with noise. */
export const trajectoryArb = fc
  .record({
    lead: fc.constantFrom('', ' ', 'Sure. ', '\ufeff', '<think>'),
    think: textArb,
    calls: fc.array(fc.tuple(fc.constantFrom('code', 'search'), textArb, textArb, fc.boolean()), {
      maxLength: 5,
    }),
    answer: fc.constantFrom(
      '\\boxed{4}',
      '\\boxed{-4}',
      'The answer is \\boxed{Paris}',
      '\\boxed 4',
      '\\fbox{4}',
      '',
      '\\boxed{}',
      '}\\boxed{',
      '\\boxed{yes}',
      'no',
      '\\boxed{\\frac{1}{2}}',
      '\\boxed{1,000}',
    ),
    answers: fc.integer({ min: 0, max: 2 }),
    tail: fc.constantFrom('', '<|im_end|>', ' trailing', '\n', '<answer>\\boxed{5}</answer>'),
    noise: textArb,
  })
  .map(({ lead, think, calls, answer, answers, tail, noise }) => {
    let text = `${lead}<think>${think}</think>`;
    for (const [tag, body, result, closed] of calls)
      text += closed
        ? `<${tag}>${body}</${tag}><result>${result}</result>`
        : `<${tag}>${body}<result>${result}`;
    for (let i = 0; i < answers; i++) text += `<answer>${answer}</answer>`;
    return text + (answers === 0 ? noise : '') + tail;
  });

export const goldArb = fc.constantFrom(
  '4',
  '-4',
  '5',
  '{4}',
  '\\boxed{4}',
  '1000',
  '{Paris}',
  'Paris',
  'the city of Paris',
  'yes',
  'no',
  '{yes}',
  '',
  '\\frac{1}{2}',
  '0.5',
  '{1,000}',
  'noanswer',
);

/** Deterministic samples: the same cases on every run and machine. */
export function samples<T>(arb: fc.Arbitrary<T>, count: number, seed: number): T[] {
  return fc.sample(arb, { numRuns: count, seed });
}
