import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVllmProvider } from '@autotraj/generation';
import {
  arithmeticRuntime,
  assistantPrefix,
  continueTagScript,
  type LoopbackServer,
  startLoopbackServer,
} from '@autotraj/generation/testing';
import { trajectoryFromText, ValidationError } from '@autotraj/trajectory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  createRepairer,
  RepairerConfigError,
  repairSteps,
  resolveAcceptance,
  runtimesFromAiTools,
  synthesize,
  thresholdAcceptance,
} from './index.js';
import { paperRuleEvaluator } from './testing/index.js';

// A task as a user writes it: no goldAnswers / dataSource / metadata (defaults filled).
const task = {
  id: 'task_eggs',
  question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many are left?',
};
const good =
  '<think>36 eggs minus 5 broken.</think>\n<calculator>3*12-5</calculator>\n<think>31 eggs are left.</think>\n<answer>\\boxed{31}</answer>';
const original = trajectoryFromText(
  '<think>3 boxes of 12 eggs is 36, maybe 30 are left.</think>\n<answer>\\boxed{30}</answer>',
  { format: 'tags', taskId: task.id },
).trajectory;

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer({
    reply: (request) => ({ text: continueTagScript(good, assistantPrefix(request.messages)) }),
  });
});
afterAll(() => server.close());

const options = () => ({
  model: createVllmProvider({ baseURL: server.baseURL }).languageModel('repairer'),
  tools: [arithmeticRuntime()],
  evaluator: paperRuleEvaluator(),
});

async function invalid(call: () => unknown, entry: string, field: string): Promise<void> {
  let thrown: unknown;
  try {
    await call();
  } catch (error) {
    thrown = error;
  }
  expect(RepairerConfigError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as RepairerConfigError;
  expect(error.code).toBe('invalid_input');
  expect(error.message).toContain(`${entry}: ${field}:`);
  expect((error.cause as ValidationError).issues[0]?.path).toBe(field);
  expect(ValidationError.isInstance(error.cause)).toBe(true);
}

describe('createRepairer entry input', () => {
  it('repairs a task given without its defaulted fields', async () => {
    const result = await createRepairer(options()).repair({ task, trajectory: original } as never);
    // No gold answer: the repair is judged on quality alone, without a crash on goldAnswers.
    expect(result.before.correct).toBeNull();
    expect(result.original.id).toBe(original.id);
  });

  it('refuses a missing option, a wrong type and a misspelt key, naming them', async () => {
    const { evaluator: _e, ...noEvaluator } = options();
    await invalid(
      () => createRepairer(noEvaluator as never),
      'createRepairer',
      'options.evaluator',
    );
    await invalid(
      () => createRepairer({ ...options(), maxAttempts: '2' } as never),
      'createRepairer',
      'options.maxAttempts',
    );
    await invalid(
      () => createRepairer({ ...options(), maxAttempt: 2 } as never),
      'createRepairer',
      'options.maxAttempt',
    );
  });

  it('repair: refuses a missing field, a wrong type and a misspelt key before any model call', async () => {
    const repairer = createRepairer(options());
    await invalid(
      () => repairer.repair({ task: { id: 'x' }, trajectory: original } as never),
      'repairer.repair',
      'task.question',
    );
    await invalid(
      () => repairer.repair({ task, trajectory: { ...original, steps: 'none' } } as never),
      'repairer.repair',
      'trajectory.steps',
    );
    await invalid(
      () => repairer.repair({ task, trajectory: original, gruop: [] } as never),
      'repairer.repair',
      'gruop',
    );
  });
});

describe('synthesize entry input', () => {
  const run = (extra: Record<string, unknown>, tasks: unknown[] = [task]) => {
    const { model, tools, evaluator } = options();
    return {
      tasks,
      policy: { model, tools },
      repairer: createRepairer({ model, tools, evaluator }),
      evaluator,
      n: 1,
      ...extra,
    };
  };

  it('refuses a missing field, a wrong type and a misspelt key before touching outDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    const outDir = join(dir, 'run');
    try {
      await invalid(() => synthesize(run({}) as never), 'synthesize', 'options.outDir');
      await invalid(() => synthesize(run({ outDir, n: '2' }) as never), 'synthesize', 'options.n');
      await invalid(
        () => synthesize(run({ outDir, concurency: 2 }) as never),
        'synthesize',
        'options.concurency',
      );
      await invalid(
        () =>
          synthesize({
            ...run({ outDir }),
            policy: { ...run({}).policy, maxToolCall: 2 },
          } as never),
        'synthesize',
        'options.policy.maxToolCall',
      );
      expect(existsSync(outDir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks each task as it is read, naming its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      await invalid(
        () => synthesize(run({ outDir: join(dir, 'run') }, [task, { id: 'q2' }]) as never),
        'synthesize',
        'options.tasks[1].question',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('acceptance rules, repairSteps and runtimesFromAiTools: entry input', () => {
  const report = (correct: boolean | null, quality: number) => ({
    trajectoryId: 't',
    correct,
    quality,
    dimensions: {},
    diagnostics: [],
  });

  it('take well-formed input', async () => {
    const rule = thresholdAcceptance({ wrongAnswer: 0.5 });
    expect(
      rule({ original: report(false, 0.2), repaired: report(true, 0.6) } as never).accepted,
    ).toBe(true);
    const paper = resolveAcceptance('paper', paperRuleEvaluator());
    expect(
      paper({ original: report(false, 0.2), repaired: report(true, 0.6) } as never).accepted,
    ).toBe(false);
    expect(runtimesFromAiTools({ add: { execute: async () => 1 } } as never)[0]?.name).toBe('add');
  });

  it('refuse a missing field, naming it', async () => {
    const rule = thresholdAcceptance();
    await invalid(
      () => rule({ original: report(false, 0.2) } as never),
      'thresholdAcceptance(...)',
      'input.repaired',
    );
    await invalid(
      () => repairSteps({ repairer: createRepairer(options()), steps: [] } as never),
      'repairSteps',
      'input.task',
    );
    await invalid(
      () => runtimesFromAiTools({ add: { description: 'adds' } } as never),
      'runtimesFromAiTools',
      'tools.add.execute',
    );
  });

  it('refuse a wrong type, naming the field', async () => {
    await invalid(
      () => thresholdAcceptance({ lowQuality: '0.9' } as never),
      'thresholdAcceptance',
      'thresholds.lowQuality',
    );
    await invalid(
      () => resolveAcceptance('strict' as never, paperRuleEvaluator()),
      'resolveAcceptance',
      'option',
    );
    const rule = resolveAcceptance(undefined, paperRuleEvaluator());
    await invalid(
      () =>
        rule({
          original: report(false, 0.2),
          repaired: { ...report(true, 1), quality: 'high' },
        } as never),
      'resolveAcceptance(...)',
      'input.repaired.quality',
    );
    await invalid(
      () => repairSteps({ repairer: {}, task, steps: [] } as never),
      'repairSteps',
      'input.repairer',
    );
    await invalid(
      () =>
        repairSteps({
          repairer: createRepairer(options()),
          task,
          steps: [{ content: 'x' }],
        } as never),
      'repairSteps',
      'input.steps[0].content',
    );
  });

  it('refuse a misspelt key, naming it', async () => {
    await invalid(
      () => thresholdAcceptance({ beatOrginal: false } as never),
      'thresholdAcceptance',
      'thresholds.beatOrginal',
    );
    await invalid(
      () => resolveAcceptance({ lowQualty: 0.9 } as never, paperRuleEvaluator()),
      'resolveAcceptance',
      'option.lowQualty',
    );
    await invalid(
      () => repairSteps({ repairer: createRepairer(options()), task, step: [] } as never),
      'repairSteps',
      'input.step',
    );
  });
});
