import { describe, expect, it } from 'vitest';
import { flagOf, withFlags } from './parameter-flags.js';

describe('withFlags: library option names as the CLI prints them', () => {
  it("turns each backticked option into the CLI's flag", () => {
    expect(withFlags('`replay` cannot be combined with `model`/`baseURL`')).toBe(
      '--replay cannot be combined with --model/--base-url',
    );
    expect(withFlags('`minPairs` must be at least 1, got 0')).toBe(
      '--min-pairs must be at least 1, got 0',
    );
    expect(withFlags('`chatTemplate` is only used with `continuation` completions')).toBe(
      '--chat-template is only used with --continuation completions',
    );
    expect(withFlags('`lora` a.gguf: cannot read it')).toBe('--lora a.gguf: cannot read it');
    expect(withFlags('`validationSplit` must be in [0, 1), got 1')).toBe(
      '--validation-split must be in [0, 1), got 1',
    );
  });

  it('leaves backticked words that are not options with a flag, and plain words, as they are', () => {
    expect(withFlags('repairSteps needs exactly one of `messages` or `steps`')).toBe(
      'repairSteps needs exactly one of `messages` or `steps`',
    );
    expect(withFlags('the model answered; see model.onnx and `model.onnx`')).toBe(
      'the model answered; see model.onnx and `model.onnx`',
    );
  });
});

describe('flagOf', () => {
  it('is the kebab-case flag unless the table says otherwise', () => {
    expect(flagOf('maxToolCalls')).toBe('--max-tool-calls');
    expect(flagOf('baseURL')).toBe('--base-url');
    expect(flagOf('rewardModel')).toBe('--rm');
  });
});
