import { type OpenAiChatMessage, renderOpenAiChat } from '../codecs/openai-chat.js';
import { toolInputText } from '../contracts/tool-spec.js';
import type { SftRecord } from '../schemas/records.js';
import { recordPromptMessages, systemTurnOf, userTurnOf } from './prompt-turns.js';

/**
 * OpenAI fine-tuning chat JSONL. `tool-calls` (default) uses native `tool_calls` and `tool`
 * messages, so tool output is never trained on; `text` puts the rendered trajectory (tool
 * results included, unmaskable in this format) in one assistant message.
 */
export function toOpenAiSft(
  record: SftRecord,
  options: { style?: 'tool-calls' | 'text' } = {},
): { messages: OpenAiChatMessage[] } {
  const prompt: OpenAiChatMessage[] = recordPromptMessages(record);
  if (options.style === 'text') {
    return { messages: [...prompt, { role: 'assistant', content: record.rendered.text }] };
  }
  return { messages: [...prompt, ...renderOpenAiChat(record.trajectory.steps)] };
}

export interface ShareGptTurn {
  from: 'human' | 'gpt' | 'function_call' | 'observation';
  value: string;
}

export interface ShareGptRecord {
  conversations: ShareGptTurn[];
  system?: string;
}

/** LLaMA-Factory's default `thought_words`: the thought its function formatter keeps before a call. */
const thoughtOpen = '<think>\n';
const thoughtClose = '\n</think>\n\n';

/**
 * ShareGPT as LLaMA-Factory reads it: tool calls as `function_call` turns (JSON
 * `{name, arguments}`, a list for parallel calls), results as `observation` turns, which
 * LLaMA-Factory does not train on. Its converter requires turns to alternate (human or
 * observation, then gpt or function_call) and drops any example that does not, so the text
 * the model wrote before a call goes into that `function_call` turn as a thought, wrapped in
 * LLaMA-Factory's default thought words (`<think>\n...\n</think>\n\n`).
 */
export function toShareGpt(record: SftRecord): ShareGptRecord {
  const conversations: ShareGptTurn[] = [{ from: 'human', value: record.question }];
  let text = '';
  let calls: { name: string; arguments: unknown }[] = [];
  let results: string[] = [];
  const flushCalls = () => {
    if (calls.length === 0) return;
    const json = JSON.stringify(calls.length === 1 ? calls[0] : calls);
    const thought = text === '' ? '' : `${thoughtOpen}${text}${thoughtClose}`;
    conversations.push({ from: 'function_call', value: thought + json });
    text = '';
    calls = [];
  };
  const flushResults = () => {
    if (results.length === 0) return;
    conversations.push({ from: 'observation', value: results.join('\n') });
    results = [];
  };
  for (const step of record.trajectory.steps) {
    switch (step.type) {
      case 'think':
      case 'answer':
        flushResults();
        text = text === '' ? step.text : `${text}\n${step.text}`;
        break;
      case 'tool-call':
        flushResults();
        calls.push({ name: step.toolName, arguments: step.input });
        break;
      case 'tool-result':
        flushCalls();
        results.push(step.output);
        break;
    }
  }
  flushCalls();
  flushResults();
  if (text !== '') conversations.push({ from: 'gpt', value: text });
  const system = systemTurnOf(record);
  return system === undefined ? { conversations } : { conversations, system };
}

export interface AlpacaRecord {
  instruction: string;
  input: string;
  output: string;
  system?: string;
}

/**
 * LLaMA-Factory alpaca: `instruction` (the question), `input` (empty), `output` (the rendered
 * trajectory). This format cannot mask tool output; prefer ShareGPT for tool-use SFT.
 */
export function toAlpaca(record: SftRecord): AlpacaRecord {
  const out: AlpacaRecord = {
    instruction: userTurnOf(record),
    input: '',
    output: record.rendered.text,
  };
  const system = systemTurnOf(record);
  if (system !== undefined) out.system = system;
  return out;
}

/** A compact one-line summary of a call, for logs and reports. */
export function describeCall(toolName: string, input: Parameters<typeof toolInputText>[1]): string {
  const text = toolInputText(toolName, input).replace(/\s+/g, ' ');
  return `${toolName}(${text.length > 60 ? `${text.slice(0, 60)}…` : text})`;
}
