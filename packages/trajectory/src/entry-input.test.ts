import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The package's main entry, as a user imports it.
import {
  admitPreferencePairs,
  admitRecords,
  admitSftRecords,
  checkAdmission,
  checkRunDir,
  claimShardDir,
  contentId,
  createJsonlWriter,
  createRejectsFile,
  createTagCodec,
  diffRunSettings,
  findFabricatedToolOutput,
  findIdleToolCalls,
  findPromptMetaText,
  findProseArithmeticErrors,
  findTextFormToolCalls,
  findTrajectoryTextFormToolCalls,
  formatDroppedByReason,
  getTextCodec,
  gsm8kModelSolutionTrajectories,
  gsm8kReferenceTrajectory,
  gsm8kTask,
  lossMaskArray,
  markdownTirCodec,
  openJournalStore,
  openRunDir,
  preferencePairFromTrl,
  preferencePairSchema,
  promptMessages,
  promptRef,
  promptTemplateHash,
  readExistingIds,
  readJsonl,
  readJsonlArray,
  readRunJson,
  readRunSettings,
  recordPromptMessages,
  recordToTrajectories,
  renderAiSdkMessages,
  renderOpenAiChat,
  renderPromptTemplate,
  renderWithLossMask,
  runSettingsFileSchema,
  sampleSeed,
  sourceTextOf,
  tagCodec,
  taskId,
  taskSetDigest,
  toAlpaca,
  toolResultStep,
  toraTrajectory,
  toShareGpt,
  toTrlPreference,
  trajectoryFromSteps,
  trajectoryFromText,
  trajectoryId,
  trajectoryToText,
  ValidationError,
  writeFileAtomic,
  writeJsonAtomic,
} from './index.js';
import { isSealedTrajectory } from './internal/index.js';

const trajectory = {
  id: 't1',
  taskId: 'q1',
  steps: [
    { type: 'think', text: 'Six times seven.' },
    { type: 'tool-call', callId: 'c1', toolName: 'python', input: { code: 'print(6*7)' } },
    { type: 'tool-result', callId: 'c1', toolName: 'python', output: '42' },
    { type: 'answer', text: '\\boxed{42}', answer: '42' },
  ],
};
// Records as a user writes them: only the required fields (defaults filled in).
const pair = {
  id: 'p1',
  taskId: 'q1',
  question: 'What is 6 * 7?',
  chosen: trajectory,
  rejected: { ...trajectory, id: 't2', steps: [{ type: 'answer', text: '\\boxed{41}' }] },
};
const sft = {
  id: 's1',
  taskId: 'q1',
  question: 'What is 6 * 7?',
  trajectory,
  origin: 'kept',
  rendered: { format: 'tags', text: '<think>Six times seven.</think>', spans: [] },
};

function invalid(call: () => unknown, entry: string, field: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(ValidationError.isInstance(thrown), String(thrown)).toBe(true);
  const error = thrown as ValidationError;
  expect(error.code).toBe('validation_failed');
  expect(error.issues[0]?.path).toBe(field);
  expect(error.message).toContain(entry);
  expect(error.message).toContain(`field ${field}:`);
}

describe('dataset exports and the admission gate: entry input', () => {
  it('take records given without their defaulted fields', () => {
    expect(toTrlPreference(pair as never).chosen).toContain('print(6*7)');
    expect(toShareGpt(sft as never).conversations[0]).toEqual({
      from: 'human',
      value: 'What is 6 * 7?',
    });
    expect(checkAdmission({ trajectory } as never).admitted).toBe(true);
  });

  it('refuse a missing field, naming it', () => {
    const { rejected: _r, ...noRejected } = pair;
    invalid(() => toTrlPreference(noRejected as never), 'toTrlPreference', 'pair.rejected');
    const { rendered: _x, ...noRendered } = sft;
    invalid(() => toAlpaca(noRendered as never), 'toAlpaca', 'record.rendered');
  });

  it('refuse a wrong type, naming the field', () => {
    invalid(
      () =>
        toShareGpt({
          ...sft,
          trajectory: { ...trajectory, steps: [{ type: 'think', text: 1 }] },
        } as never),
      'toShareGpt',
      'record.trajectory.steps[0].text',
    );
    invalid(
      () => checkAdmission({ trajectory: { ...trajectory, id: '' } } as never),
      'checkAdmission',
      'trajectory.id',
    );
  });

  it('refuse a misspelt option or argument key; ignore unknown record keys as the JSONL readers do', async () => {
    invalid(
      () => toTrlPreference(pair as never, { fromat: 'tags' } as never),
      'toTrlPreference',
      'options.fromat',
    );
    invalid(
      () => checkAdmission({ trajectory, qestion: 'q' } as never),
      'checkAdmission',
      'qestion',
    );
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const extra = { ...pair, reviewer: 'me' };
      writeFileSync(join(dir, 'pairs.jsonl'), `${JSON.stringify(extra)}\n`);
      const [fromFile] = await readJsonlArray(join(dir, 'pairs.jsonl'), {
        schema: preferencePairSchema,
      });
      expect(fromFile).not.toHaveProperty('reviewer');
      expect(toTrlPreference(extra as never)).toEqual(toTrlPreference(fromFile!));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('codecs and text functions: entry input', () => {
  it('take steps given without their defaulted fields', () => {
    expect(tagCodec.render(trajectory.steps as never)).toContain('<code>');
    expect(trajectoryToText(trajectory as never, 'markdown-tir')).toContain('```python');
    const built = trajectoryFromText('<think>a</think><answer>\\boxed{1}</answer>', {
      format: 'tags',
      taskId: 'q1',
    });
    expect(built.trajectory.finalAnswer).toBe('1');
  });

  it('refuse a missing field, naming it', () => {
    invalid(
      () => tagCodec.render([{ type: 'think' }] as never),
      'tagCodec.render',
      'steps[0].text',
    );
    invalid(() => trajectoryToText({} as never, 'tags'), 'trajectoryToText', 'trajectory.steps');
    invalid(
      () => trajectoryFromText('<answer>1</answer>', { format: 'tags' } as never),
      'trajectoryFromText',
      'options.taskId',
    );
    invalid(
      () => trajectoryFromSteps({ steps: [] } as never, { taskId: 'q1' }),
      'trajectoryFromSteps',
      'parsed.finalAnswer',
    );
  });

  it('refuse a wrong type, naming the field', () => {
    invalid(() => markdownTirCodec.parse(42 as never), 'markdownTirCodec.parse', 'text');
    invalid(
      () => getTextCodec('gsm8k-calculator').renderSegments('x' as never),
      'gsm8kCalculatorCodec.renderSegments',
      'steps',
    );
    invalid(
      () => trajectoryToText(trajectory as never, 'html' as never),
      'trajectoryToText',
      'format',
    );
    invalid(
      () => renderOpenAiChat([{ type: 'answer', text: 1 }] as never),
      'renderOpenAiChat',
      'steps[0].text',
    );
  });

  it('refuse a misspelt option key; ignore unknown step keys as the JSONL readers do', () => {
    invalid(
      () => createTagCodec({ fenceCod: true } as never),
      'createTagCodec',
      'options.fenceCod',
    );
    invalid(
      () => trajectoryFromText('x', { format: 'tags', taskId: 'q1', salf: 1 } as never),
      'trajectoryFromText',
      'options.salf',
    );
    invalid(
      () => renderAiSdkMessages([], { reasoningAS: 'text' } as never),
      'renderAiSdkMessages',
      'options.reasoningAS',
    );
    const noted = trajectory.steps.map((step) => ({ ...step, note: 'x' }));
    expect(tagCodec.render(noted as never)).toBe(tagCodec.render(trajectory.steps as never));
  });
});

describe('sealed trajectories (built by the library, taken by entry points unchecked)', () => {
  const text =
    '<think>6*7</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>';

  it('cannot be changed, so what the check accepted stays true', () => {
    const metadata = { tags: ['mine'] };
    const { trajectory: built } = trajectoryFromText(text, {
      format: 'tags',
      taskId: 'q1',
      metadata,
    });
    expect(isSealedTrajectory(built)).toBe(true);
    // Every object in it is frozen: a write throws (ES modules are strict).
    expect(() => {
      (built.steps[0] as { text: unknown }).text = 42;
    }).toThrow(TypeError);
    expect(() => (built.steps as unknown[]).push({ type: 'think' })).toThrow(TypeError);
    expect(() => {
      (built.metadata.tags as unknown[])[0] = () => 1;
    }).toThrow(TypeError);
    expect(() => {
      (built as { id: string }).id = '';
    }).toThrow(TypeError);
    const call = built.steps[1]!;
    expect(call.type === 'tool-call' && Object.isFrozen(call.input)).toBe(true);
    // The caller's own objects are copied, never frozen.
    expect(Object.isFrozen(metadata.tags)).toBe(false);
    expect(built.metadata.tags).toEqual(['mine']);
  });

  it('a copy is a new, unsealed value that the entry points check again', () => {
    const { trajectory: built } = trajectoryFromText(text, { format: 'tags', taskId: 'q1' });
    const copy = structuredClone(built);
    expect(isSealedTrajectory(copy)).toBe(false);
    (copy.steps[0] as { text: unknown }).text = 42;
    invalid(
      () => checkAdmission({ trajectory: copy }),
      'checkAdmission',
      'trajectory.steps[0].text',
    );
    invalid(
      () => trajectoryToText({ ...built, steps: copy.steps }, 'tags'),
      'trajectoryToText',
      'trajectory.steps[0].text',
    );
  });
});

describe('admission sets, loss masks, prompt turns, TRL import and the JSONL writer: entry input', () => {
  const trl = {
    prompt: 'What is 6 * 7?',
    chosen: '<think>6*7</think><answer>\\boxed{42}</answer>',
    rejected: '<answer>\\boxed{41}</answer>',
  };
  const rendered = { text: 'ab', spans: [{ start: 0, end: 1, source: 'model' }] };

  it('take records given without their defaulted fields', () => {
    expect(admitSftRecords('none', [sft] as never).admitted[0]?.metadata).toEqual({});
    expect(admitPreferencePairs('none', [pair] as never).admitted[0]?.source).toBe('repair');
    expect(admitRecords('none', 'q', [sft] as never, []).sft[0]?.metadata).toEqual({});
    expect(formatDroppedByReason({ duplicate: 1 })).toBe('duplicate 1');
    expect(renderWithLossMask(trajectory.steps as never, tagCodec).spans.length).toBeGreaterThan(1);
    expect([...lossMaskArray(rendered as never)]).toEqual([1, 0]);
    expect(promptMessages({ user: 'u' })).toEqual([{ role: 'user', content: 'u' }]);
    expect(recordPromptMessages(sft as never)).toEqual([
      { role: 'user', content: 'What is 6 * 7?' },
    ]);
    expect(preferencePairFromTrl(trl, { format: 'tags' }).chosen.finalAnswer).toBe('42');
  });

  it('refuse a missing field, naming it', () => {
    const { rendered: _r, ...noRendered } = sft;
    invalid(
      () => admitSftRecords('well-formed', [sft, noRendered] as never),
      'admitSftRecords',
      'records[1].rendered',
    );
    const { chosen: _c, ...noChosen } = pair;
    invalid(
      () => admitPreferencePairs('none', [noChosen] as never),
      'admitPreferencePairs',
      'pairs[0].chosen',
    );
    invalid(
      () => admitRecords('none', 'q', [], [noChosen] as never),
      'admitRecords',
      'pairs[0].chosen',
    );
    invalid(() => lossMaskArray({ text: 'ab' } as never), 'lossMaskArray', 'rendered.spans');
    invalid(() => promptMessages({} as never), 'promptMessages', 'turns.user');
    invalid(() => recordPromptMessages({} as never), 'recordPromptMessages', 'record.question');
    invalid(
      () => renderWithLossMask([{ type: 'think' }] as never, tagCodec),
      'renderWithLossMask',
      'steps[0].text',
    );
  });

  it('refuse a wrong type, naming the field', () => {
    invalid(() => admitSftRecords('strict' as never, []), 'admitSftRecords', 'mode');
    invalid(() => admitRecords('none', 7 as never, [], []), 'admitRecords', 'question');
    invalid(
      () => formatDroppedByReason({ duplicate: 'one' } as never),
      'formatDroppedByReason',
      'byReason.duplicate',
    );
    invalid(
      () => renderWithLossMask(trajectory.steps as never, { name: 'tags' } as never),
      'renderWithLossMask',
      'codec',
    );
    invalid(
      () => lossMaskArray({ text: 'ab', spans: [{ start: 0, end: 1, source: 'human' }] } as never),
      'lossMaskArray',
      'rendered.spans[0].source',
    );
    invalid(
      () => preferencePairFromTrl(trl, { format: 'html' } as never),
      'preferencePairFromTrl',
      'options.format',
    );
    invalid(() => createJsonlWriter(42 as never), 'createJsonlWriter', 'path');
    invalid(
      () => createJsonlWriter(join(tmpdir(), 'never.jsonl'), { fsyncEvery: -1 }),
      'createJsonlWriter',
      'options.fsyncEvery',
    );
  });

  it('refuse a misspelt option key before anything is done', () => {
    // Turns are a record (a PromptTurns carries name, version and hash): other keys ignored.
    expect(promptMessages({ user: 'u', name: 'p', version: 1 } as never)).toEqual([
      { role: 'user', content: 'u' },
    ]);
    invalid(
      () => preferencePairFromTrl(trl, { dataSorce: 'gsm8k' } as never),
      'preferencePairFromTrl',
      'options.dataSorce',
    );
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const path = join(dir, 'out', 'records.jsonl');
      invalid(
        () => createJsonlWriter(path, { fsync: 1 } as never),
        'createJsonlWriter',
        'options.fsync',
      );
      // Refused before the file (or its directory) was created.
      expect(() => readFileSync(path)).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ids, seeds, prompt templates and tool results: entry input', () => {
  const template = {
    name: 'mine',
    version: 1,
    kind: 'generation',
    protocol: 'text-tags',
    placement: 'user',
    text: 'Solve: {{question}}',
    description: 'my prompt',
  };
  const result = { output: '42', isError: false, durationMs: 3 };

  it('take well-formed arguments', () => {
    expect(sampleSeed({ runSeed: 0, taskId: 'q1', index: 1 })).toBeGreaterThanOrEqual(0);
    expect(renderPromptTemplate(template as never, { question: 'q?' }).user).toBe('Solve: q?');
    expect(promptRef(template as never).hash).toBe(promptTemplateHash(template as never));
    expect(toolResultStep({ callId: 'c1', toolName: 'python', result }).output).toBe('42');
    expect(taskId({ question: 'q?' })).toMatch(/^task_/);
    expect(trajectoryId({ taskId: 'q1', steps: [] })).toMatch(/^traj_/);
    expect(taskSetDigest(new Set(['b', 'a'])).count).toBe(2);
  });

  it('refuse a missing field, naming it', () => {
    // Was seeded from the string "undefined": every task alike.
    invalid(() => sampleSeed({ runSeed: 0, index: 1 } as never), 'sampleSeed', 'options.taskId');
    invalid(
      () => renderPromptTemplate(template as never, {} as never),
      'renderPromptTemplate',
      'values.question',
    );
    const { kind: _k, ...noKind } = template;
    invalid(() => promptTemplateHash(noKind as never), 'promptTemplateHash', 'template.kind');
    invalid(
      () => toolResultStep({ callId: 'c1', toolName: 'python', result: { output: '42' } } as never),
      'toolResultStep',
      'options.result.isError',
    );
    invalid(() => taskId({} as never), 'taskId', 'options.question');
  });

  it('refuse a wrong type, naming the field', () => {
    invalid(
      () => sampleSeed({ runSeed: 0.5, taskId: 'q1', index: 0 }),
      'sampleSeed',
      'options.runSeed',
    );
    invalid(
      () => promptRef({ ...template, version: '1' } as never),
      'promptRef',
      'template.version',
    );
    invalid(() => taskSetDigest(['a', 7] as never), 'taskSetDigest', 'entries[1]');
    invalid(
      () => trajectoryId({ taskId: 'q1', steps: [], model: 7 } as never),
      'trajectoryId',
      'options.model',
    );
  });

  it('refuse a misspelt key, naming it', () => {
    invalid(
      () => sampleSeed({ runSeed: 0, taskId: 'q1', idx: 0 } as never),
      'sampleSeed',
      'options.idx',
    );
    invalid(
      () =>
        toolResultStep({
          callId: 'c1',
          toolName: 'python',
          result,
          sessionId: 's',
        } as never),
      'toolResultStep',
      'options.sessionId',
    );
    invalid(() => taskId({ question: 'q?', source: 'gsm8k' } as never), 'taskId', 'options.source');
  });
});

describe('JSONL readers: entry input', () => {
  it('read with well-formed options; refuse a missing path, a wrong type and a misspelt key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const file = join(dir, 'pairs.jsonl');
      writeFileSync(file, `${JSON.stringify(pair)}\n`);
      expect(await readJsonlArray(file, { schema: preferencePairSchema })).toHaveLength(1);
      await expect(readJsonlArray(undefined as never)).rejects.toMatchObject({
        issues: [{ path: 'path' }],
      });
      invalid(() => readJsonl(file, { mode: 'loose' } as never), 'readJsonl', 'options.mode');
      // Was a read without validation.
      invalid(
        () => readJsonl(file, { shema: preferencePairSchema } as never),
        'readJsonl',
        'options.shema',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('run directory and journal openers: entry input', () => {
  it('check options before anything is read or written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const run = join(dir, 'run');
      expect(checkRunDir({ dir: run, command: 'eval', settings: { n: 1 } }).differences).toEqual(
        [],
      );
      // Missing field, wrong type, misspelt key: each named; the directory never made.
      invalid(
        () => openRunDir({ dir: run, settings: {} } as never),
        'openRunDir',
        'options.command',
      );
      invalid(
        () => openRunDir({ dir: run, command: 'eval', settings: { n: () => 1 } } as never),
        'openRunDir',
        'options.settings.n',
      );
      invalid(
        () => checkRunDir({ dir: run, command: 'eval', settings: {}, forcNew: true } as never),
        'checkRunDir',
        'options.forcNew',
      );
      await expect(
        openJournalStore({
          dir: run,
          schema: preferencePairSchema,
          key: () => 'k',
          journl: 'j',
        } as never),
      ).rejects.toMatchObject({ issues: [{ path: 'options.journl' }] });
      await expect(openJournalStore({ dir: run, key: () => 'k' } as never)).rejects.toMatchObject({
        issues: [{ path: 'options.schema' }],
      });
      expect(() => readFileSync(run)).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('run files: entry input', () => {
  it('check arguments before anything is read or written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entry-input-'));
    try {
      const run = join(dir, 'run');
      expect(diffRunSettings({ n: 1, tools: ['python'] }, { n: 2, tools: ['python'] })).toEqual([
        { setting: 'n', recorded: 1, requested: 2 },
      ]);
      const shard = { index: 1, count: 4, source: 'flag' };
      expect(claimShardDir({ outDir: run, shard }).shard).toBe('1/4');
      writeJsonAtomic(join(run, 'settings.json'), {
        command: 'eval',
        settings: {},
        startedAt: 't',
      });
      expect(
        readRunJson(join(run, 'settings.json'), runSettingsFileSchema, 'run settings'),
      ).toEqual({ command: 'eval', settings: {}, startedAt: 't' });
      expect(readRunSettings(run)?.command).toBe('eval');

      // Missing field.
      invalid(() => diffRunSettings(undefined as never, {}), 'diffRunSettings', 'recorded');
      invalid(
        () => claimShardDir({ outDir: join(dir, 'b') } as never),
        'claimShardDir',
        'options.shard',
      );
      invalid(
        () => readRunJson(join(run, 'settings.json'), undefined as never, 'run settings'),
        'readRunJson',
        'schema',
      );
      // Wrong type (a function compared as an absent setting; an index past the count
      // recorded a shard no run can be).
      invalid(() => diffRunSettings({}, { n: () => 1 } as never), 'diffRunSettings', 'requested.n');
      invalid(
        () => claimShardDir({ outDir: join(dir, 'b'), shard: { ...shard, index: 4 } }),
        'claimShardDir',
        'options.shard.index',
      );
      invalid(() => writeFileAtomic(join(dir, 'b.txt'), 42 as never), 'writeFileAtomic', 'data');
      // Was the word "undefined" written to the file.
      invalid(() => writeJsonAtomic(join(dir, 'b.json'), undefined), 'writeJsonAtomic', 'value');
      invalid(() => readRunSettings(run, 'legacy' as never), 'readRunSettings', 'legacy');
      // Misspelt key (was recorded as `undefined/4`).
      invalid(
        () =>
          claimShardDir({
            outDir: join(dir, 'b'),
            shard: { indx: 1, count: 4, source: 'flag' },
          } as never),
        'claimShardDir',
        'options.shard.indx',
      );
      expect(() => readFileSync(join(dir, 'b', 'shard.json'))).toThrow(/ENOENT/);
      expect(() => readFileSync(join(dir, 'b.json'))).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('model-text readers: entry input', () => {
  const fabricated = {
    steps: [
      { type: 'think', text: 'Run it: <result>42</result>' },
      { type: 'answer', text: '\\boxed{42}', answer: '42' },
    ],
  };
  const codeInText = [{ type: 'think', text: '```python\nprint(6*7)\n```' }];

  it('read well-formed and sealed trajectories alike, other trajectory keys kept', () => {
    expect(findFabricatedToolOutput(fabricated as never)).toMatchObject([{ stepIndex: 0 }]);
    expect(findTextFormToolCalls(codeInText as never, { tools: ['python'] })).toHaveLength(1);
    expect(findTextFormToolCalls(codeInText as never, { tools: [] })).toEqual([]);
    expect(
      findTrajectoryTextFormToolCalls({
        steps: codeInText,
        metadata: { tools: ['python'] },
      } as never),
    ).toHaveLength(1);
    expect(sourceTextOf({ metadata: { sourceText: 'text' }, note: 1 } as never)).toBe('text');
    const { trajectory: built } = trajectoryFromText('<think>a <result>1</result></think>', {
      format: 'tags',
      taskId: 'q1',
    });
    expect(isSealedTrajectory(built)).toBe(true);
    expect(findFabricatedToolOutput(built)).toHaveLength(1);
    expect(findFabricatedToolOutput({ ...trajectory, id: 7 } as never)).toEqual([]);
  });

  it('refuse a missing field, naming it', () => {
    invalid(() => sourceTextOf({} as never), 'sourceTextOf', 'trajectory.metadata');
    invalid(
      () => findFabricatedToolOutput({ steps: [{ type: 'think' }] } as never),
      'findFabricatedToolOutput',
      'trajectory.steps[0].text',
    );
    invalid(
      () => findTrajectoryTextFormToolCalls({ metadata: {} } as never),
      'findTrajectoryTextFormToolCalls',
      'trajectory.steps',
    );
  });

  it('refuse a wrong type, naming the field', () => {
    invalid(
      () => sourceTextOf({ metadata: { sourceText: () => 'x' } } as never),
      'sourceTextOf',
      'trajectory.metadata.sourceText',
    );
    invalid(() => findTextFormToolCalls('```python```' as never), 'findTextFormToolCalls', 'steps');
    invalid(
      () => findTextFormToolCalls(codeInText as never, { tools: 'python' } as never),
      'findTextFormToolCalls',
      'options.tools',
    );
  });

  it('refuse a misspelt option key, naming it (was the built-in tools)', () => {
    invalid(
      () => findTextFormToolCalls(codeInText as never, { tool: [] } as never),
      'findTextFormToolCalls',
      'options.tool',
    );
  });
});

describe('prompt-meta, prose-arithmetic and idle-tool-call readers: entry input', () => {
  const wrong = { steps: [{ type: 'think', text: 'So 6 * 7 = 41.' }] };

  it('read well-formed arguments', () => {
    expect(findProseArithmeticErrors(wrong as never)).toHaveLength(1);
    expect(findProseArithmeticErrors(trajectory as never)).toEqual([]);
    expect(findPromptMetaText('plain text', { question: 'q?' })).toEqual([]);
    const echo = {
      steps: [
        { type: 'tool-call', callId: 'c0', toolName: 'python', input: { code: 'x = 4\nprint(x)' } },
      ],
    };
    expect(findIdleToolCalls(echo as never).map((call) => call.callId)).toEqual(['c0']);
  });

  it('refuse a missing field, a wrong type and a misspelt option key, naming each', () => {
    invalid(
      () => findProseArithmeticErrors({} as never),
      'findProseArithmeticErrors',
      'trajectory.steps',
    );
    invalid(
      () => findProseArithmeticErrors({ steps: [{ type: 'think', text: 41 }] } as never),
      'findProseArithmeticErrors',
      'trajectory.steps[0].text',
    );
    invalid(
      () => findIdleToolCalls({ steps: [{ type: 'tool-call', callId: 7 }] } as never),
      'findIdleToolCalls',
      'trajectory.steps[0].callId',
    );
    invalid(() => findPromptMetaText(undefined as never), 'findPromptMetaText', 'text');
    invalid(
      () => findPromptMetaText('text', { qestion: 'q?' } as never),
      'findPromptMetaText',
      'options.qestion',
    );
  });
});

describe('data-set converters, resume and reject helpers: entry input', () => {
  const line = { question: 'What is 6 * 7?', answer: 'Six times seven is <<6*7=42>>42.\n#### 42' };

  it('convert well-formed records, other record keys kept', async () => {
    expect(gsm8kTask({ ...line, source: 'x' } as never, { index: 3 })).toMatchObject({
      goldAnswers: ['42'],
      metadata: { index: 3 },
    });
    expect(gsm8kReferenceTrajectory(line).trajectory.finalAnswer).toBe('42');
    expect(recordToTrajectories('gsm8k', line, { line: 1 })).toHaveLength(1);
    expect(contentId('x', { a: 1 })).toMatch(/^x_/);
    expect((await readExistingIds(join(tmpdir(), 'no-such-file.jsonl'))).ids.size).toBe(0);
  });

  it('refuse a missing field, naming it', () => {
    invalid(() => gsm8kTask({ question: 'q?' } as never), 'gsm8kTask', 'record.answer');
    invalid(() => createRejectsFile(undefined as never), 'createRejectsFile', 'path');
    invalid(
      () => gsm8kReferenceTrajectory(line, { question: 'q?' } as never),
      'gsm8kReferenceTrajectory',
      'task.id',
    );
  });

  it('refuse a wrong type, naming the field', async () => {
    invalid(() => gsm8kTask(line, { index: '3' } as never), 'gsm8kTask', 'options.index');
    invalid(() => contentId(7 as never, {}), 'contentId', 'prefix');
    invalid(() => recordToTrajectories('html' as never, line), 'recordToTrajectories', 'format');
    invalid(
      () => recordToTrajectories('gsm8k', line, { line: '1' } as never),
      'recordToTrajectories',
      'location.line',
    );
    await expect(readExistingIds(7 as never)).rejects.toMatchObject({ issues: [{ path: 'path' }] });
  });

  it('refuse a misspelt option key, naming it', async () => {
    invalid(
      () => gsm8kTask(line, { datasource: 'mine' } as never),
      'gsm8kTask',
      'options.datasource',
    );
    invalid(
      () => gsm8kModelSolutionTrajectories({}, { locaton: {} } as never),
      'gsm8kModelSolutionTrajectories',
      'options.locaton',
    );
    invalid(
      () => toraTrajectory({}, { datasource: 'mine' } as never),
      'toraTrajectory',
      'options.datasource',
    );
    // Was a read of ids from `id`.
    await expect(readExistingIds('ids.jsonl', { kee: 'taskId' } as never)).rejects.toMatchObject({
      issues: [{ path: 'options.kee' }],
    });
  });
});
