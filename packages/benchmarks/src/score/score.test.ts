import { describe, expect, it } from 'vitest';
import { pairedBootstrap } from './bootstrap.js';
import { checkAnswer } from './check-answer.js';
import { majorityVote, voteKey } from './majority.js';
import { passAtK, reportedKs } from './pass-at-k.js';

const answered = (finalAnswer: string | null) => ({ steps: [], finalAnswer });

describe('passAtK', () => {
  it('matches hand-computed values of 1 - C(n-c,k)/C(n,k)', () => {
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12); // 1 - 3/5
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12); // 1 - C(3,2)/C(5,2) = 1 - 3/10
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12); // C(7,5)=21, C(10,5)=252
    expect(passAtK(4, 0, 4)).toBe(0);
    expect(passAtK(3, 3, 1)).toBe(1);
    expect(passAtK(5, 4, 2)).toBe(1); // n - c < k: every draw of 2 holds a correct one
    expect(passAtK(200, 1, 1)).toBeCloseTo(0.005, 12);
  });

  it('rejects impossible counts', () => {
    expect(() => passAtK(4, 5, 1)).toThrow(/0 <= c <= n/);
    expect(() => passAtK(4, 1, 5)).toThrow(/k <= n/);
    expect(reportedKs(1)).toEqual([1]);
    expect(reportedKs(8)).toEqual([1, 2, 4, 8]);
    expect(reportedKs(5)).toEqual([1, 2, 4, 5]);
  });
});

describe('majorityVote', () => {
  it('takes the most frequent answer and breaks ties by the first given', () => {
    const votes = [
      { answer: '12', correct: false },
      { answer: '\\dfrac{1}{2}', correct: true },
      { answer: '\\frac{1}{2}', correct: true },
      { answer: '12', correct: false },
    ];
    // Two votes each: "12" was given first.
    expect(majorityVote(votes, 'math')).toEqual({
      answer: '12',
      correct: false,
      votes: 2,
      tie: true,
    });
    expect(
      majorityVote([...votes, { answer: ' \\frac{1}{2}', correct: true }], 'math'),
    ).toMatchObject({
      answer: '\\dfrac{1}{2}',
      correct: true,
      votes: 3,
      tie: false,
    });
  });

  it('math answers equal by value vote together, written however they were', () => {
    const votes = [
      { answer: '2', correct: false },
      { answer: '0.5', correct: true },
      { answer: '2.0', correct: false },
      { answer: '\\frac12', correct: true },
      { answer: '1/2', correct: true },
      { answer: 'x', correct: false },
    ];
    // 0.5 = \frac12 = 1/2 (3 votes) beat 2 = 2.0 (2 votes): by written form it was 2 to 1.
    expect(majorityVote(votes, 'math')).toEqual({
      answer: '0.5',
      correct: true,
      votes: 3,
      tie: false,
    });
    // A caller's own equivalence replaces the verifier; by key alone 2 leads.
    expect(majorityVote(votes, 'math', { equivalent: () => false })).toMatchObject({
      answer: '2',
      votes: 1,
      tie: true,
    });
    // QA answers are grouped by normalisation only, unless told otherwise.
    const qa = [
      { answer: 'New York City', correct: true },
      { answer: 'N.Y.C.', correct: true },
      { answer: 'Gotham', correct: false },
      { answer: 'gotham', correct: false },
      { answer: 'nyc', correct: true },
    ];
    // SQuAD normalisation makes N.Y.C. and nyc one answer, tied with Gotham; N.Y.C. came first.
    expect(majorityVote(qa, 'qa')).toMatchObject({ answer: 'N.Y.C.', votes: 2, tie: true });
    const aliases = new Set(['nyc', 'new york city']);
    expect(
      majorityVote(qa, 'qa', {
        equivalent: (a, b) => aliases.has(voteKey(a, 'qa')) && aliases.has(voteKey(b, 'qa')),
      }),
    ).toMatchObject({ answer: 'New York City', correct: true, votes: 3, tie: false });
  });

  it('ignores samples without an answer and groups QA answers by SQuAD normalisation', () => {
    expect(majorityVote([{ answer: null, correct: false }], 'qa')).toEqual({
      answer: null,
      correct: false,
      votes: 0,
      tie: false,
    });
    const qa = [
      { answer: null, correct: false },
      { answer: 'Paris', correct: true },
      { answer: 'London', correct: false },
      { answer: 'the paris.', correct: true },
    ];
    expect(majorityVote(qa, 'qa')).toMatchObject({ answer: 'Paris', votes: 2, tie: false });
    expect(voteKey('The  Titan IIIE!', 'qa')).toBe('titan iiie');
  });
});

describe('pairedBootstrap', () => {
  const a = [1, 0, 0, 1, 0, 1, 0, 0, 1, 0];
  const b = [1, 1, 0, 1, 1, 1, 0, 1, 1, 0];

  it('is reproducible with a seed and differs with another', () => {
    const one = pairedBootstrap(a, b, { seed: 7, resamples: 2000 });
    expect(pairedBootstrap(a, b, { seed: 7, resamples: 2000 })).toEqual(one);
    expect(one.delta).toBeCloseTo(0.3, 12);
    expect(one.low).toBeLessThanOrEqual(one.delta);
    expect(one.high).toBeGreaterThanOrEqual(one.delta);
    // b is never worse than a on any question, so no resample can give a negative delta.
    expect(one.low).toBeGreaterThanOrEqual(0);
    const other = pairedBootstrap(a, b, { seed: 8, resamples: 2000 });
    expect([other.low, other.high]).not.toEqual([one.low, one.high]);
  });

  it('gives a zero-width interval when every question moves the same way', () => {
    const r = pairedBootstrap([0, 0, 0], [1, 1, 1]);
    expect(r).toMatchObject({ delta: 1, low: 1, high: 1, level: 0.95, resamples: 10_000 });
    expect(() => pairedBootstrap([1], [1, 0])).toThrow(/equal lengths/);
  });
});

describe('checkAnswer', () => {
  it('QA: EM and F1 after SQuAD normalisation, the best over aliases', async () => {
    expect(
      await checkAnswer({
        kind: 'qa',
        goldAnswers: ['james madison'],
        trajectory: answered('James Madison.'),
      }),
    ).toEqual({
      correct: true,
      extractedAnswer: 'James Madison.',
      em: 1,
      f1: 1,
    });
    const partial = await checkAnswer({
      kind: 'qa',
      goldAnswers: ['Titan IIIE'],
      trajectory: answered('a Titan rocket'),
    });
    expect(partial).toMatchObject({ correct: false, em: 0 });
    expect(partial.f1).toBeCloseTo(0.5, 12); // pred {titan, rocket}, gold {titan, iiie}
    const alias = await checkAnswer({
      kind: 'qa',
      goldAnswers: ['New York City', 'NYC'],
      trajectory: answered('nyc'),
    });
    expect(alias).toMatchObject({ correct: true, em: 1, f1: 1 });
    expect(
      await checkAnswer({ kind: 'qa', goldAnswers: ['x'], trajectory: answered(null) }),
    ).toEqual({
      correct: false,
      extractedAnswer: null,
      em: 0,
      f1: 0,
    });
  });

  it('math: equivalence, not string equality', async () => {
    const check = (gold: string, pred: string) =>
      checkAnswer({ kind: 'math', goldAnswers: [gold], trajectory: answered(pred) }).then(
        (r) => r.correct,
      );
    expect(await check('18', '18.0')).toBe(true);
    expect(await check('70000', '70,000')).toBe(true);
    expect(await check('\\dfrac{1}{9}', '1/9')).toBe(true);
    expect(await check('\\frac{14}{3}', '\\frac{28}{6}')).toBe(true);
    expect(await check('\\left( 3, \\frac{\\pi}{2} \\right)', '(3, \\pi/2)')).toBe(true);
    expect(await check('18', '19')).toBe(false);
    expect(await check('p - q', 'q - p')).toBe(false);
  });
});
