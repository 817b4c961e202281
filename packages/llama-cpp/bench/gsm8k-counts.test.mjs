import { createTagCodec } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { cellCounts, cellThroughput, trajectoryFacts } from './gsm8k-counts.mjs';

// Hand-built trajectories shaped as the text-tag loop builds them: the model's text parsed by
// the tag codec (its issues in metadata.issues), tool results from the sandbox.
const codec = createTagCodec();
let n = 0;
function fromText(text, { errors = [], outputTokens = 100 } = {}) {
  const parsed = codec.parse(text);
  let call = 0;
  const steps = parsed.steps.map((step) => {
    if (step.type !== 'tool-result') return step;
    return { ...step, isError: errors.includes(call++) };
  });
  return {
    id: `traj_${++n}`,
    taskId: 'task_1',
    steps,
    finalAnswer: parsed.finalAnswer,
    provenance: { usage: { outputTokens } },
    metadata: parsed.issues.length === 0 ? {} : { issues: parsed.issues },
  };
}
const good = `<think>48 / 2 = 24 in May.</think>
<code>
print(48 + 48 // 2)
</code>
<result>72</result>
<answer>\\boxed{72}</answer>`;
const prose = 'To solve this problem, we add the clips. So, the answer is 12.';
const noThink = `<code>
print(1 +)
</code>
<result>SyntaxError: invalid syntax</result>
<answer>\\boxed{3}</answer>`;
const threeCalls = `<think>a</think>
<code>
print(1)
</code>
<result>1</result>
<calculator>2*3</calculator>
<result>6</result>
<code>
x
</code>
<result>NameError</result>
<answer>\\boxed{6}</answer>`;

describe('trajectoryFacts', () => {
  it('a tagged trajectory whose code ran is well-formed, with one call that ran', () => {
    expect(trajectoryFacts(fromText(good))).toMatchObject({
      wellFormed: true,
      problems: [],
      toolCalls: 1,
      codeCells: 1,
      codeCellsRan: 1,
      toolErrors: 0,
      answered: true,
    });
  });

  it('prose with no tags is not well-formed: text outside tags, no answer', () => {
    const facts = trajectoryFacts(fromText(prose));
    expect(facts.wellFormed).toBe(false);
    expect(facts.problems).toEqual(
      expect.arrayContaining(['parse/text-outside-tags', 'parse/missing-answer']),
    );
    expect(facts).toMatchObject({ toolCalls: 0, codeCells: 0, answered: false });
  });

  it('prose before the first tag is not well-formed although its tag rendering would pass', () => {
    const t = fromText(`Sure, let me solve it.\n${good}`);
    expect(t.metadata.issues.map((i) => i.code)).toEqual(['text-outside-tags']);
    expect(trajectoryFacts(t)).toMatchObject({
      wellFormed: false,
      problems: ['parse/text-outside-tags'],
      toolCalls: 1,
    });
  });

  it('a code cell whose result is an error did not run; no <think> first breaks the format', () => {
    const facts = trajectoryFacts(fromText(noThink, { errors: [0] }));
    expect(facts).toMatchObject({
      wellFormed: false,
      codeCells: 1,
      codeCellsRan: 0,
      toolErrors: 1,
    });
    expect(facts.problems).toContain('first-token-not-think');
  });

  it('counts calculator calls as tool calls but not as code cells; a timeout did not run', () => {
    const t = fromText(threeCalls, { errors: [2] });
    t.steps = t.steps.map((s) =>
      s.type === 'tool-result' && s.output === '1' ? { ...s, timedOut: true, isError: false } : s,
    );
    expect(trajectoryFacts(t)).toMatchObject({
      wellFormed: true,
      toolCalls: 3,
      codeCells: 2,
      codeCellsRan: 0,
      toolErrors: 2,
    });
    expect(trajectoryFacts(t, { maxToolCalls: 2 }).problems).toEqual(['too-many-tool-calls']);
  });
});

const candidate = (trajectory, correct, action) => ({
  trajectory,
  correct,
  decision: { action, reason: 'test' },
});
const entry = (taskId, candidates, { accepted = [], hard = [] } = {}) => ({
  id: taskId,
  taskId,
  candidates,
  sft: [
    ...candidates
      .filter((c) => c.decision.action === 'keep')
      .map((c) => ({ origin: 'kept', trajectory: c.trajectory })),
    ...accepted.map((t) => ({ origin: 'repaired', trajectory: t })),
  ],
  pairs: [],
  hard: hard.map((t) => ({ lastAttempt: t })),
});

describe('cellCounts', () => {
  it('counts well-formed, tool use, correct answers and repairs as the journal records them', () => {
    const entries = [
      entry('a', [candidate(fromText(good, { outputTokens: 40 }), true, 'keep')]),
      entry('b', [candidate(fromText(prose, { outputTokens: 512 }), false, 'repair')], {
        accepted: [fromText(good, { outputTokens: 30 })],
      }),
      // As the paper's loose check accepts it: "The answer is 10." matches the gold 10.
      entry('d', [candidate(fromText(prose, { outputTokens: 7 }), false, 'repair')], {
        accepted: [fromText('The answer is 10.', { outputTokens: 5 })],
      }),
      entry(
        'c',
        [candidate(fromText(noThink, { errors: [0], outputTokens: 20 }), false, 'repair')],
        {
          hard: [fromText(prose, { outputTokens: 512 }), null],
        },
      ),
    ];
    expect(cellCounts(entries)).toEqual({
      problems: 4,
      candidates: 4,
      wellFormed: 1,
      withToolCall: 2,
      toolCalls: 2,
      codeCells: 2,
      codeCellsRan: 1,
      answered: 2,
      correct: 1,
      kept: 1,
      discarded: 0,
      repairsAttempted: 3,
      repairsAccepted: 2,
      repairsAcceptedWellFormed: 1,
      repairsWellFormed: 1,
      repairOutputs: 3,
      trajectories: 7,
      outputTokens: 40 + 512 + 7 + 20 + 30 + 5 + 512,
      repairOutputTokens: 30 + 5 + 512,
    });
  });
});

describe('cellThroughput', () => {
  it('sums each run up to its last finished problem and counts every problem once', () => {
    const entries = [
      entry('a', [candidate(fromText(good, { outputTokens: 60 }), true, 'keep')]),
      entry('b', [candidate(fromText(good, { outputTokens: 60 }), true, 'keep')]),
      entry('c', [candidate(fromText(good, { outputTokens: 120 }), true, 'keep')]),
    ];
    const progress = [
      { runId: 'r1', taskId: 'a', atMs: 10_000 },
      { runId: 'r1', taskId: 'b', atMs: 20_000 },
      // A killed run that finished c, then a rerun that re-logged c (never double counted).
      { runId: 'r2', taskId: 'c', atMs: 10_000 },
      { runId: 'r3', taskId: 'c', atMs: 0 },
    ];
    expect(cellThroughput(entries, progress)).toEqual({
      wallSeconds: 30,
      outputTokens: 240,
      trajectories: 3,
      tokensPerSecond: 8,
      trajectoriesPerMinute: 6,
    });
  });

  it('counts only the repairs of a cell whose candidates were replayed', () => {
    const entries = [
      entry('a', [candidate(fromText(prose, { outputTokens: 500 }), false, 'repair')], {
        hard: [fromText(prose, { outputTokens: 100 })],
      }),
    ];
    const progress = [{ runId: 'r1', taskId: 'a', atMs: 20_000 }];
    expect(cellThroughput(entries, progress, { repairsOnly: true })).toMatchObject({
      outputTokens: 100,
      trajectories: 1,
      tokensPerSecond: 5,
      trajectoriesPerMinute: 3,
    });
  });
});
