import { z } from 'zod';
import { trajectoryFromText } from '../build-trajectory.js';
import { detectTextFormat, getTextCodec, type TextFormat } from '../codecs/registry.js';
import type { InputLocation } from '../errors.js';
import { contentId, taskId } from '../ids.js';
import { type PreferencePair, preferencePairSchema } from '../schemas/records.js';
import { validate } from '../validate.js';
import { recordPromptMessages, systemTurnOf, userTurnOf } from './prompt-turns.js';

function promptOf(pair: PreferencePair): string {
  const system = systemTurnOf(pair);
  return system === undefined ? userTurnOf(pair) : `${system}\n\n${userTurnOf(pair)}`;
}

/** TRL standard preference format: plain `prompt`, `chosen`, `rejected` strings. */
export function toTrlPreference(
  pair: PreferencePair,
  options: { format?: TextFormat } = {},
): { prompt: string; chosen: string; rejected: string } {
  const codec = getTextCodec(options.format ?? 'tags');
  return {
    prompt: promptOf(pair),
    chosen: codec.render(pair.chosen.steps),
    rejected: codec.render(pair.rejected.steps),
  };
}

type ChatTurn = { role: 'system' | 'user' | 'assistant'; content: string };

/** TRL conversational preference format: `prompt` turns, then one assistant turn each. */
export function toTrlConversationalPreference(
  pair: PreferencePair,
  options: { format?: TextFormat } = {},
): { prompt: ChatTurn[]; chosen: ChatTurn[]; rejected: ChatTurn[] } {
  const codec = getTextCodec(options.format ?? 'tags');
  return {
    prompt: recordPromptMessages(pair),
    chosen: [{ role: 'assistant', content: codec.render(pair.chosen.steps) }],
    rejected: [{ role: 'assistant', content: codec.render(pair.rejected.steps) }],
  };
}

/** LLaMA-Factory pairwise (alpaca style): `instruction`, `input`, `chosen`, `rejected`. */
export function toLlamaFactoryPreference(
  pair: PreferencePair,
  options: { format?: TextFormat } = {},
): { instruction: string; input: string; chosen: string; rejected: string; system?: string } {
  const codec = getTextCodec(options.format ?? 'tags');
  const out: {
    instruction: string;
    input: string;
    chosen: string;
    rejected: string;
    system?: string;
  } = {
    instruction: userTurnOf(pair),
    input: '',
    chosen: codec.render(pair.chosen.steps),
    rejected: codec.render(pair.rejected.steps),
  };
  const system = systemTurnOf(pair);
  if (system !== undefined) out.system = system;
  return out;
}

const chatTurnsSchema = z.array(z.looseObject({ role: z.string(), content: z.string() }));
const textOrTurns = z.union([z.string(), chatTurnsSchema]);

/** A TRL preference row, standard (strings) or conversational (turn lists). */
export const trlPreferenceRowSchema = z.looseObject({
  prompt: textOrTurns,
  chosen: textOrTurns,
  rejected: textOrTurns,
});

function turnsText(value: z.infer<typeof textOrTurns>, role: 'user' | 'assistant'): string {
  if (typeof value === 'string') return value;
  return value
    .filter((turn) => turn.role === role)
    .map((turn) => turn.content)
    .join('\n');
}

/**
 * A TRL preference row back into a `PreferencePair`: the completions are parsed with a text
 * codec, named or detected per text (`tags`, `markdown-tir`, `gsm8k-calculator`).
 */
export function preferencePairFromTrl(
  raw: unknown,
  options: { format?: TextFormat; dataSource?: string; location?: InputLocation } = {},
): PreferencePair {
  const row = validate(trlPreferenceRowSchema, raw, {
    what: 'TRL preference row',
    ...(options.location ? { location: options.location } : {}),
  });
  const question = turnsText(row.prompt, 'user');
  const task = taskId({
    question,
    ...(options.dataSource === undefined ? {} : { dataSource: options.dataSource }),
  });
  const side = (name: 'chosen' | 'rejected') => {
    const text = turnsText(row[name], 'assistant');
    const format = options.format ?? detectTextFormat(text) ?? 'tags';
    return trajectoryFromText(text, {
      format,
      taskId: task,
      question,
      provenance: { origin: 'imported' },
    }).trajectory;
  };
  const chosen = side('chosen');
  const rejected = side('rejected');
  return validate(preferencePairSchema, {
    id: contentId('pair', { c: chosen.id, r: rejected.id }),
    taskId: task,
    question,
    chosen,
    rejected,
    source: 'trl',
  });
}
