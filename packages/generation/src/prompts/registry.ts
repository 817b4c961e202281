import { readFileSync } from 'node:fs';
import { type PromptTemplate, promptTemplateSchema } from '@autotraj/trajectory';
import type { Protocol } from '../loop/types.js';
import { cotBoxedPrompt } from './cot-boxed.js';
import { cotExamplePrompt } from './cot-example.js';
import { markdownExamplePrompt } from './markdown-example.js';
import { markdownSystemPrompt } from './markdown-system.js';
import { nativeSystemPrompt } from './native-system.js';
import { paperPrompt } from './paper.js';
import { PromptTemplateError } from './prompt-error.js';
import { repairMarkdownPrompt } from './repair-markdown.js';
import { repairNativePrompt } from './repair-native.js';
import { repairQuestionPrompt, repairTrajectoryPrompt } from './repair-tags.js';
import { tagsExamplePrompt } from './tags-example.js';
import { tagsSystemPrompt } from './tags-system.js';

/** The prompt templates that ship, by name. */
export const builtinPrompts: Readonly<Record<string, PromptTemplate>> = Object.freeze(
  Object.fromEntries(
    [
      tagsExamplePrompt,
      tagsSystemPrompt,
      paperPrompt,
      cotExamplePrompt,
      cotBoxedPrompt,
      markdownExamplePrompt,
      markdownSystemPrompt,
      nativeSystemPrompt,
      repairTrajectoryPrompt,
      repairQuestionPrompt,
      repairMarkdownPrompt,
      repairNativePrompt,
    ].map((template) => [template.name, promptTemplateSchema.parse(template)]),
  ),
);

const DEFAULTS: Record<PromptTemplate['kind'], Partial<Record<Protocol, string>>> = {
  generation: {
    'text-tags': tagsExamplePrompt.name,
    markdown: markdownExamplePrompt.name,
    native: nativeSystemPrompt.name,
  },
  repair: {
    // The question alone, as the paper's repairer sees it: measured on 100 GSM8K problems with
    // Qwen2.5-Coder-1.5B repairing itself, 51 of 98 repairs were accepted against 20 when shown
    // its attempt, whose wrong answer it repeated (repairer README).
    'text-tags': repairQuestionPrompt.name,
    markdown: repairMarkdownPrompt.name,
    native: repairNativePrompt.name,
  },
};

/** The template a protocol uses when none is named. */
export function defaultPrompt(kind: PromptTemplate['kind'], protocol: Protocol): PromptTemplate {
  const name = DEFAULTS[kind][protocol];
  if (name === undefined)
    throw new PromptTemplateError({
      code: 'prompt_unknown',
      message: `no built-in ${kind} prompt for the ${protocol} protocol; pass one (a template file)`,
    });
  return builtinPrompts[name]!;
}

/**
 * A template by built-in name, or from a JSON file (any argument with a `/` or ending in
 * `.json`) that matches `promptTemplateSchema`. Checks it is of `kind` and, when given, for
 * `protocol`. Errors name the file and the field.
 */
export function resolvePrompt(
  nameOrFile: string,
  expected: { kind: PromptTemplate['kind']; protocol?: Protocol | undefined },
): PromptTemplate {
  const template = /[/\\]|\.json$/.test(nameOrFile)
    ? readPromptFile(nameOrFile)
    : builtinPrompts[nameOrFile];
  if (template === undefined)
    throw new PromptTemplateError({
      code: 'prompt_unknown',
      message: `unknown prompt "${nameOrFile}" (built in: ${Object.values(builtinPrompts)
        .filter((t) => t.kind === expected.kind)
        .map((t) => t.name)
        .join(', ')}; or a .json template file)`,
    });
  if (template.kind !== expected.kind)
    throw new PromptTemplateError({
      code: 'prompt_mismatch',
      message: `prompt "${template.name}" is a ${template.kind} prompt, not a ${expected.kind} prompt`,
    });
  if (expected.protocol !== undefined && template.protocol !== expected.protocol)
    throw new PromptTemplateError({
      code: 'prompt_mismatch',
      message: `prompt "${template.name}" teaches the ${template.protocol} protocol, but the run uses ${expected.protocol}`,
    });
  return template;
}

function readPromptFile(file: string): PromptTemplate {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new PromptTemplateError({
      code: 'prompt_file_invalid',
      file,
      message: `${file}: not a readable JSON prompt template: ${(cause as Error).message}`,
      cause,
    });
  }
  const parsed = promptTemplateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PromptTemplateError({
      code: 'prompt_file_invalid',
      file,
      message: `${file}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`,
      cause: parsed.error,
    });
  }
  return parsed.data;
}
