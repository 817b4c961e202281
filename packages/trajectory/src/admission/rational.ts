/**
 * Exact rationals over bigint, for checking arithmetic written in prose without float error
 * (`0.1 + 0.2 = 0.3` is right, and a check in floats would say otherwise).
 */
export interface Rational {
  /** Carries the sign. */
  readonly num: bigint;
  /** Always > 0; the fraction is in lowest terms. */
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rational(num: bigint, den = 1n): Rational {
  if (den === 0n) throw new RangeError('a rational with denominator 0');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export const ZERO = rational(0n);

/** The exact value of a decimal numeral (`'1250'`, `'3.75'`). */
export function fromDecimal(intPart: string, fraction = ''): Rational {
  return rational(BigInt(intPart + fraction), 10n ** BigInt(fraction.length));
}

export const add = (a: Rational, b: Rational) =>
  rational(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rational, b: Rational) =>
  rational(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Rational, b: Rational) => rational(a.num * b.num, a.den * b.den);
/** `a / b`; throws a RangeError when `b` is 0. */
export const div = (a: Rational, b: Rational) => rational(a.num * b.den, a.den * b.num);
export const neg = (a: Rational): Rational => ({ num: -a.num, den: a.den });
export const compare = (a: Rational, b: Rational): number => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
export const isZero = (a: Rational) => a.num === 0n;
export const min = (...xs: Rational[]) => xs.reduce((m, x) => (compare(x, m) < 0 ? x : m));
export const max = (...xs: Rational[]) => xs.reduce((m, x) => (compare(x, m) > 0 ? x : m));

/** A short decimal for messages: exact when it terminates within `digits` places, else rounded with `…`. */
export function formatRational(a: Rational, digits = 4): string {
  const negative = a.num < 0n;
  const abs = negative ? -a.num : a.num;
  const scale = 10n ** BigInt(digits);
  const scaled = abs * scale;
  const exact = scaled % a.den === 0n;
  const rounded = (scaled + a.den / 2n) / a.den;
  const whole = rounded / scale;
  const fraction = (rounded % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  const text = fraction === '' ? whole.toString() : `${whole}.${fraction}`;
  return `${negative && rounded !== 0n ? '-' : ''}${text}${exact ? '' : '…'}`;
}
