import { excerpt } from '../codecs/codec.js';
import { builtinToolSpecs, toolInputText } from '../contracts/tool-spec.js';
import type { Step } from '../schemas/step.js';
import { fencedBlocks } from './fenced-blocks.js';
import {
  type ModelTextFinding,
  modelTextSteps,
  shortExcerpt,
  TEXT_FORM_TOOL_CALL,
} from './finding.js';

export interface TextFormToolCallOptions {
  /** Names of the tools the model was offered. Default: the built-in tools. */
  tools?: ReadonlyArray<string> | undefined;
}

/** The fence languages a tool's input is written in, as the markdown-tir codec reads Python. */
const TOOL_FENCE_LANGUAGES: Readonly<Record<string, ReadonlyArray<string>>> = {
  python: ['python', 'py'],
};

type Accept = (name: string) => boolean;

function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** `{name, arguments | parameters}`, also inside OpenAI's `{type: 'function', function: {...}}`. */
function callNameOf(value: unknown): string | null {
  const outer = objectOf(value);
  if (outer === null) return null;
  const call = objectOf(outer.function) ?? outer;
  if (typeof call.name !== 'string') return null;
  return 'arguments' in call || 'parameters' in call ? call.name : null;
}

const NAME_FIELD = /"name"\s*:\s*"([^"\\]+)"/;
const ARGUMENTS_FIELD = /"(?:arguments|parameters)"\s*:/;

/**
 * The tool a JSON call in `text` names, or null. Models often write code with raw newlines
 * inside the JSON string, which `JSON.parse` rejects, so the two fields are also read directly.
 */
function jsonCallName(text: string, accept: Accept): string | null {
  const body = text.trim();
  if (!body.startsWith('{') && !body.startsWith('[')) return null;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const name = NAME_FIELD.exec(body)?.[1];
    return name !== undefined && ARGUMENTS_FIELD.test(body) && accept(name) ? name : null;
  }
  for (const item of Array.isArray(value) ? value : [value]) {
    const name = callNameOf(item);
    if (name !== null && accept(name)) return name;
  }
  return null;
}

interface Range {
  start: number;
  end: number;
}

/** `<tool_call>...</tool_call>`; an unclosed one counts only when JSON follows it. */
function toolCallTags(text: string): Array<Range & { body: string }> {
  const out: Array<Range & { body: string }> = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('<tool_call>', from);
    if (open < 0) break;
    const bodyStart = open + '<tool_call>'.length;
    const close = text.indexOf('</tool_call>', bodyStart);
    const body = text.slice(bodyStart, close < 0 ? text.length : close);
    const end = close < 0 ? text.length : close + '</tool_call>'.length;
    if (close >= 0 || body.trim().startsWith('{')) out.push({ start: open, end, body });
    from = end;
  }
  return out;
}

/**
 * Tool calls a model wrote as text instead of calling the tool: in reasoning and answer steps,
 * (a) a fenced JSON object `{"name": <an offered tool>, "arguments" | "parameters": ...}` (or
 * such an object as the whole text), (b) a `<tool_call>...</tool_call>` block, (c) a fenced
 * block in an offered tool's language (` ```python ` / ` ```py ` for `python`). A code block
 * repeating the code of a call that was made is a quotation of it, not a call.
 *
 * Under native tool calling nothing runs such text, so whatever result the model then states
 * it invented. Under protocols where the text IS the call (text tags, markdown TIR) the codecs
 * turn it into tool-call steps, so it is never in a reasoning step to be found.
 */
export function findTextFormToolCalls(
  steps: ReadonlyArray<Step>,
  options: TextFormToolCallOptions = {},
): ModelTextFinding<typeof TEXT_FORM_TOOL_CALL>[] {
  const offered = new Set(options.tools ?? builtinToolSpecs.map((spec) => spec.name));
  const fenceTool = new Map<string, string>();
  for (const [tool, languages] of Object.entries(TOOL_FENCE_LANGUAGES))
    if (offered.has(tool)) for (const language of languages) fenceTool.set(language, tool);
  const calledCode = new Set<string>();
  for (const step of steps)
    if (step.type === 'tool-call') calledCode.add(toolInputText(step.toolName, step.input).trim());

  const findings: ModelTextFinding<typeof TEXT_FORM_TOOL_CALL>[] = [];
  for (const { stepIndex, text } of modelTextSteps(steps)) {
    const found = (
      kind: ModelTextFinding['kind'],
      toolName: string | null,
      at: Range,
      what: string,
    ) => {
      const written = text.slice(at.start, at.end);
      findings.push({
        code: TEXT_FORM_TOOL_CALL,
        kind,
        stepIndex,
        toolName,
        offset: at.start,
        excerpt: excerpt(written),
        message: `${what} in the text of step ${stepIndex}, not a tool call: nothing executed it (${shortExcerpt(written)})`,
      });
    };

    const tags = toolCallTags(text);
    for (const tag of tags) {
      const name = jsonCallName(tag.body, () => true);
      found(
        'tool-call-tag',
        name,
        tag,
        `a <tool_call> block${name === null ? '' : ` naming ${name}`}`,
      );
    }
    const blocks = fencedBlocks(text).filter(
      (block) => !tags.some((tag) => block.start < tag.end && block.end > tag.start),
    );
    for (const block of blocks) {
      const fence = block.language === '' ? 'a ``` block' : `a \`\`\`${block.language} block`;
      const named = jsonCallName(block.body, (name) => offered.has(name));
      if (named !== null) {
        found('json-call', named, block, `a ${named} call written as JSON in ${fence}`);
        continue;
      }
      const tool = fenceTool.get(block.language);
      if (tool === undefined || block.body.trim() === '' || calledCode.has(block.body.trim()))
        continue;
      found('code-block', tool, block, `${tool} code written in ${fence}`);
    }
    // A whole step that is one JSON call (Qwen-style, without a fence).
    if (tags.length === 0 && blocks.length === 0 && /[}\]]\s*$/.test(text)) {
      const named = jsonCallName(text, (name) => offered.has(name));
      if (named !== null) {
        const start = text.length - text.trimStart().length;
        found(
          'json-call',
          named,
          { start, end: text.trimEnd().length },
          `a ${named} call written as JSON`,
        );
      }
    }
  }
  return findings;
}

/**
 * `findTextFormToolCalls` on a recorded trajectory, with the tools its run offered
 * (`metadata.tools`, which generation records; the built-in tools when it is absent).
 */
export function findTrajectoryTextFormToolCalls(trajectory: {
  steps: ReadonlyArray<Step>;
  metadata?: Record<string, unknown> | undefined;
}): ModelTextFinding<typeof TEXT_FORM_TOOL_CALL>[] {
  const offered = trajectory.metadata?.tools;
  const tools = Array.isArray(offered)
    ? offered.filter((t): t is string => typeof t === 'string')
    : undefined;
  return findTextFormToolCalls(trajectory.steps, tools === undefined ? {} : { tools });
}
