import {
  builtinPrompts,
  defaultPrompt,
  PromptTemplateError,
  type Protocol,
  resolvePrompt,
} from '@autotraj/generation';
import type { PromptTemplate } from '@autotraj/trajectory';
import type { Command } from 'commander';
import { CliError } from './cli-error.js';

export interface PromptFlags {
  prompt?: string;
  repairPrompt?: string;
}

const names = (kind: PromptTemplate['kind']) =>
  Object.values(builtinPrompts)
    .filter((t) => t.kind === kind)
    .map((t) => t.name)
    .join(' | ');

/** `--prompt <name|file>`: the policy's prompt template (every command that runs a model). */
export function addPromptOption(command: Command): Command {
  return command.option(
    '--prompt <name|file>',
    `the prompt template: ${names('generation')}, or a JSON template file (default: tags-example for text-tags, native-system for native)`,
  );
}

/** `--repair-prompt <name|file>`: the repairer's prompt template. */
export function addRepairPromptOption(command: Command): Command {
  return command.option(
    '--repair-prompt <name|file>',
    `the repair prompt template: ${names('repair')} (the paper's input: the question alone), or a JSON template file (default for text tags: repair-question)`,
  );
}

/** A prompt flag resolved to its template (the protocol's default when absent); usage errors when wrong. */
export function resolveCliPrompt(
  nameOrFile: string | undefined,
  expected: { kind: PromptTemplate['kind']; protocol: Protocol; flag: string },
): PromptTemplate {
  try {
    return nameOrFile === undefined
      ? defaultPrompt(expected.kind, expected.protocol)
      : resolvePrompt(nameOrFile, { kind: expected.kind, protocol: expected.protocol });
  } catch (cause) {
    if (!PromptTemplateError.isInstance(cause)) throw cause;
    throw new CliError({ message: `${expected.flag}: ${cause.message}`, exitCode: 2, cause });
  }
}
