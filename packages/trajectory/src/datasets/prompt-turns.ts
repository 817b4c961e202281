import type { PreferencePair, SftRecord } from '../schemas/records.js';

type WithPrompt = Pick<SftRecord | PreferencePair, 'instruction' | 'question' | 'prompt'>;

/** The system turn a trainer should use: the recorded prompt's, else the legacy `instruction`. */
export function systemTurnOf(record: WithPrompt): string | undefined {
  return record.prompt !== undefined ? record.prompt.system : record.instruction;
}

/** The user turn: the recorded prompt's (template, examples and question), else the question. */
export function userTurnOf(record: WithPrompt): string {
  return record.prompt?.user ?? record.question;
}

/** A chat prompt: the system turn when there is one, then the user turn. */
export interface ChatPromptMessage {
  role: 'system' | 'user';
  content: string;
}

/** Prompt turns as chat messages (the system message only when there is a system turn). */
export function promptMessages(turns: {
  system?: string | undefined;
  user: string;
}): ChatPromptMessage[] {
  return [
    ...(turns.system === undefined ? [] : [{ role: 'system' as const, content: turns.system }]),
    { role: 'user', content: turns.user },
  ];
}

/** The chat messages a trainer prompts with for a record: `systemTurnOf` and `userTurnOf`. */
export function recordPromptMessages(record: WithPrompt): ChatPromptMessage[] {
  return promptMessages({ system: systemTurnOf(record), user: userTurnOf(record) });
}
