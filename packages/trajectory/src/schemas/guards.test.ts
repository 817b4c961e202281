import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trajectoryFromSteps } from '../build-trajectory.js';
import { gsm8kModelSolutionTrajectories } from '../sources/gsm8k.js';
import { stepsArbitrary } from '../test-support/arbitraries.js';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { isDatetime, isTask, isTrajectory } from './guards.js';
import { isSealedTrajectory } from './sealed.js';
import { taskSchema } from './task.js';
import { trajectorySchema } from './trajectory.js';

// The guards let hot paths use a value as is instead of parsing it. They may say no to a valid
// value (the schema then parses it), never yes to one the schema rejects or would change.
function agrees(
  guard: (v: unknown) => boolean,
  schema: typeof taskSchema | typeof trajectorySchema,
) {
  return (value: unknown) => {
    if (!guard(value)) return;
    const parsed = schema.safeParse(value);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toStrictEqual(value);
  };
}

const text = fc.string({ maxLength: 6 });
const json = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>;
// Values of every kind the fields could be given: right types, wrong types, edge numbers.
const anyValue = fc.oneof(
  text,
  fc.constant(''),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0.5, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(text, { maxLength: 2 }),
  fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
  fc.constant({}),
  fc.constant(() => 1),
  fc.constant(new Date(0)),
  fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-01', 'yesterday'),
  fc.constantFrom('think', 'tool-call', 'tool-result', 'answer', 'sampled', 'rollout', 'other'),
  json,
);

const provenance = fc.record(
  {
    model: text,
    origin: fc.constantFrom('sampled', 'repaired', 'imported', 'reference', 'rollout'),
    format: text,
    sampling: fc.record(
      { temperature: fc.double({ noNaN: true, noDefaultInfinity: true }), seed: fc.integer() },
      { requiredKeys: [] },
    ),
    usage: fc.record({ inputTokens: fc.nat(), totalTokens: fc.nat() }, { requiredKeys: [] }),
    startedAt: fc.constant('2024-05-01T12:00:00.000Z'),
    durationMs: fc.nat(),
    parentId: text,
  },
  { requiredKeys: [] },
);

const validTrajectory = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 6 }),
    taskId: fc.string({ minLength: 1, maxLength: 6 }),
    question: text,
    steps: stepsArbitrary({ answer: 'maybe' }),
    finalAnswer: fc.option(text, { nil: null }),
    provenance,
    metadata: fc.dictionary(text, json, { maxKeys: 2 }),
  },
  { requiredKeys: ['id', 'taskId', 'steps'] },
);

const validTask = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 6 }),
    question: text,
    goldAnswers: fc.array(text, { maxLength: 2 }),
    dataSource: text,
    metadata: fc.dictionary(text, json, { maxKeys: 2 }),
  },
  { requiredKeys: ['id', 'question'] },
);

type Path = Array<string | number>;

/** Every path to a field or array element inside `value`. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const plain =
    Array.isArray(value) ||
    (typeof value === 'object' &&
      value !== null &&
      Object.getPrototypeOf(value) === Object.prototype);
  if (!plain) return [];
  const out: Path[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path, ...pathsOf(child, path));
  }
  return out;
}

/** A deep copy of plain objects and arrays; anything else (functions, dates) is shared. */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  )
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

const isEmptyContainer = (value: unknown) =>
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.keys(value).length === 0);

type Mutation = { kind: 'set' | 'delete' | 'add'; pick: number; replacement: unknown };
const mutation = fc.record({
  kind: fc.constantFrom('set', 'delete', 'add') as fc.Arbitrary<Mutation['kind']>,
  pick: fc.nat(),
  replacement: anyValue,
});

/** A copy of `value` with one field replaced, removed, or an unknown key added beside it. */
function mutate(value: unknown, { kind, pick, replacement: shared }: Mutation): unknown {
  // Generated objects may be shared between runs: insert a copy, so no cycle is ever built.
  const replacement = clone(shared);
  if (typeof value !== 'object' || value === null) return kind === 'set' ? replacement : value;
  const copy = clone(value) as Record<string | number, unknown>;
  const paths = [[], ...pathsOf(copy)] as Path[];
  const path = paths[pick % paths.length]!;
  let parent: Record<string | number, unknown> = copy;
  // Named properties of arrays are the guards' one stated blind spot (JSON cannot carry them).
  const addTo = (target: unknown) => {
    if (!Array.isArray(target)) (target as Record<string, unknown>).extraKey = replacement;
  };
  if (path.length === 0) {
    if (kind === 'add') addTo(copy);
    return kind === 'set' ? replacement : copy;
  }
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  if (typeof parent !== 'object' || parent === null) return copy;
  const last = path[path.length - 1]!;
  if (kind === 'set') parent[last] = replacement;
  else if (kind === 'delete') delete parent[last];
  else if (pathsOf(parent[last]).length > 0 || isEmptyContainer(parent[last])) addTo(parent[last]);
  else addTo(parent);
  return copy;
}

describe('hand-written guards agree with the schemas', () => {
  it('say yes to what the schemas return, and the schema returns it unchanged', () => {
    fc.assert(
      fc.property(validTrajectory, (input) => {
        const parsed = trajectorySchema.parse(input);
        expect(isTrajectory(parsed)).toBe(true);
        agrees(isTrajectory, trajectorySchema)(parsed);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(validTask, (input) => {
        const parsed = taskSchema.parse(input);
        expect(isTask(parsed)).toBe(true);
        agrees(isTask, taskSchema)(parsed);
      }),
      { numRuns: 300 },
    );
  });

  it('never say yes to a value the schema rejects or changes (one field set, removed or added)', () => {
    fc.assert(
      fc.property(
        validTrajectory.map((t) => trajectorySchema.parse(t)),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (trajectory, mutations) => {
          const value = mutations.reduce<unknown>((v, m) => mutate(v, m), trajectory);
          agrees(isTrajectory, trajectorySchema)(value);
        },
      ),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        validTask.map((t) => taskSchema.parse(t)),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (task, mutations) => {
          const value = mutations.reduce<unknown>((v, m) => mutate(v, m), task);
          agrees(isTask, taskSchema)(value);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never say yes to arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        agrees(isTrajectory, trajectorySchema)(value);
        agrees(isTask, taskSchema)(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('reject what the schema rejects or rewrites, by hand-picked cases', () => {
    const ok = trajectorySchema.parse({
      id: 't',
      taskId: 'k',
      steps: [
        { type: 'tool-call', callId: 'a', toolName: 'python', input: { code: '1' } },
        { type: 'tool-result', callId: 'a', toolName: 'python', output: '1' },
      ],
    });
    expect(isTrajectory(ok)).toBe(true);
    const cases: unknown[] = [
      { ...ok, finalAnswer: undefined }, // the default would fill it
      { ...ok, steps: [ok.steps[1]] }, // a result with no call
      { ...ok, steps: [ok.steps[0], ok.steps[0]] }, // a duplicate call id
      { ...ok, steps: [{ ...ok.steps[1], isError: undefined }] },
      { ...ok, provenance: { startedAt: 'yesterday' } },
      { ...ok, provenance: { durationMs: -1 } },
      { ...ok, provenance: { usage: { inputTokens: 1.5 } } },
      { ...ok, metadata: { x: Number.NaN } },
      { ...ok, extra: 1 }, // the schema strips unknown keys
      Object.assign(Object.create({ inherited: 1 }), ok),
    ];
    for (const value of cases) {
      expect(isTrajectory(value)).toBe(false);
      agrees(isTrajectory, trajectorySchema)(value);
    }
    expect(isTask({ id: 'x', question: 'q', goldAnswers: [], dataSource: 'd' })).toBe(false);
    expect(isTask({ id: '', question: 'q', goldAnswers: [], dataSource: 'd', metadata: {} })).toBe(
      false,
    );
  });

  it('read timestamps as the schema does (its own pattern, without the parse around it)', () => {
    const schema = trajectorySchema.shape.provenance.unwrap().shape.startedAt.unwrap();
    const timestamp = fc
      .date({ min: new Date(-1e14), max: new Date(1e14), noInvalidDate: true })
      .map((d) => d.toISOString());
    // Timestamps as written, then edited: a character changed, dropped or added anywhere.
    const edited = fc
      .tuple(timestamp, fc.nat(), fc.constantFrom('', '0', '9', 'Z', '+', ':', '.', 'T', ' ', '-'))
      .chain(([t, at, c]) =>
        fc.constantFrom(
          t,
          t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1),
          t.slice(0, at % t.length) + c + t.slice(at % t.length),
          t.replace(/\.\d+Z$/, 'Z'),
          t.replace('Z', '+00:00'),
        ),
      );
    fc.assert(
      fc.property(fc.oneof(edited, fc.string(), anyValue), (value) => {
        expect(isDatetime(value)).toBe(schema.safeParse(value).success);
      }),
      { numRuns: 5000 },
    );
    expect(isDatetime('2024-02-29T00:00:00Z')).toBe(true);
    expect(isDatetime('2023-02-29T00:00:00Z')).toBe(false);
  });

  it('take a trajectory the library sealed as it is (checked when built, frozen since)', () => {
    const built = trajectoryFromSteps(
      { steps: [{ type: 'answer', text: '\\boxed{1}', answer: '1' }], finalAnswer: '1' },
      { taskId: 'k', provenance: { startedAt: '2024-05-01T12:00:00.000Z' } },
    );
    expect(isSealedTrajectory(built)).toBe(true);
    expect(isTrajectory(built)).toBe(true);
    agrees(isTrajectory, trajectorySchema)(built);
    expect(Object.isFrozen(built.steps[0])).toBe(true);
  });

  it('say yes to real GSM8K model solutions once parsed (the hot path takes the fast route)', () => {
    const raw = readSharedJsonl('gsm8k/model-solutions.dev.jsonl').slice(0, 40);
    let seen = 0;
    for (const line of raw) {
      const { task, solutions } = gsm8kModelSolutionTrajectories(line);
      expect(isTask(task)).toBe(true);
      agrees(isTask, taskSchema)(task);
      for (const { trajectory } of solutions) {
        expect(isTrajectory(trajectory)).toBe(true);
        agrees(isTrajectory, trajectorySchema)(trajectory);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(100);
  });
});
