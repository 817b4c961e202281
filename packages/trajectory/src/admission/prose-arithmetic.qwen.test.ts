import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trajectorySchema } from '../schemas/trajectory.js';
import { checkAdmission } from './admission-gate.js';
import { findProseArithmeticErrors, readProseEquations } from './prose-arithmetic.js';

// Trajectories the real Qwen2.5-Coder-1.5B-Instruct wrote in synthesis runs on GSM8K train
// (prose-arithmetic.qwen.json says which run, file and line each comes from), unchanged.
const recorded = JSON.parse(
  readFileSync(new URL('./prose-arithmetic.qwen.json', import.meta.url), 'utf8'),
) as { note: string; cases: Array<{ name: string; source: string; trajectory: unknown }> };
const cases = recorded.cases.map((c) => ({
  ...c,
  trajectory: trajectorySchema.parse(c.trajectory),
}));
const byName = (name: string) => {
  const found = cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no recorded case ${name}`);
  return found.trajectory;
};

// Each wrong equation the model wrote, with its left side's value: read by hand in every record.
const WRONG: Record<string, Array<[string, string]>> = {
  betty: [['$50 + $15 + $30 = $105', '95']],
  'bear-frac': [['\\frac{1000 - 200 - 400}{2} = 300', '200']],
  'noah-two-sums': [
    ['8 * 60 + 4 * 30 = $480', '600'],
    ['16 * 60 + 8 * 30 = $1080', '1200'],
  ],
  'sally-cents': [
    ['$6 * 365 = $2230', '2190'],
    ['$3690 / 2 = $1845.50', '1845'],
  ],
  'james-decimal-factor': [['$20 * 0.80 = $160', '16']],
  'stamps-labels': [['11 (snowflake) + 20 (truck) + 7 (rose) = 48', '38']],
  'weight-brackets': [['27 + (27 - 7) = 37', '47']],
  'fish-since-bracket': [
    ['48/12 = 12', '4'],
    ['24/6 = 6', '4'],
  ],
  'dvd-decimal-left': [['2.5 * 6 - 6 = 15', '9']],
  'tunnel-subtractions': [
    ['23 - 5 - 8 - 5 = 9', '5'],
    ['9 - 5 - 8 = 0', '-4'],
  ],
  'breakfast-pounds': [
    ['2 * £1 + 2 * £3 = £6', '8'],
    ['1 * £1 + 2 * £3 = £5', '7'],
  ],
  'clothes-display-math': [['30 + 46 + 38 + 11 + 18 = 163', '143']],
  'files-fraction-bracket': [['400 * (1 - 3/5) = 240', '160']],
};

// Right arithmetic the model wrote, every equation checked (none merely skipped).
const RIGHT: Record<string, string[]> = {
  'ok-natalia': ['48 / 2 = 24', '48 + 24 = 72'],
  'ok-frac-equals-frac': ['\\frac{50}{60} = \\frac{5}{6}'],
  'ok-units-rate': ['8 pages / 20 minutes = 0.4'],
  'ok-frac-times': [
    '\\frac{2}{5} \\times 100 = 40',
    '\\frac{1}{3} \\times 75 = 25',
    '40 + 25 = 65',
    '175 - 65 = 110',
  ],
  'ok-chain-money': [
    '10 * $40 = $400',
    '2 * ($40 - 0.05 * $40) = 2 * ($40 - $2)',
    '2 * ($40 - $2) = 2 * $38',
    '2 * $38 = $76',
    '$400 + $76 = $476',
  ],
  'ok-percent-of-which-is': [
    '20% of $1000, which is $200',
    '$200 + $20 = $220',
    '$1000 - $220 = $780',
    '$65 * 4 = $260',
    '$780 - $260 = $520',
  ],
  'ok-rounded-2dp': ['$15 * 4 = $60', '$95 + $15 = $110', '50 / 7 = 7.14'],
  'ok-rounded-3dp': ['20 * 400 = 8000', '8000 / 7 = 1142.857'],
  'ok-decimal-money': ['18.00 + 1/2 * 18.00 = 27.00'],
  'ok-frac-chain': [
    '\\frac{2}{2+5} \\times 2500 = \\frac{2}{7} \\times 2500',
    '\\frac{2}{7} \\times 2500 = \\frac{5000}{7}',
  ],
  'ok-frac-of-difference': [
    '\\frac{28}{7} = 4',
    '\\frac{28 - 4}{2} = 12',
    '28 - 4 - 12 = 12',
    '12 - 1 = 11',
  ],
  'ok-labels': [
    '26 (pink) + 15 (green) + 24 (yellow) = 65',
    '26 - 4 = 22',
    '22 - 6 = 16',
    '2 * 6 = 12',
    '15 - 12 = 3',
    '16 (pink) + 3 (green) + 24 (yellow) = 43',
  ],
  // `x + 2x + 4x = 7x` and `7x = 847` are algebra, not read; then `\frac{847}{7} = 121` is.
  'ok-algebra-then-frac': ['\\frac{847}{7} = 121'],
  // Only algebra (`\frac{10x - 10}{5} = 8`, `10x - 10 = 40`): nothing read.
  'ok-algebra-10x': [],
  // Ages as names (`Jolyn = (Aivo + 5) + 2 = Aivo + 7`): nothing read.
  'ok-ages-in-words': [],
  // `60 / 7 = 8`: 8.57 cut to a whole number.
  'ok-cut-to-whole': [
    '3 * 5 + 4 * 15 = 15 + 60',
    '15 + 60 = 75',
    '75 - 15 = 60',
    '60 / 15 = 4',
    '60 / 7 = 8',
  ],
  'ok-percent-as-fraction': ['40/100 * 60 = 24', '60 - 24 = 36'],
};

const proseOf = (name: string) =>
  byName(name).steps.flatMap((s) => (s.type === 'think' || s.type === 'answer' ? [s.text] : []));

describe('prose arithmetic in real Qwen2.5-Coder-1.5B trajectories', () => {
  it('says where the fixtures come from, and holds every case this file names', () => {
    expect(recorded.note).toMatch(/^Real outputs of Qwen2\.5-Coder-1\.5B-Instruct/);
    expect(cases.map((c) => c.name).sort()).toEqual(
      [...Object.keys(WRONG), ...Object.keys(RIGHT)].sort(),
    );
  });

  it.each(Object.entries(WRONG))('finds the wrong arithmetic in %s', (name, wrong) => {
    const errors = findProseArithmeticErrors(byName(name));
    expect(errors.map((e) => [e.equation, e.value])).toEqual(wrong);
    expect(errors.every((e) => e.stepIndex === 0)).toBe(true);
  });

  it.each(Object.entries(RIGHT))('checks and passes the arithmetic in %s', (name, right) => {
    const read = proseOf(name).flatMap((text) => readProseEquations(text));
    expect(read.map((e) => [e.equation, e.verdict])).toEqual(right.map((eq) => [eq, 'holds']));
    expect(findProseArithmeticErrors(byName(name))).toEqual([]);
  });

  it('refuses the Betty record the gate admitted: its prose sum is wrong while its boxed 5 is right', () => {
    const trajectory = byName('betty');
    expect(trajectory.finalAnswer).toBe('5');
    expect(trajectory.steps.find((s) => s.type === 'tool-result')).toMatchObject({ output: '5' });
    expect(checkAdmission({ trajectory, question: trajectory.question })).toEqual({
      admitted: false,
      reasons: [
        {
          code: 'prose-arithmetic-error',
          message: 'step 0: "$50 + $15 + $30 = $105": the left side is 95, not $105',
        },
      ],
    });
  });

  it('refuses SFT records whose answer is right but whose reasoning says otherwise', () => {
    // The bear: prose 300, code and box 200; Noah: prose $1080, code and box 1200.
    for (const name of ['bear-frac', 'noah-two-sums', 'james-decimal-factor', 'stamps-labels']) {
      const trajectory = byName(name);
      const codes = checkAdmission({ trajectory, question: trajectory.question }).reasons.map(
        (r) => r.code,
      );
      expect(codes, name).toEqual(['prose-arithmetic-error']);
    }
  });
});
