import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { resolveCliPrompt } from './prompt-options.js';

// The flag name is the CLI's, not the library's: a named prompt resolves through the checked
// main entry (which refuses unknown keys) and errors name the flag.
describe('resolveCliPrompt', () => {
  it('resolves a built-in name given with its flag', () => {
    const template = resolveCliPrompt('repair-question', {
      kind: 'repair',
      protocol: 'text-tags',
      flag: '--repair-prompt',
    });
    expect(template.name).toBe('repair-question');
    expect(template.kind).toBe('repair');
  });

  it('is a usage error naming the flag for an unknown name', () => {
    let error: unknown;
    try {
      resolveCliPrompt('no-such-prompt', {
        kind: 'generation',
        protocol: 'text-tags',
        flag: '--prompt',
      });
    } catch (cause) {
      error = cause;
    }
    expect(CliError.isInstance(error)).toBe(true);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(/^--prompt: unknown prompt "no-such-prompt"/);
  });
});
