import { defaultPrompt, GenerationConfigError, resolvePrompt } from '@autotraj/generation';
import { describe, expect, it } from 'vitest';
import { resolveRepairerOptions } from './repairer-options.js';

describe('resolveRepairerOptions', () => {
  it("repairs greedily with the paper's tool budget, one regenerating attempt, by default", () => {
    expect(resolveRepairerOptions({})).toEqual({
      strategy: 'regenerate',
      maxAttempts: 1,
      protocol: 'text-tags',
      maxToolCalls: 3,
      sampling: { temperature: 0 },
      prompt: defaultPrompt('repair', 'text-tags'),
    });
  });

  it('keeps the values given, the prompt of the protocol among them', () => {
    const prompt = resolvePrompt('repair-question', { kind: 'repair', protocol: 'text-tags' });
    expect(
      resolveRepairerOptions({
        strategy: 'resume',
        maxAttempts: 2,
        maxToolCalls: 4,
        sampling: { temperature: 0.7, seed: 3 },
        prompt,
      }),
    ).toEqual({
      strategy: 'resume',
      maxAttempts: 2,
      protocol: 'text-tags',
      maxToolCalls: 4,
      sampling: { temperature: 0.7, seed: 3 },
      prompt,
    });
    expect(resolveRepairerOptions({ protocol: 'markdown' }).prompt).toBe(
      defaultPrompt('repair', 'markdown'),
    );
  });

  it('refuses a prompt that is not a repair prompt of the protocol, naming both', () => {
    let error: unknown;
    try {
      resolveRepairerOptions({
        protocol: 'markdown',
        prompt: defaultPrompt('repair', 'text-tags'),
      });
    } catch (caught) {
      error = caught;
    }
    expect(GenerationConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /text-tags repair prompt; the repairer needs a markdown/,
    );
  });
});
