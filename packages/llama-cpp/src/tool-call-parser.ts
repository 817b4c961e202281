import { randomUUID } from 'node:crypto';
import { TOOL_CALL_CLOSE, TOOL_CALL_OPEN } from './tool-template.js';

/**
 * How the model wrote a call: `tag` is the template's own `<tool_call>{json}</tool_call>`;
 * `fenced-json` is a ```json block holding `{"name": ..., "arguments": {...}}`, which is how
 * Qwen2.5-Coder-1.5B answers the template's tool prompt in practice (measured here; the Qwen
 * coder models are known to do this).
 */
export type ToolCallForm = 'tag' | 'fenced-json';

/** A piece of a completion: text the model wrote, or a call it made. */
export type CompletionPiece =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: string; form: ToolCallForm };

export interface ToolCallParserOptions {
  /** The tools of the call: a block naming another tool is text, not a call. */
  toolNames: ReadonlySet<string>;
  /** Default: `call-<uuid>`. */
  generateId?: () => string;
}

const FENCE = '```';
// A fence at the start of a line, with its language. Fences of other languages are read whole
// too, so that their closing ``` is not taken for the opening of a bare one.
const FENCE_OPEN = /```([\w+#.-]*)[ \t]*\n/g;
// What the last line may be while it can still become a fence opening.
const PARTIAL_FENCE = /^`{1,3}[\w+#.-]*[ \t]*$/;

interface Block {
  form: ToolCallForm;
  /** The opening as written, given back if the block is text. */
  open: string;
  close: string;
  /** A fence in another language than JSON: code, never a call. */
  code?: boolean;
}

/**
 * Splits a completion, fed as it streams, into text and tool calls (see {@link ToolCallForm}).
 * A `<tool_call>` block that is not a call (not JSON, no name, an unknown tool, arguments not an
 * object) comes back verbatim as text and is listed in `problems`: the model's
 * words are never dropped and a bad call never throws. A fenced block is a call only when its
 * JSON has a `name` and `arguments`; other fenced code is ordinary text (a problem only when it
 * has both keys but names an unknown tool or has bad arguments). Whitespace between text and a
 * call is dropped (the chat template writes its own when the call goes into the next prompt).
 * Text is held back only while it could still open a block, so a streamed delta never shows
 * part of a call; a fenced block is held until it closes.
 */
export class ToolCallParser {
  readonly problems: string[] = [];
  readonly #toolNames: ReadonlySet<string>;
  readonly #generateId: () => string;
  #buffer = '';
  #block: Block | undefined;
  /** Whitespace dropped before the open block, given back if the block turns out to be text. */
  #gap = '';
  #afterCall = false;
  /** Whether the buffer starts a line (for fences). */
  #lineStart = true;
  #tags = 0;

  constructor(options: ToolCallParserOptions) {
    this.#toolNames = options.toolNames;
    this.#generateId = options.generateId ?? (() => `call-${randomUUID()}`);
  }

  /** Feeds the next piece of generated text; returns what can be released now. */
  push(delta: string): CompletionPiece[] {
    this.#buffer += delta;
    const out: CompletionPiece[] = [];
    for (;;) {
      const block = this.#block;
      if (block !== undefined) {
        const end = this.#buffer.indexOf(block.close);
        if (end === -1) return out;
        const body = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + block.close.length);
        this.#block = undefined;
        this.#lineStart = false;
        out.push(this.#closeBlock(block, body));
        continue;
      }
      if (this.#afterCall) {
        this.#buffer = this.#buffer.trimStart();
        if (this.#buffer === '') return out;
        this.#afterCall = false;
        this.#lineStart = true;
      }
      const found = this.#findOpening();
      if (found !== undefined) {
        const before = this.#buffer.slice(0, found.at);
        const text = before.trimEnd();
        if (text !== '') out.push({ type: 'text', text });
        this.#gap = before.slice(text.length);
        this.#block = found.block;
        this.#buffer = this.#buffer.slice(found.at + found.block.open.length);
        continue;
      }
      const release = this.#buffer.length - this.#heldBack();
      if (release > 0) {
        out.push({ type: 'text', text: this.#buffer.slice(0, release) });
        this.#lineStart = this.#buffer[release - 1] === '\n';
        this.#buffer = this.#buffer.slice(release);
      }
      return out;
    }
  }

  /**
   * Ends the completion: held text is released. A block still open is a call if what it holds
   * is a whole call (Qwen2.5-Coder often ends its turn right after the JSON, without the closing
   * tag); otherwise it is text (a `<tool_call>` with a problem).
   */
  flush(): CompletionPiece[] {
    const rest = this.#buffer;
    const block = this.#block;
    this.#buffer = '';
    this.#block = undefined;
    if (block !== undefined) {
      const parsed = block.code ? undefined : this.#parseCall(rest, block.form);
      if (typeof parsed === 'object') return [this.#call(block, parsed)];
      if (block.form === 'tag')
        this.problems.push(
          `${TOOL_CALL_OPEN} block ${++this.#tags} was never closed${parsed === undefined ? '' : ` and ${parsed}`}; returned as text`,
        );
      return [{ type: 'text', text: this.#gap + block.open + rest }];
    }
    return rest === '' || this.#afterCall ? [] : [{ type: 'text', text: rest }];
  }

  /** The earliest block opening in the buffer: a `<tool_call>` tag, or a fence at a line start. */
  #findOpening(): { at: number; block: Block } | undefined {
    const buffer = this.#buffer;
    const tag = buffer.indexOf(TOOL_CALL_OPEN);
    FENCE_OPEN.lastIndex = 0;
    for (let m = FENCE_OPEN.exec(buffer); m !== null; m = FENCE_OPEN.exec(buffer)) {
      if (tag !== -1 && m.index > tag) break;
      if (m.index === 0 ? this.#lineStart : buffer[m.index - 1] === '\n') {
        const lang = m[1] ?? '';
        const code = lang !== '' && lang.toLowerCase() !== 'json';
        return {
          at: m.index,
          block: { form: 'fenced-json', open: m[0], close: FENCE, ...(code ? { code } : {}) },
        };
      }
    }
    if (tag === -1) return undefined;
    return { at: tag, block: { form: 'tag', open: TOOL_CALL_OPEN, close: TOOL_CALL_CLOSE } };
  }

  /** Length of the tail that may still open a block, with the whitespace before it. */
  #heldBack(): number {
    const text = this.#buffer;
    let from = text.length;
    for (let n = Math.min(TOOL_CALL_OPEN.length - 1, text.length); n > 0; n--)
      if (text.endsWith(TOOL_CALL_OPEN.slice(0, n))) {
        from = text.length - n;
        break;
      }
    const lineAt = text.lastIndexOf('\n') + 1;
    if ((lineAt > 0 || this.#lineStart) && PARTIAL_FENCE.test(text.slice(lineAt)))
      from = Math.min(from, lineAt);
    while (from > 0 && /\s/.test(text[from - 1] ?? '')) from--;
    return text.length - from;
  }

  #closeBlock(block: Block, body: string): CompletionPiece {
    const asText = (): CompletionPiece => ({
      type: 'text',
      text: this.#gap + block.open + body + block.close,
    });
    const parsed = block.code ? undefined : this.#parseCall(body, block.form);
    if (parsed === undefined) return asText();
    if (typeof parsed === 'string') {
      const what =
        block.form === 'tag' ? `${TOOL_CALL_OPEN} block ${++this.#tags}` : 'fenced JSON call';
      this.problems.push(`${what} ${parsed}; returned as text`);
      return asText();
    }
    return this.#call(block, parsed);
  }

  #call(block: Block, parsed: { toolName: string; input: string }): CompletionPiece {
    if (block.form === 'tag') this.#tags++;
    this.#afterCall = true;
    return { type: 'tool-call', toolCallId: this.#generateId(), form: block.form, ...parsed };
  }

  /**
   * The call in a block's body; or why it is not one; or, for a fence that does not look like
   * a call at all (ordinary code), undefined.
   */
  #parseCall(
    body: string,
    form: ToolCallForm,
  ): { toolName: string; input: string } | string | undefined {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      return form === 'tag' ? `is not JSON (${(error as Error).message})` : undefined;
    }
    if (form === 'fenced-json' && !(isObject(value) && 'name' in value && 'arguments' in value))
      return undefined;
    if (!isObject(value)) return 'is not a JSON object';
    const { name } = value;
    if (typeof name !== 'string') return 'has no string "name"';
    if (!this.#toolNames.has(name))
      return `names an unknown tool "${name}" (tools: ${[...this.#toolNames].join(', ')})`;
    let args = value.arguments ?? {};
    // Some models encode the arguments as a JSON string; its object is the same call.
    if (typeof args === 'string')
      try {
        args = JSON.parse(args);
      } catch {
        return 'has "arguments" that are neither an object nor a JSON-encoded object';
      }
    if (!isObject(args)) return 'has "arguments" that are not an object';
    return { toolName: name, input: JSON.stringify(args) };
  }
}

/** Splits a whole completion; see {@link ToolCallParser}. */
export function parseCompletion(
  text: string,
  options: ToolCallParserOptions,
): { pieces: CompletionPiece[]; problems: string[] } {
  const parser = new ToolCallParser(options);
  const pieces = mergeText([...parser.push(text), ...parser.flush()]);
  return { pieces, problems: parser.problems };
}

/** Joins neighbouring text pieces (a block that is text joins its surroundings). */
export function mergeText(pieces: CompletionPiece[]): CompletionPiece[] {
  const out: CompletionPiece[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (piece.type === 'text' && last?.type === 'text') last.text += piece.text;
    else out.push(piece.type === 'text' ? { ...piece } : piece);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
