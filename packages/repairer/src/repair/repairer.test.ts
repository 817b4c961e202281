import { builtinPrompts, createVllmProvider } from '@autotraj/generation';
import {
  arithmeticRuntime,
  assistantPrefix,
  continueTagScript,
  type LoopbackServer,
  lastUserText,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import { trajectoryFromText } from '@autotraj/trajectory';
import { afterEach, describe, expect, it } from 'vitest';
import { paperRuleEvaluator } from '../testing/index.js';
import { thresholdAcceptance } from './acceptance.js';
import { createRepairer, validPrefix } from './repairer.js';

const task = {
  id: 'task_eggs',
  question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many eggs are left?',
  goldAnswers: ['31'],
  dataSource: 'test',
  metadata: {},
};
const good =
  '<think>36 eggs minus 5 broken.</think>\n<calculator>3*12-5</calculator>\n<think>31 eggs are left.</think>\n<answer>\\boxed{31}</answer>';
const wrongText =
  '<think>3 boxes of 12 eggs is 36.</think>\n<calculator>3*12</calculator>\n<result>36</result>\n<think>Minus 5 is maybe 30.</think>\n<answer>\\boxed{30}</answer>';
const original = trajectoryFromText(wrongText, {
  format: 'tags',
  taskId: task.id,
  question: task.question,
}).trajectory;

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const chat = (s: LoopbackServer) =>
  createVllmProvider({ baseURL: s.baseURL }).languageModel('repairer');

describe('createRepairer', () => {
  it('regenerate: repair-trajectory shows the repairer the bad trajectory and what to fix, runs tools, re-evaluates and accepts', async () => {
    server = await startLoopbackServer({
      reply: (request) => ({ text: continueTagScript(good, assistantPrefix(request.messages)) }),
    });
    const calculator = arithmeticRuntime();
    const evaluator = paperRuleEvaluator();
    const repairer = createRepairer({
      model: chat(server),
      tools: [calculator],
      evaluator,
      prompt: builtinPrompts['repair-trajectory']!,
    });
    const result = await repairer.repair({ task, trajectory: original });

    expect(result.status).toBe('accepted');
    expect(result.attempts).toBe(1);
    expect(result.before.correct).toBe(false);
    expect(result.after).toMatchObject({ correct: true });
    expect(result.after!.quality).toBeGreaterThan(0.8);
    expect(result.repaired!.finalAnswer).toBe('31');
    expect(result.repaired!.provenance).toMatchObject({
      origin: 'repaired',
      parentId: original.id,
      sampling: { temperature: 0 },
    });
    // The tool really ran during the repair.
    expect(calculator.calls).toEqual([{ expression: '3*12-5' }]);
    const prompt = lastUserText(server.requests[0]!.messages);
    expect(prompt).toContain('<answer>\\boxed{30}</answer>');
    // What to fix comes as instructions, never as evaluator codes or messages.
    expect(prompt).toContain('Their final answer, 30, is wrong.');
    expect(prompt).not.toMatch(/\[uncertainty\]|diagnostic|flawed|evaluator/i);
    // Both the original and the repair were evaluated: acceptance is never assumed.
    expect(evaluator.evaluated).toEqual([original.id, result.repaired!.id]);
  });

  it("by default (repair-question, the paper's input) shows the repairer the question alone", async () => {
    server = await startLoopbackServer({
      reply: (request) => ({ text: continueTagScript(good, assistantPrefix(request.messages)) }),
    });
    const repairer = createRepairer({
      model: chat(server),
      tools: [arithmeticRuntime()],
      evaluator: paperRuleEvaluator(),
    });
    const result = await repairer.repair({ task, trajectory: original });

    expect(result.status).toBe('accepted');
    const prompt = lastUserText(server.requests[0]!.messages);
    expect(prompt.endsWith(`Problem: ${task.question}`)).toBe(true);
    // Neither the earlier attempt nor its answer: this model repeats an answer it is shown.
    expect(prompt).not.toContain('\\boxed{30}');
    expect(prompt).not.toContain('Their final answer');
  });

  it('resume: keeps the valid prefix (with its tool result) and regenerates from the first faulty step', async () => {
    const tail = '<think>36 minus 5 is 31.</think>\n<answer>\\boxed{31}</answer>';
    server = await startLoopbackServer({ reply: () => ({ text: tail }) });
    const calculator = arithmeticRuntime();
    const repairer = createRepairer({
      model: chat(server),
      tools: [calculator],
      evaluator: paperRuleEvaluator(),
      strategy: 'resume',
    });
    const result = await repairer.repair({ task, trajectory: original });

    expect(result.status).toBe('accepted');
    expect(result.history[0]).toMatchObject({ strategy: 'resume', keptSteps: 3 });
    expect(result.repaired!.steps.slice(0, 3)).toEqual(
      original.steps.slice(0, 3).map((s) => expect.objectContaining({ type: s.type })),
    );
    expect(result.repaired!.steps[2]).toMatchObject({ type: 'tool-result', output: '36' });
    expect(calculator.calls).toEqual([]);
    const continuation = server.requests[0]!.messages.at(-1)!;
    expect(continuation.role).toBe('assistant');
    expect(continuation.content).toContain('<result>36</result>');
    expect(continuation.content).not.toContain('maybe');
  });

  it('marks a hard case after maxAttempts, and later attempts see the previous failed repair', async () => {
    const stillWrong = '<think>It is 29.</think>\n<answer>\\boxed{29}</answer>';
    server = await startLoopbackServer({ reply: () => ({ text: stillWrong }) });
    const repairer = createRepairer({
      model: chat(server),
      tools: [arithmeticRuntime()],
      evaluator: paperRuleEvaluator(),
      maxAttempts: 2,
      prompt: builtinPrompts['repair-trajectory']!,
    });
    const result = await repairer.repair({ task, trajectory: original });
    expect(result.status).toBe('hard');
    expect(result.attempts).toBe(2);
    expect(result.reason).toBe('repaired answer is wrong');
    expect(result.after?.correct).toBe(false);
    expect(lastUserText(server.requests[1]!.messages)).toContain('\\boxed{29}');
  });

  it('a repair whose model keeps failing is a hard case with the reason, not an exception', async () => {
    server = await startLoopbackServer({
      reply: () => ({ text: good }),
      fault: () => ({ fault: 'server-error', status: 503 }),
    });
    const repairer = createRepairer({
      model: chat(server),
      tools: [arithmeticRuntime()],
      evaluator: paperRuleEvaluator(),
      retry: { retries: 1, baseDelayMs: 1 },
    });
    const result = await repairer.repair({ task, trajectory: original });
    expect(result.status).toBe('hard');
    expect(result.repaired).toBeNull();
    expect(result.reason).toMatch(/server-error/);
  });
});

describe('acceptance source', () => {
  it("uses the evaluator's own acceptRepair by default, and 'paper' on request", async () => {
    server = await startLoopbackServer({
      reply: (request) => ({ text: continueTagScript(good, assistantPrefix(request.messages)) }),
    });
    const strict = {
      ...paperRuleEvaluator(),
      acceptRepair: () => ({ accepted: false, reason: 'evaluator says no' }),
    };
    const byEvaluator = await createRepairer({
      model: chat(server),
      tools: [arithmeticRuntime()],
      evaluator: strict,
    }).repair({ task, trajectory: original });
    expect(byEvaluator).toMatchObject({ status: 'hard', reason: 'evaluator says no' });
    const byPaper = await createRepairer({
      model: chat(server),
      tools: [arithmeticRuntime()],
      evaluator: strict,
      acceptance: 'paper',
    }).repair({ task, trajectory: original });
    expect(byPaper.status).toBe('accepted');
  });
});

describe('acceptance and prefixes', () => {
  const report = (correct: boolean | null, quality: number) => ({
    trajectoryId: 't',
    correct,
    quality,
    dimensions: {},
    diagnostics: [],
  });
  it('applies the paper thresholds: 0.8 for wrong inputs, 0.86 and beat-the-original for low-quality ones', () => {
    const rule = thresholdAcceptance();
    expect(rule({ original: report(false, 0.9), repaired: report(true, 0.81) }).accepted).toBe(
      true,
    );
    expect(rule({ original: report(false, 0.9), repaired: report(true, 0.8) }).accepted).toBe(
      false,
    );
    expect(rule({ original: report(true, 0.7), repaired: report(true, 0.87) }).accepted).toBe(true);
    expect(rule({ original: report(true, 0.7), repaired: report(true, 0.85) }).accepted).toBe(
      false,
    );
    expect(rule({ original: report(true, 0.88), repaired: report(true, 0.87) }).accepted).toBe(
      false,
    );
    expect(rule({ original: report(true, 0.5), repaired: report(false, 1) }).accepted).toBe(false);
    expect(
      thresholdAcceptance({ lowQuality: 0.5, beatOriginal: false })({
        original: report(true, 0.9),
        repaired: report(true, 0.6),
      }).accepted,
    ).toBe(true);
  });

  it('never keeps a call without its result or an answer in the prefix', () => {
    const steps = original.steps;
    expect(
      validPrefix(steps, [{ stepIndex: 2, code: 'tool-error', message: '' }])?.map((s) => s.type),
    ).toEqual(['think']);
    expect(
      validPrefix(steps, [{ stepIndex: 9, code: 'x', message: '' }])?.map((s) => s.type),
    ).toEqual(['think', 'tool-call', 'tool-result', 'think']);
    expect(validPrefix(steps, [{ stepIndex: null, code: 'no-answer', message: '' }])).toBeNull();
  });
});
