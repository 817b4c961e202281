import { readFileSync } from 'node:fs';
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { contentId, createJsonlWriter, type JsonlWriter } from '@autotraj/trajectory';
import { canonicalJson } from '@autotraj/trajectory/internal';
import { wrapLanguageModel } from 'ai';
import { z } from 'zod';
import { CassetteMissError, GenerationConfigError } from '../errors.js';
import type { ModelLike } from './resilient-model.js';

const contentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('reasoning'), text: z.string() }),
  z.object({
    type: z.literal('tool-call'),
    toolCallId: z.string(),
    toolName: z.string(),
    input: z.string(),
  }),
]);

/** One recorded exchange: the request's hash, a readable summary, and the response. */
export const cassetteEntrySchema = z.object({
  key: z.string().min(1),
  model: z.string(),
  /** Last user message and settings, cut short: for people reading the cassette, not for matching. */
  summary: z.string(),
  response: z.object({
    content: z.array(contentSchema),
    finishReason: z.enum([
      'stop',
      'length',
      'content-filter',
      'tool-calls',
      'error',
      'interrupted',
      'other',
    ]),
    usage: z.object({
      inputTokens: z.number().int().nonnegative().optional(),
      outputTokens: z.number().int().nonnegative().optional(),
    }),
  }),
  /** `authored` for hand-written fixtures, `recorded` for live responses. */
  source: z.enum(['recorded', 'authored']).default('recorded'),
});

export type CassetteEntry = z.infer<typeof cassetteEntrySchema>;

/**
 * The hash that keys a request: prompt, tools and sampling settings, in canonical JSON. The
 * model id, headers and abort signals are left out, so a cassette recorded against one
 * deployment replays under any model name.
 */
export function requestKey(options: LanguageModelV4CallOptions): string {
  return contentId('req', {
    prompt: options.prompt.map((message) => ({ ...message, providerOptions: undefined })),
    tools: options.tools ?? null,
    toolChoice: options.toolChoice ?? null,
    temperature: options.temperature ?? null,
    topP: options.topP ?? null,
    topK: options.topK ?? null,
    maxOutputTokens: options.maxOutputTokens ?? null,
    stopSequences: options.stopSequences ?? null,
    seed: options.seed ?? null,
    responseFormat: options.responseFormat ?? null,
  });
}

function summarize(options: LanguageModelV4CallOptions): string {
  const users = options.prompt.filter((m) => m.role === 'user');
  const last = users[users.length - 1];
  const text =
    last === undefined
      ? ''
      : last.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('');
  const tail = options.prompt[options.prompt.length - 1];
  const continuing =
    tail?.role === 'assistant'
      ? ` +assistant(${tail.content.map((p) => (p.type === 'text' ? p.text.length : 0)).reduce((a, b) => a + b, 0)} chars)`
      : '';
  // The end of the user turn: a templated prompt ends with the question, its start is the same
  // rules for every request.
  const shown = text.length <= 120 ? text : `…${text.slice(-119)}`;
  return `${canonicalJson(shown)}${continuing} seed=${options.seed ?? '-'} t=${options.temperature ?? '-'}`;
}

function toEntryContent(
  content: ReadonlyArray<LanguageModelV4Content>,
): CassetteEntry['response']['content'] {
  const out: CassetteEntry['response']['content'] = [];
  for (const part of content) {
    if (part.type === 'text' || part.type === 'reasoning')
      out.push({ type: part.type, text: part.text });
    else if (part.type === 'tool-call')
      out.push({
        type: 'tool-call',
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        input: part.input,
      });
  }
  return out;
}

const emptyUsage = (usage: CassetteEntry['response']['usage']) => ({
  inputTokens: {
    total: usage.inputTokens,
    noCache: undefined,
    cacheRead: undefined,
    cacheWrite: undefined,
  },
  outputTokens: { total: usage.outputTokens, text: undefined, reasoning: undefined },
});

function generateResult(entry: CassetteEntry): LanguageModelV4GenerateResult {
  return {
    content: entry.response.content.map((part) => ({ ...part })),
    finishReason: { unified: entry.response.finishReason, raw: entry.response.finishReason },
    usage: emptyUsage(entry.response.usage),
    warnings: [],
  };
}

function streamParts(entry: CassetteEntry): LanguageModelV4StreamPart[] {
  const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }];
  entry.response.content.forEach((part, i) => {
    const id = String(i);
    if (part.type === 'text')
      parts.push(
        { type: 'text-start', id },
        { type: 'text-delta', id, delta: part.text },
        { type: 'text-end', id },
      );
    else if (part.type === 'reasoning')
      parts.push(
        { type: 'reasoning-start', id },
        { type: 'reasoning-delta', id, delta: part.text },
        { type: 'reasoning-end', id },
      );
    else parts.push({ ...part });
  });
  parts.push({
    type: 'finish',
    finishReason: { unified: entry.response.finishReason, raw: entry.response.finishReason },
    usage: emptyUsage(entry.response.usage),
  });
  return parts;
}

/** Read a cassette; every line must be a valid entry (errors name the file and line). */
export function readCassette(path: string): CassetteEntry[] {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GenerationConfigError({
      message: `cannot read cassette ${path}: ${(error as Error).message}`,
      cause: error,
    });
  }
  const entries: CassetteEntry[] = [];
  raw.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new GenerationConfigError({
        message: `${path}, line ${index + 1}: not valid JSON (${(error as Error).message})`,
        cause: error,
      });
    }
    const parsed = cassetteEntrySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GenerationConfigError({
        message: `${path}, line ${index + 1}, field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid entry'}`,
      });
    }
    entries.push(parsed.data);
  });
  return entries;
}

export interface ReplayModelOptions {
  /** A cassette file, or entries already loaded. */
  cassette: string | ReadonlyArray<CassetteEntry>;
  /** Model id reported in provenance (default: the model the cassette was recorded from). */
  modelId?: string;
}

/**
 * A `LanguageModel` that answers from a cassette and fails with `CassetteMissError` on a
 * request it does not hold. Identical requests recorded several times are answered in
 * recorded order (then the last one again).
 */
export function createReplayModel(options: ReplayModelOptions): LanguageModelV4 {
  const entries =
    typeof options.cassette === 'string' ? readCassette(options.cassette) : options.cassette;
  const name = typeof options.cassette === 'string' ? options.cassette : '(in-memory cassette)';
  const byKey = new Map<string, CassetteEntry[]>();
  for (const entry of entries) {
    const list = byKey.get(entry.key);
    if (list === undefined) byKey.set(entry.key, [entry]);
    else list.push(entry);
  }
  const served = new Map<string, number>();
  const lookup = (call: LanguageModelV4CallOptions): CassetteEntry => {
    const key = requestKey(call);
    const list = byKey.get(key);
    if (list === undefined)
      throw new CassetteMissError({ key, cassette: name, summary: summarize(call) });
    const n = served.get(key) ?? 0;
    served.set(key, n + 1);
    return list[Math.min(n, list.length - 1)]!;
  };
  return {
    specificationVersion: 'v4',
    provider: 'replay',
    modelId: options.modelId ?? entries[0]?.model ?? 'cassette',
    supportedUrls: {},
    doGenerate: async (call) => generateResult(lookup(call)),
    doStream: async (call) => {
      const parts = streamParts(lookup(call));
      return {
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  };
}

export interface RecordingModelOptions {
  model: ModelLike;
  /** Cassette file to append to (created if missing). */
  cassette: string;
  /** Mark entries as hand-authored fixtures rather than live recordings. */
  source?: 'recorded' | 'authored';
}

/**
 * Wrap a live model so every response is appended to a cassette (one JSONL line per call,
 * keyed by `requestKey`). Streams are recorded as the completion they add up to.
 */
export function createRecordingModel(
  options: RecordingModelOptions,
): LanguageModelV4 & { readonly writer: JsonlWriter<unknown> } {
  const writer = createJsonlWriter(options.cassette);
  const source = options.source ?? 'recorded';
  const record = (
    call: LanguageModelV4CallOptions,
    model: LanguageModelV4,
    result: Pick<LanguageModelV4GenerateResult, 'content' | 'finishReason' | 'usage'>,
  ) => {
    const entry: CassetteEntry = {
      key: requestKey(call),
      model: `${model.provider.split('.')[0]}:${model.modelId}`,
      summary: summarize(call),
      response: {
        content: toEntryContent(result.content),
        finishReason: result.finishReason.unified,
        usage: {
          ...(result.usage.inputTokens.total === undefined
            ? {}
            : { inputTokens: result.usage.inputTokens.total }),
          ...(result.usage.outputTokens.total === undefined
            ? {}
            : { outputTokens: result.usage.outputTokens.total }),
        },
      },
      source,
    };
    writer.write(entry);
  };
  const wrapped = wrapLanguageModel({
    model: options.model,
    middleware: {
      specificationVersion: 'v4',
      wrapGenerate: async ({ doGenerate, params, model }) => {
        const result = await doGenerate();
        record(params, model, result);
        return result;
      },
      wrapStream: async ({ doStream, params, model }) => {
        const result = await doStream();
        const [mine, theirs] = result.stream.tee();
        // Record once the stream completes; a stream that errors is not recorded.
        void (async () => {
          const content: LanguageModelV4Content[] = [];
          let text = '';
          let reasoning = '';
          const reader = mine.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            if (value.type === 'text-delta') text += value.delta;
            else if (value.type === 'reasoning-delta') reasoning += value.delta;
            else if (value.type === 'tool-call') content.push(value);
            else if (value.type === 'error') return;
            else if (value.type === 'finish') {
              const parts: LanguageModelV4Content[] = [
                ...(reasoning === '' ? [] : [{ type: 'reasoning' as const, text: reasoning }]),
                ...(text === '' ? [] : [{ type: 'text' as const, text }]),
                ...content,
              ];
              record(params, model, {
                content: parts,
                finishReason: value.finishReason,
                usage: value.usage,
              });
            }
          }
        })().catch(() => undefined);
        return { ...result, stream: theirs };
      },
    },
  });
  return Object.assign(wrapped, { writer });
}
