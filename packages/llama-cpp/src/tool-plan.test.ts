import {
  InvalidArgumentError,
  type LanguageModelV4CallOptions,
  type SharedV4Warning,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { openingAfter, planTools } from './tool-plan.js';
import type { ToolCallingSupport } from './tool-template.js';

const python = {
  type: 'function' as const,
  name: 'python',
  inputSchema: { type: 'object', properties: { code: { type: 'string' } } },
};
const supported = { supported: true, format: 'hermes' } as const;
const plan = (
  toolChoice: LanguageModelV4CallOptions['toolChoice'],
  support: Parameters<typeof planTools>[0]['support'] = supported,
  tools: LanguageModelV4CallOptions['tools'] = [python],
  warnings: SharedV4Warning[] = [],
) => planTools({ tools, toolChoice, support, origin: 'model.gguf', warnings });

describe('planTools', () => {
  it('auto (the default): lists the tools, parses calls, forces nothing', () => {
    for (const choice of [undefined, { type: 'auto' } as const]) {
      const p = plan(choice);
      expect(p.templateTools).toEqual([
        { type: 'function', function: { name: 'python', parameters: python.inputSchema } },
      ]);
      expect([...p.toolNames]).toEqual(['python']);
      expect(p.forcedOpening).toBe('');
    }
  });

  it('none: no tools in the prompt and no parsing, with any template', () => {
    const none: ToolCallingSupport = { supported: false, missing: ['x'] };
    for (const support of [supported, none]) {
      const p = plan({ type: 'none' }, support);
      expect(p.templateTools).toBeUndefined();
      expect(p.toolNames.size).toBe(0);
    }
  });

  it('required and a named tool: the call is opened for the model', () => {
    expect(plan({ type: 'required' }).forcedOpening).toBe('<tool_call>\n{"name": "');
    expect(plan({ type: 'tool', toolName: 'python' }).forcedOpening).toBe(
      '<tool_call>\n{"name": "python", "arguments":',
    );
    expect(() => plan({ type: 'tool', toolName: 'shell' })).toThrow(InvalidArgumentError);
  });

  it('refuses tools on a template without a tool-call form, saying what it lacks', () => {
    try {
      plan(undefined, { supported: false, missing: ['it does not read the `tools` variable'] });
      expect.unreachable();
    } catch (error) {
      expect(UnsupportedFunctionalityError.isInstance(error)).toBe(true);
      expect((error as UnsupportedFunctionalityError).functionality).toBe('tools');
      expect((error as Error).message).toContain(
        'model.gguf has no native tool-calling form @autotraj/llama-cpp can use (it does not read the `tools` variable)',
      );
    }
  });

  it('leaves provider tools out with a warning, and drops the schema URI', () => {
    const warnings: SharedV4Warning[] = [];
    const p = plan(
      undefined,
      supported,
      [
        { ...python, description: 'Run it.', inputSchema: { $schema: 'u', type: 'object' } },
        { type: 'provider', id: 'openai.web_search', name: 'web', args: {} },
      ],
      warnings,
    );
    expect(p.templateTools).toEqual([
      {
        type: 'function',
        function: { name: 'python', description: 'Run it.', parameters: { type: 'object' } },
      },
    ]);
    expect(warnings).toMatchObject([
      { type: 'unsupported', feature: 'provider tool openai.web_search' },
    ]);
    // Only provider tools: nothing to render, so any template will do.
    expect(
      plan(undefined, { supported: false, missing: [] }, [
        { type: 'provider', id: 'a.b', name: 'b', args: {} },
      ]).toolNames.size,
    ).toBe(0);
  });

  it('puts a forced call on its own line after continued text', () => {
    expect(openingAfter(undefined, '<tool_call>')).toBe('<tool_call>');
    expect(openingAfter('Let me compute.', '<tool_call>')).toBe('\n<tool_call>');
    expect(openingAfter('Let me compute.\n', '<tool_call>')).toBe('<tool_call>');
    expect(openingAfter('text', '')).toBe('');
  });
});
