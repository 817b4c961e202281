import { readFileSync } from 'node:fs';
import { all, create } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../test-support/shared-data.js';
import { normalizeExpression } from './calculate.js';
import { plainArithmetic } from './plain-arithmetic.js';

// The oracle: mathjs configured as the calculator's instance, evaluating the same text.
const math = create(all!, { number: 'number', predictable: false });

/** plainArithmetic must give mathjs' value bit for bit (Object.is: -0 and NaN too), or pass. */
function expectSameAsMathjs(text: string): boolean {
  const ours = plainArithmetic(text);
  if (ours === undefined) return false;
  expect(Object.is(ours, math.evaluate(text)), `${text}: ${ours} vs ${math.evaluate(text)}`).toBe(
    true,
  );
  return true;
}

/** A small seeded generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomExpression(next: () => number, depth = 0): string {
  const pick = <T>(items: ReadonlyArray<T>): T => items[Math.floor(next() * items.length)]!;
  const space = () => pick(['', '', '', ' ', '\t']);
  const operand = (): string => {
    const roll = next();
    if (roll < 0.15 && depth < 4)
      return `(${space()}${randomExpression(next, depth + 1)}${space()})`;
    if (roll < 0.25) return `${pick(['-', '+', '--', '- '])}${operand()}`;
    const digits = String(Math.floor(next() * 10 ** Math.floor(next() * 8)));
    const shape = next();
    if (shape < 0.2) return `${digits}.${Math.floor(next() * 1000)}`;
    if (shape < 0.3) return `.${Math.floor(next() * 100)}`;
    if (shape < 0.35) return `0${digits}`;
    if (shape < 0.4) return '0';
    return digits;
  };
  let text = operand();
  const terms = 1 + Math.floor(next() * 5);
  for (let i = 0; i < terms; i++)
    text += `${space()}${pick(['+', '-', '*', '/'])}${space()}${operand()}`;
  return text;
}

describe('plainArithmetic', () => {
  it("gives mathjs' value for plain arithmetic, operator precedence and signs included", () => {
    const cases = [
      '48/2',
      '3/4*80',
      '0.1+0.2',
      '10/3',
      '80000*.5',
      '15*100000*(1+.5)',
      '2-3-4',
      '2/3/4',
      '2*3/4*5',
      '-2*3',
      '2*-3',
      '2--3',
      '2+-3',
      '--3',
      '+4',
      '-(2+3)*4',
      '((((1))))',
      '1/0',
      '-1/0',
      '0/0',
      '0*-1',
      '-0',
      '-0+0',
      '007.5',
      '12345678901234567890*3',
      '0.1*3-0.3',
      ' 1 +\t2 ',
      '1.25',
    ];
    for (const text of cases) expect(expectSameAsMathjs(text), text).toBe(true);
  });

  it('leaves everything else to mathjs', () => {
    for (const text of [
      '2^10',
      '50%*10',
      'sqrt(16)',
      '2(3)',
      '(2)(3)',
      '2 3',
      '5.',
      '5./2',
      '1e3',
      '.',
      '1.2.3',
      '2 +* 3',
      '(1+2',
      '1+2)',
      '1+\n2',
      'pi',
      '0x10',
      '',
      '()',
      '1+',
    ])
      expect(plainArithmetic(text), text).toBeUndefined();
  });

  it('agrees with mathjs on 20,000 random expressions', () => {
    const next = random(20261207);
    let matched = 0;
    for (let i = 0; i < 20_000; i++) if (expectSameAsMathjs(randomExpression(next))) matched++;
    // The generator writes only plain arithmetic: every case is decided here, none passed on.
    expect(matched).toBe(20_000);
  });

  it('agrees with mathjs on every GSM8K train annotation it reads', () => {
    const annotation = /<<([^=<>]*)=[^<>]*>>/g;
    let total = 0;
    let plain = 0;
    for (const line of readFileSync(sharedDataPath('gsm8k/train.jsonl'), 'utf8').split('\n')) {
      if (line === '') continue;
      const { answer } = JSON.parse(line) as { answer: string };
      for (const [, expression] of answer.matchAll(annotation)) {
        total++;
        if (expectSameAsMathjs(normalizeExpression(expression!))) plain++;
      }
    }
    // Nearly all annotations are plain arithmetic; the rest (`^`, `%`, variables) go to mathjs.
    expect(total).toBeGreaterThan(20_000);
    expect(plain / total).toBeGreaterThan(0.95);
  });
});
