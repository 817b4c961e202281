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
