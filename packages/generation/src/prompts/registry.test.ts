import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promptTemplateSchema } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { PromptTemplateError } from './prompt-error.js';
import { builtinPrompts, defaultPrompt, resolvePrompt } from './registry.js';
import { renderTaskPrompt } from './render.js';

function errorOf(run: () => unknown): PromptTemplateError {
  try {
    run();
  } catch (error) {
    if (PromptTemplateError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a PromptTemplateError');
}

describe('built-in prompt templates', () => {
  it('are valid templates under their own names', () => {
    for (const [name, template] of Object.entries(builtinPrompts)) {
      expect(template.name).toBe(name);
      expect(promptTemplateSchema.parse(template)).toEqual(template);
    }
  });

  it('default to the worked-example user-turn prompt for text tags', () => {
    expect(defaultPrompt('generation', 'text-tags').name).toBe('tags-example');
    expect(defaultPrompt('generation', 'native').name).toBe('native-system');
    expect(defaultPrompt('repair', 'text-tags').name).toBe('repair-question');
  });

  it('render the tools, the budget and the question into the user turn', () => {
    const { system, user } = renderTaskPrompt(builtinPrompts['tags-example']!, {
      question: 'What is 17 * 23?',
      toolNames: ['python'],
      maxToolCalls: 3,
    });
    expect(system).toBeUndefined();
    expect(user).toContain('write the code inside <code></code>');
    expect(user).toContain('Use at most 3 tool calls.');
    expect(user.endsWith('Problem: What is 17 * 23?')).toBe(true);
    expect(user).not.toMatch(/\{\{/);
  });

  it('keep the repair prompt free of evaluator vocabulary', () => {
    for (const name of ['repair-trajectory', 'repair-question']) {
      const text = builtinPrompts[name]!.text.toLowerCase();
      for (const word of ['flawed', 'trajectory', 'evaluator', 'diagnostic', 'repair'])
        expect(text, `${name} says "${word}"`).not.toContain(word);
    }
  });
});

describe('resolvePrompt', () => {
  it('finds a built-in by name and checks its kind and protocol', () => {
    expect(resolvePrompt('paper', { kind: 'generation' }).name).toBe('paper');
    expect(errorOf(() => resolvePrompt('repair-question', { kind: 'generation' })).code).toBe(
      'prompt_mismatch',
    );
    expect(
      errorOf(() => resolvePrompt('native-system', { kind: 'generation', protocol: 'text-tags' }))
        .message,
    ).toBe('prompt "native-system" teaches the native protocol, but the run uses text-tags');
    const unknown = errorOf(() => resolvePrompt('fancy', { kind: 'generation' }));
    expect(unknown.code).toBe('prompt_unknown');
    expect(unknown.message).toContain('tags-example');
  });

  it('reads a JSON template file, naming the file and the field when it is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autotraj-prompt-'));
    const good = join(dir, 'mine.json');
    writeFileSync(good, JSON.stringify({ ...builtinPrompts['tags-example'], name: 'mine' }));
    expect(resolvePrompt(good, { kind: 'generation' }).name).toBe('mine');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...builtinPrompts['tags-example'], version: 'one' }));
    const error = errorOf(() => resolvePrompt(bad, { kind: 'generation' }));
    expect(error.code).toBe('prompt_file_invalid');
    expect(error.file).toBe(bad);
    expect(error.message).toMatch(/bad\.json: field "version": /);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    expect(errorOf(() => resolvePrompt(broken, { kind: 'generation' })).message).toMatch(
      /broken\.json: not a readable JSON prompt template/,
    );
  });
});
