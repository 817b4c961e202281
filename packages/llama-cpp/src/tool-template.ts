/** Opens a tool call in the format this package parses (Hermes-style, as Qwen2.5 writes it). */
export const TOOL_CALL_OPEN = '<tool_call>';
/** Closes a tool call; also a stop sequence, so generation ends right after a call. */
export const TOOL_CALL_CLOSE = '</tool_call>';

/**
 * Whether a chat template can carry native tool calls in the one format this package parses:
 * the template lists the `tools` it is given, renders assistant `tool_calls` and `tool` role
 * messages, and writes a call as `<tool_call>{"name": ..., "arguments": {...}}</tool_call>`
 * (the Hermes format of Qwen2.5's templates). `missing` names what a template lacks.
 */
export type ToolCallingSupport =
  | { supported: true; format: 'hermes' }
  | { supported: false; missing: string[] };

// Each requirement is read from the template text itself: a template that never reads `tools`
// would silently drop them, and one without `tool_calls` / `tool` handling would drop the
// calls and results of earlier steps.
const REQUIREMENTS: { what: string; met: (source: string) => boolean }[] = [
  {
    what: 'it does not read the `tools` variable',
    met: (s) => /\{%-?\s*(?:if|elif|for\s+\w+\s+in)\s+tools\b/.test(s),
  },
  { what: 'it does not render assistant `tool_calls`', met: (s) => /\btool_calls\b/.test(s) },
  {
    what: 'it does not render `tool` role messages',
    met: (s) => /\brole['"]?\]?\s*==\s*['"]tool['"]/.test(s),
  },
  {
    what: `it has no ${TOOL_CALL_OPEN}...${TOOL_CALL_CLOSE} call form`,
    met: (s) => s.includes(TOOL_CALL_OPEN) && s.includes(TOOL_CALL_CLOSE),
  },
];

/** Reads a chat template's source for native tool-calling support; see {@link ToolCallingSupport}. */
export function detectToolCalling(source: string): ToolCallingSupport {
  const missing = REQUIREMENTS.filter((r) => !r.met(source)).map((r) => r.what);
  return missing.length === 0
    ? { supported: true, format: 'hermes' }
    : { supported: false, missing };
}
