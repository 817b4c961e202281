import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../ids.js';

/** The placeholders a template's text may use, and what fills them. */
export const PROMPT_PLACEHOLDERS = {
  /** The task's question. */
  question: 'the question',
  /** One line per available tool, saying how to call it (the tools' `promptLine`s). */
  tools: "the available tools' prompt lines",
  /** The tool budget. */
  maxToolCalls: 'the tool budget',
  /** Repair prompts with `repairInput: 'trajectory'`: the earlier attempt, as readable text. */
  attempt: 'the earlier attempt, as text',
  /** Repair prompts with `repairInput: 'trajectory'`: what to do differently, one line each. */
  notes: 'what to fix, as instructions',
} as const;
export type PromptPlaceholder = keyof typeof PROMPT_PLACEHOLDERS;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/**
 * A prompt as a named, versioned part of the system: its text (with worked examples), the turn
 * it goes in, and what it is for. Runs record its name, version and {@link promptTemplateHash},
 * so a run with another prompt is another run.
 */
export const promptTemplateSchema = z
  .object({
    /** Stable name users pick it by (`--prompt tags-example`). */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, . _ -'),
    /** Bumped whenever the text or placement changes. */
    version: z.number().int().min(1),
    /** `generation`: a policy's prompt; `repair`: the repairer's. */
    kind: z.enum(['generation', 'repair']),
    /** The TIR protocol whose output format the text teaches. */
    protocol: z.enum(['text-tags', 'markdown', 'native']),
    /**
     * `user`: the whole text, question included, is the user turn (no system turn), the closest
     * a chat model gets to a plain-text few-shot prompt; `system`: the text is the system turn
     * and the user turn is the question alone.
     */
    placement: z.enum(['system', 'user']),
    /**
     * Repair prompts: what the repairer sees. `question` (the paper's): only the question, so it
     * regenerates; `trajectory` (ours): also the earlier attempt and what to fix.
     */
    repairInput: z.enum(['question', 'trajectory']).optional(),
    /** The text, with `{{placeholder}}`s from {@link PROMPT_PLACEHOLDERS}. */
    text: z.string().min(1),
    /** One line for `--help` and reports. */
    description: z.string().min(1),
  })
  .superRefine((template, ctx) => {
    const used = placeholdersOf(template.text);
    for (const name of used)
      if (!Object.hasOwn(PROMPT_PLACEHOLDERS, name))
        ctx.addIssue({
          code: 'custom',
          path: ['text'],
          message: `unknown placeholder {{${name}}} (known: ${Object.keys(PROMPT_PLACEHOLDERS).join(', ')})`,
        });
    if (template.placement === 'user' && !used.has('question'))
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: 'a user-turn template must place the question with {{question}}',
      });
    if (template.placement === 'system' && used.has('question'))
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message:
          'a system-turn template is followed by the question in the user turn: drop {{question}}',
      });
    if (template.kind === 'repair' && template.repairInput === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['repairInput'],
        message: "a repair template says what it sees: 'question' or 'trajectory'",
      });
    if (template.kind === 'generation' && template.repairInput !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['repairInput'],
        message: 'only repair templates have a repairInput',
      });
    if (template.kind === 'repair' && template.repairInput === 'trajectory')
      for (const needed of ['attempt', 'notes'] as const)
        if (!used.has(needed))
          ctx.addIssue({
            code: 'custom',
            path: ['text'],
            message: `a repair template that sees the trajectory places it with {{${needed}}}`,
          });
  });
export type PromptTemplate = z.infer<typeof promptTemplateSchema>;

/** What a run records of its prompt (manifests, results, SFT records). */
export type PromptRef = {
  name: string;
  version: number;
  hash: string;
};

function placeholdersOf(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!));
}

/** SHA-256 (hex) of the template's canonical JSON: any change to text, turn or kind changes it. */
export function promptTemplateHash(template: PromptTemplate): string {
  return createHash('sha256').update(canonicalJson(template)).digest('hex');
}

export function promptRef(template: PromptTemplate): PromptRef {
  return { name: template.name, version: template.version, hash: promptTemplateHash(template) };
}

/** The messages a template makes: a system turn (or none) and the user turn. */
export interface RenderedPrompt {
  system: string | undefined;
  user: string;
}

/**
 * Fill a template's placeholders. Every placeholder the text uses must be given (a missing one
 * throws); values are inserted verbatim, never re-scanned, so a question that contains `{{x}}`
 * stays as written. Lines made empty by an empty value (`{{tools}}` without tools) are dropped.
 */
export function renderPromptTemplate(
  template: PromptTemplate,
  values: Partial<Record<PromptPlaceholder, string | number>> & { question: string },
): RenderedPrompt {
  const fill = (text: string) => {
    const lines = text.split('\n').map((line) => {
      const only = /^\s*\{\{\s*([A-Za-z]+)\s*\}\}\s*$/.exec(line);
      if (only !== null && String(placeholderValue(only[1]!)) === '') return null;
      return line.replace(PLACEHOLDER, (_m, name: string) => String(placeholderValue(name)));
    });
    return lines.filter((line): line is string => line !== null).join('\n');
  };
  const placeholderValue = (name: string): string | number => {
    const value = values[name as PromptPlaceholder];
    if (value === undefined)
      throw new Error(`prompt "${template.name}" v${template.version}: no value for {{${name}}}`);
    return value;
  };
  return template.placement === 'user'
    ? { system: undefined, user: fill(template.text) }
    : { system: fill(template.text), user: values.question };
}
