import { describe, expect, it } from 'vitest';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { readProseEquations } from './prose-arithmetic.js';

// The human-written GSM8K train solutions (shared/data/gsm8k/train.jsonl), their calculator
// annotations (`<<48/2=24>>`) removed so the prose equations stand as a reader sees them.
// Every equation the rule finds wrong there was read by hand: each is a slip in the dataset
// (`$4200+$3000 = $8600`; `100 * 0.75 = $0.75` and `5 * 3 = $15,000` leave a unit unsaid,
// `1 cheese +1 meat *+1 vegetable` is garbled). None is right arithmetic refused.
const SLIPS: Array<[line: number, equation: string, value: string]> = [
  [168, '192*100=$1920', '19200'],
  [169, '6*2.5 = $18.00', '15'],
  [199, '6/3=.5', '2'],
  [225, '4080 + 4080 / 2 = 4000 + 2040', '6120'],
  [225, '4000 + 2040 = 6120', '6040'],
  [503, '3/1=1', '3'],
  [717, '100 * 0.75 = $0.75', '75'],
  [3003, '8*3 = 240', '24'],
  [3335, '$4200+$3000 = $8600', '7200'],
  [3410, '10 x .5 = 10', '5'],
  [3860, '5 * 3 = $15,000', '15'],
  [4692, '2*8 = 24', '16'],
  [4974, '200*.55=100', '110'],
  [5351, '13 marbles + 4 marbles + 16 marbles = 45', '33'],
  [5782, '7+9+1+2 = $19.50', '19'],
  [6158, '70 + 40 = 100', '110'],
  [6257, '10 x 1,248 = 11,480', '12480'],
  [6701, '2 / 12 = .125', '0.1667…'],
  [6714, '3 x (8/16) = 6', '1.5'],
  [6761, '4+4+6 = 18', '14'],
  [6813, '50-8 = 44', '42'],
  [6843, '500/ 2/5 = 200', '50'],
  [7179, '1152/ 1,536 = .5', '0.75'],
  [7357, '1 cheese +1 meat *+1 vegetable = 3', '2'],
  [7445, '14*20=140', '280'],
];

describe('readProseEquations on the GSM8K train solutions', () => {
  it('checks over 20,000 equations and finds wrong only the slips in the dataset', () => {
    const found: Array<[number, string, string]> = [];
    let holds = 0;
    readSharedJsonl('gsm8k/train.jsonl').forEach((record, index) => {
      const text = (record as { answer: string }).answer.replace(/<<[^>]*>>/g, '');
      for (const e of readProseEquations(text)) {
        if (e.verdict === 'holds') holds++;
        if (e.verdict === 'wrong') found.push([index + 1, e.equation, e.value]);
      }
    });
    expect(holds).toBeGreaterThan(20_000);
    expect(found).toEqual(SLIPS);
  });
});
