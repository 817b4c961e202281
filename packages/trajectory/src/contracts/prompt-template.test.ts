import { describe, expect, it } from 'vitest';
import {
  type PromptTemplate,
  promptRef,
  promptTemplateHash,
  promptTemplateSchema,
  renderPromptTemplate,
} from './prompt-template.js';

const userTemplate: PromptTemplate = {
  name: 'probe',
  version: 1,
  kind: 'generation',
  protocol: 'text-tags',
  placement: 'user',
  description: 'a test template',
  text: 'Rules.\n{{tools}}\nAt most {{maxToolCalls}} calls.\n\nProblem: {{question}}',
};

const issuesOf = (value: unknown) =>
  promptTemplateSchema
    .safeParse(value)
    .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('promptTemplateSchema', () => {
  it('accepts a well-formed template', () => {
    expect(promptTemplateSchema.parse(userTemplate)).toEqual(userTemplate);
  });

  it('names the field of each mistake', () => {
    expect(issuesOf({ ...userTemplate, text: 'Q: {{question}} {{answer}}' })).toEqual([
      'text: unknown placeholder {{answer}} (known: question, tools, maxToolCalls, attempt, notes)',
    ]);
    expect(issuesOf({ ...userTemplate, text: 'no question here' })).toEqual([
      'text: a user-turn template must place the question with {{question}}',
    ]);
    expect(issuesOf({ ...userTemplate, placement: 'system' })).toEqual([
      'text: a system-turn template is followed by the question in the user turn: drop {{question}}',
    ]);
    expect(issuesOf({ ...userTemplate, kind: 'repair' })).toEqual([
      "repairInput: a repair template says what it sees: 'question' or 'trajectory'",
    ]);
    expect(issuesOf({ ...userTemplate, kind: 'repair', repairInput: 'trajectory' })).toEqual([
      'text: a repair template that sees the trajectory places it with {{attempt}}',
      'text: a repair template that sees the trajectory places it with {{notes}}',
    ]);
    expect(issuesOf({ ...userTemplate, repairInput: 'question' })).toEqual([
      'repairInput: only repair templates have a repairInput',
    ]);
    expect(issuesOf({ ...userTemplate, name: 'Bad Name' })?.[0]).toMatch(/^name: /);
  });
});

describe('renderPromptTemplate', () => {
  it('puts a user-turn template, question included, in the user turn and no system turn', () => {
    const rendered = renderPromptTemplate(userTemplate, {
      question: 'What is {{tools}} times 2?',
      tools: 'Use <code>.',
      maxToolCalls: 3,
    });
    // The question is inserted verbatim, never re-scanned for placeholders.
    expect(rendered).toEqual({
      system: undefined,
      user: 'Rules.\nUse <code>.\nAt most 3 calls.\n\nProblem: What is {{tools}} times 2?',
    });
  });

  it('drops a line made empty by an empty value, and fails on a missing one', () => {
    expect(
      renderPromptTemplate(userTemplate, { question: 'Q', tools: '', maxToolCalls: 1 }).user,
    ).toBe('Rules.\nAt most 1 calls.\n\nProblem: Q');
    expect(() => renderPromptTemplate(userTemplate, { question: 'Q', tools: '' })).toThrow(
      'prompt "probe" v1: no value for {{maxToolCalls}}',
    );
  });

  it('sends a system-turn template as the system turn and the question alone as the user turn', () => {
    const system = {
      ...userTemplate,
      placement: 'system' as const,
      text: 'Rules. {{maxToolCalls}}',
    };
    expect(renderPromptTemplate(system, { question: 'Q?', maxToolCalls: 2 })).toEqual({
      system: 'Rules. 2',
      user: 'Q?',
    });
  });
});

describe('promptTemplateHash', () => {
  it('changes with the text, the turn or the version, and is a SHA-256', () => {
    const hash = promptTemplateHash(userTemplate);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(promptTemplateHash({ ...userTemplate })).toBe(hash);
    expect(promptTemplateHash({ ...userTemplate, text: `${userTemplate.text} ` })).not.toBe(hash);
    expect(promptTemplateHash({ ...userTemplate, version: 2 })).not.toBe(hash);
    expect(promptRef(userTemplate)).toEqual({ name: 'probe', version: 1, hash });
  });
});
