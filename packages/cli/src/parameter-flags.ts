// The one table from the libraries' option names to the CLI's flags. Library errors name the
// option as the library spells it, in backticks (`replay`, `baseURL`); the CLI prints the flag
// (--replay, --base-url) through `withFlags`, and names recorded settings through `flagOf`.

/** Options whose flag is not their name in kebab case. */
const FLAG_OF: Readonly<Record<string, string>> = {
  baseURL: '--base-url',
  repairBaseURL: '--repair-base-url',
  rewardModel: '--rm',
  outDir: '--out',
  prompts: '--prompt',
  rows: '--sft',
  gradientAccumulation: '--grad-accum',
  // The LoRA settings train-sft records (the option `lora`, an adapter file, is --lora).
  lora: '--lora-r, --lora-alpha',
};

/** The flag of an option or setting: `maxToolCalls` -> `--max-tool-calls`, `baseURL` -> `--base-url`. */
export function flagOf(name: string): string {
  return FLAG_OF[name] ?? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The options library errors name that the CLI has a flag for. Only these are rewritten: a
 * backticked word in a message is not always an option (`generate`, `messages`).
 */
const FLAGGED_PARAMETERS: ReadonlySet<string> = new Set([
  'model',
  'baseURL',
  'apiKey',
  'continuation',
  'chatTemplate',
  'replay',
  'record',
  'protocol',
  'minPairs',
  'tasks',
  'prompt',
  'repairPrompt',
  'repairModel',
  'validationSplit',
  'lora',
  'shard',
  'outDir',
]);

/** Where an option's flag differs from its recorded setting's: `lora` is the adapter file. */
const OPTION_FLAG_OF: Readonly<Record<string, string>> = { lora: '--lora' };

/** A library message as the CLI prints it: every backticked option it has a flag for, as the flag. */
export function withFlags(message: string): string {
  return message.replace(/`([A-Za-z][A-Za-z0-9]*)`/g, (whole, name: string) =>
    FLAGGED_PARAMETERS.has(name) ? (OPTION_FLAG_OF[name] ?? flagOf(name)) : whole,
  );
}
