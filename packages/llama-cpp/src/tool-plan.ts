import {
  InvalidArgumentError,
  type LanguageModelV4CallOptions,
  type SharedV4Warning,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import { TOOL_CALL_OPEN, type ToolCallingSupport } from './tool-template.js';

/** A tool as Hugging Face chat templates read it from their `tools` variable. */
export interface TemplateTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/** How one call uses tools: what the template lists, what the completion may call. */
export interface ToolPlan {
  /** Rendered into the template's `tools`; undefined renders the prompt without tools. */
  templateTools: TemplateTool[] | undefined;
  /** Names a `<tool_call>` may use; empty: the completion is plain text, never parsed. */
  toolNames: ReadonlySet<string>;
  /**
   * The start of a call, written after the prompt so the model must finish it (`toolChoice`
   * `required`: the call's opening; `tool`: the opening with the tool's name), or ''.
   */
  forcedOpening: string;
}

export const NO_TOOLS: ToolPlan = {
  templateTools: undefined,
  toolNames: new Set(),
  forcedOpening: '',
};

/**
 * Reads a call's `tools` and `toolChoice` against the template's support. Tools on a template
 * without the tool-call form are refused (they would be silently dropped from the prompt);
 * `toolChoice: 'none'` renders no tools, so it works with any template.
 */
export function planTools(options: {
  tools: LanguageModelV4CallOptions['tools'];
  toolChoice: LanguageModelV4CallOptions['toolChoice'];
  support: ToolCallingSupport;
  /** The template's origin, for the refusal message. */
  origin: string;
  warnings: SharedV4Warning[];
}): ToolPlan {
  const tools: TemplateTool[] = [];
  for (const tool of options.tools ?? []) {
    if (tool.type === 'provider') {
      options.warnings.push({
        type: 'unsupported',
        feature: `provider tool ${tool.id}`,
        details: 'a local model has no provider tools; it is left out of the prompt',
      });
      continue;
    }
    tools.push({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: withoutSchemaUri(tool.inputSchema as Record<string, unknown>),
      },
    });
  }
  const choice = options.toolChoice ?? { type: 'auto' };
  if (tools.length === 0 || choice.type === 'none') return NO_TOOLS;
  if (!options.support.supported)
    throw new UnsupportedFunctionalityError({
      functionality: 'tools',
      message: `${options.origin} has no native tool-calling form @autotraj/llama-cpp can use (${options.support.missing.join('; ')}); describe the tools in the prompt and parse text tags instead`,
    });
  const toolNames = new Set(tools.map((t) => t.function.name));
  let forcedOpening = '';
  if (choice.type === 'required') forcedOpening = `${TOOL_CALL_OPEN}\n{"name": "`;
  else if (choice.type === 'tool') {
    if (!toolNames.has(choice.toolName))
      throw new InvalidArgumentError({
        argument: 'toolChoice',
        message: `toolChoice names "${choice.toolName}", which is not among the tools (${[...toolNames].join(', ')})`,
      });
    // The text the template writes for an earlier call, up to the arguments; the space before
    // them is left to the model, which writes it as part of its next token.
    forcedOpening = `${TOOL_CALL_OPEN}\n{"name": ${JSON.stringify(choice.toolName)}, "arguments":`;
  }
  return { templateTools: tools, toolNames, forcedOpening };
}

/** The forced opening after a continued assistant text: on a line of its own, as templates write it. */
export function openingAfter(continuation: string | undefined, opening: string): string {
  if (opening === '' || continuation === undefined || continuation === '') return opening;
  return continuation.endsWith('\n') ? opening : `\n${opening}`;
}

// The ai SDK's zod-to-JSON-schema adds `$schema`, which tells a small model nothing and costs
// prompt tokens on every call.
function withoutSchemaUri(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _, ...rest } = schema;
  return rest;
}
