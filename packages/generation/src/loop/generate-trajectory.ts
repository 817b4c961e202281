import { randomUUID } from 'node:crypto';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import {
  createTagCodec,
  markdownTirCodec,
  promptRef,
  RUN_DEFAULTS,
  SOURCE_TEXT_KEY,
  type Step,
  type TextCodec,
  type ToolRuntime,
  type Trajectory,
  toolResultStep,
  trajectoryFromSteps,
  trajectoryId,
} from '@autotraj/trajectory';
import { toolTagTable } from '@autotraj/trajectory/internal';
import { wrapLanguageModel } from 'ai';
import { GenerationConfigError } from '../errors.js';
import { continuationOf, noContinuationError } from '../models/continuation.js';
import { modelNameOf } from '../models/model-name.js';
import { withRetries } from '../models/resilient-model.js';
import { generationPrompt } from '../prompts/generation-prompt.js';
import { markdownSteps, runMarkdownLoop } from './markdown-loop.js';
import { runNativeLoop } from './native-loop.js';
import { prefixResults, runTextTagLoop } from './text-tag-loop.js';
import type { GenerateTrajectoryOptions, GenerationStats } from './types.js';

const DEFAULT_TOOL_TAGS = toolTagTable();

/** Stands in for python in a markdown run offered no tools (budget 0: never called). */
const NO_PYTHON: ToolRuntime = {
  name: 'python',
  run: async () => {
    throw new GenerationConfigError({ message: 'no python tool was offered' });
  },
};

function toolMap(tools: ReadonlyArray<ToolRuntime>): Map<string, ToolRuntime> {
  const map = new Map<string, ToolRuntime>();
  for (const tool of tools) {
    if (map.has(tool.name))
      throw new GenerationConfigError({ message: `two tools are named "${tool.name}"` });
    map.set(tool.name, tool);
  }
  return map;
}

// Codecs are stateless but costly to build (one regex set per tag map): build each once, keyed
// by the tag map's content so a caller's mutated or copied map still gets the right codec.
const codecCache = new Map<string, TextCodec>();
function tagCodecFor(toolTags: Readonly<Record<string, string>>): TextCodec {
  const key = JSON.stringify(Object.entries(toolTags));
  let codec = codecCache.get(key);
  if (codec === undefined) {
    codec = createTagCodec({ toolTags: { ...toolTags } });
    if (codecCache.size < 64) codecCache.set(key, codec);
  }
  return codec;
}

/** Steps without timings, so equal generations get equal ids however long tools took. */
function timelessSteps(steps: ReadonlyArray<Step>): unknown[] {
  return steps.map((step) => {
    if (step.type !== 'tool-result') return step;
    const { durationMs: _d, ...rest } = step;
    return rest;
  });
}

/**
 * Run a model with real tool execution and return a validated trajectory with timings, usage,
 * model id and sampling settings. Model calls are retried (rate limits, server errors,
 * timeouts, cut streams, empty completions) unless `wrapRetries` is false; a call that keeps
 * failing throws `ModelCallError` with the reason.
 */
export async function generateTrajectory(options: GenerateTrajectoryOptions): Promise<Trajectory> {
  const protocol = options.protocol ?? RUN_DEFAULTS.protocol;
  const maxToolCalls = options.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls;
  const toolsByName = toolMap(options.tools);
  // Refuse up front what would otherwise fail (or silently break) at the first tool result.
  if (protocol === 'text-tags' && continuationOf(options.model) === 'none')
    throw noContinuationError(options.model.modelId);
  const toolTags = options.toolTags ?? DEFAULT_TOOL_TAGS;
  const codec = tagCodecFor(toolTags);
  const model: LanguageModelV4 =
    options.wrapRetries === false
      ? wrapLanguageModel({ model: options.model, middleware: [] })
      : withRetries(options.model, options.retry);
  const modelName = options.modelName ?? modelNameOf(options.model);
  const sessionId = options.sessionId ?? `${options.task.id}:${options.salt ?? ''}:${randomUUID()}`;
  const { rendered, template } = generationPrompt({
    ...options,
    question: options.task.question,
    toolNames: [...toolsByName.keys()],
    protocol,
    maxToolCalls,
  });
  const promptUsed = template === null ? null : promptRef(template);
  const prefix = options.prefix ?? [];
  const startedAt = new Date();
  const started = performance.now();

  let steps: Step[];
  let issues: Array<{ code: string; message: string }>;
  // The text-tag loop's text as the model wrote it (results appended by the environment): the
  // paper preset scores this text, as the paper's code does, and the codec's parse of it (which
  // repairs a missing </think>, words outside tags, a call inside a think block) is the steps.
  let sourceText: string | undefined;
  let stats: GenerationStats;
  let usage: Trajectory['provenance']['usage'];
  try {
    if (protocol === 'text-tags') {
      const { results, calls } = prefixResults(prefix);
      const prefixText = prefix.length === 0 ? '' : `${codec.render(prefix)}\n`;
      const loop = await runTextTagLoop({
        model,
        generation: options,
        instructions: rendered.system,
        prompt: rendered.user,
        codec,
        toolsByName,
        toolTags,
        sessionId,
        prefixText,
        prefixCalls: calls,
        results,
      });
      const parsed = codec.parse(loop.text);
      let callIndex = 0;
      const callIndexById = new Map<string, number>();
      // A result the loop did not produce was written by the model (e.g. past the tool budget,
      // when calls no longer stop generation): kept as written, and flagged.
      const invented: Array<{ code: string; message: string }> = [];
      steps = parsed.steps.map((step, index) => {
        if (step.type === 'tool-call') callIndexById.set(step.callId, callIndex++);
        if (step.type !== 'tool-result') return step;
        const result = loop.results.get(callIndexById.get(step.callId) ?? -1);
        if (result === undefined) {
          invented.push({
            code: 'fabricated-tool-output',
            message: `step ${index}: a ${step.toolName} result the model wrote itself (the call was never run)`,
          });
          return step;
        }
        return toolResultStep({ callId: step.callId, toolName: step.toolName, result });
      });
      issues = [...parsed.issues.map(({ code, message }) => ({ code, message })), ...invented];
      sourceText = loop.text;
      usage = loop.usage;
      stats = loopStats(loop, loop.results.size - calls);
    } else if (protocol === 'markdown') {
      // Each output block is appended to the assistant message, which the model continues.
      if (continuationOf(options.model) === 'none')
        throw noContinuationError(options.model.modelId, 'markdown');
      // Without a python tool the protocol is plain chain-of-thought (prose and \boxed{}): the
      // no-tool baseline. Its budget is 0, so a block the model writes is never run.
      if (toolsByName.size > 0 && !toolsByName.has('python'))
        throw new GenerationConfigError({
          message:
            'the markdown protocol runs ```python blocks: give it a tool named "python" (or no tools, for chain-of-thought)',
        });
      const python = toolsByName.get('python') ?? NO_PYTHON;
      const { results, calls } = prefixResults(prefix);
      const loop = await runMarkdownLoop({
        model,
        generation: toolsByName.has('python') ? options : { ...options, maxToolCalls: 0 },
        instructions: rendered.system,
        prompt: rendered.user,
        python,
        sessionId,
        prefixText: prefix.length === 0 ? '' : `${markdownTirCodec.render(prefix)}\n`,
        prefixCalls: calls,
        results,
      });
      ({ steps, issues } = markdownSteps(loop.text, loop.results));
      usage = loop.usage;
      stats = loopStats(loop, loop.results.size - calls);
    } else if (protocol === 'native') {
      const loop = await runNativeLoop({
        model,
        generation: options,
        instructions: rendered.system,
        prompt: rendered.user,
        runtimes: options.tools,
        sessionId,
      });
      steps = loop.steps;
      issues = loop.issues.map(({ code, message }) => ({ code, message }));
      usage = loop.usage;
      stats = loopStats(
        loop,
        steps.filter((s) => s.type === 'tool-call').length -
          prefix.filter((s) => s.type === 'tool-call').length,
      );
    } else {
      throw new GenerationConfigError({
        message: `unknown protocol "${String(protocol)}" (expected text-tags, markdown or native)`,
      });
    }
  } finally {
    // Session cleanup need not hold up the result (or a concurrency slot); a failure only
    // means the runtime frees the session later.
    for (const tool of options.tools) tool.endSession?.(sessionId).catch(() => undefined);
  }

  const finishedAt = new Date();
  const finalAnswer = [...steps].reverse().find((step) => step.type === 'answer');
  return trajectoryFromSteps(
    { steps, finalAnswer: finalAnswer?.type === 'answer' ? (finalAnswer.answer ?? null) : null },
    {
      taskId: options.task.id,
      question: options.task.question,
      id: trajectoryId({
        taskId: options.task.id,
        steps: timelessSteps(steps),
        model: modelName,
        salt: options.salt,
      }),
      provenance: {
        model: modelName,
        origin: options.origin ?? 'sampled',
        format:
          protocol === 'text-tags' ? 'tags' : protocol === 'markdown' ? 'markdown-tir' : 'ai-sdk',
        ...(options.sampling === undefined ? {} : { sampling: options.sampling }),
        ...(usage === undefined ? {} : { usage }),
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: performance.now() - started,
        ...(options.parentId === undefined ? {} : { parentId: options.parentId }),
      },
      metadata: {
        ...options.metadata,
        protocol,
        // The tools offered: a run that offered none is not faulted for making no call.
        tools: [...toolsByName.keys()],
        ...(promptUsed === null ? {} : { prompt: promptUsed }),
        generation: { ...stats, modelMs: round(stats.modelMs), toolMs: round(stats.toolMs) },
        ...(issues.length === 0 ? {} : { issues }),
        ...(sourceText === undefined ? {} : { [SOURCE_TEXT_KEY]: sourceText }),
      },
    },
  );
}

/** What a loop ran, with the calls this run made (a prefix's calls are not this run's). */
function loopStats(loop: Omit<GenerationStats, 'toolCalls'>, toolCalls: number): GenerationStats {
  return {
    modelCalls: loop.modelCalls,
    toolCalls,
    modelMs: loop.modelMs,
    toolMs: loop.toolMs,
    finishReason: loop.finishReason,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
