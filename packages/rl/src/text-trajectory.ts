import {
  detectTextFormat,
  getTextCodec,
  type TextFormat,
  type Trajectory,
} from '@autotraj/trajectory';
import { isTrajectory, sealTrajectory } from '@autotraj/trajectory/internal';

/**
 * Parse what a policy wrote (tag format, markdown TIR or GSM8K calculator text; tags when no
 * marker is present) into a trajectory for scoring. Built directly from the codec's steps, which
 * are valid by construction, to keep the per-request cost of the reward server low. Checked
 * once here by the hand-written guard and sealed (deep-frozen), so the checked rewards take it
 * without checking it again.
 */
export function trajectoryFromPolicyText(
  text: string,
  options: {
    question?: string | undefined;
    taskId?: string;
    id?: string;
    format?: TextFormat;
  } = {},
): Trajectory {
  const format = options.format ?? detectTextFormat(text) ?? 'tags';
  const parsed = getTextCodec(format).parse(text);
  const trajectory: Trajectory = {
    id: options.id ?? 'request',
    taskId: options.taskId ?? 'request',
    ...(options.question === undefined ? {} : { question: options.question }),
    steps: parsed.steps,
    finalAnswer: parsed.finalAnswer,
    provenance: { format },
    metadata: {},
  };
  return isTrajectory(trajectory) ? sealTrajectory(trajectory) : trajectory;
}

const CHAT_TEMPLATES: ReadonlyArray<{ user: RegExp; assistant: string }> = [
  // ChatML (Qwen): <|im_start|>user\n...<|im_end|>
  { user: /<\|im_start\|>user\s*\n([\s\S]*?)<\|im_end\|>/g, assistant: '<|im_start|>assistant' },
  // Llama 3: <|start_header_id|>user<|end_header_id|>\n\n...<|eot_id|>
  {
    user: /<\|start_header_id\|>user<\|end_header_id\|>\s*([\s\S]*?)<\|eot_id\|>/g,
    assistant: '<|start_header_id|>assistant<|end_header_id|>',
  },
];

/** The last user turn of a chat-templated prompt (ChatML, Llama 3); the prompt itself otherwise. */
export function questionFromPrompt(prompt: string): string {
  for (const template of CHAT_TEMPLATES) {
    let last: string | undefined;
    for (const match of prompt.matchAll(template.user)) last = match[1];
    if (last !== undefined) return last.trim();
  }
  return prompt.trim();
}

/**
 * Split an OpenRLHF `query` (prompt + response) into question and response: by the given
 * prompt when the query starts with it, else after the last assistant header of a known chat
 * template, else the whole query is the response.
 */
export function splitQuery(
  query: string,
  prompt?: string,
): { question?: string; response: string } {
  if (prompt !== undefined && query.startsWith(prompt)) {
    return {
      question: questionFromPrompt(prompt),
      response: stripEndOfTurn(query.slice(prompt.length)),
    };
  }
  for (const template of CHAT_TEMPLATES) {
    const at = query.lastIndexOf(template.assistant);
    if (at >= 0) {
      const head = query.slice(0, at);
      const response = query.slice(at + template.assistant.length).replace(/^\s*\n/, '');
      return { question: questionFromPrompt(head), response: stripEndOfTurn(response) };
    }
  }
  const response = stripEndOfTurn(query);
  return prompt === undefined ? { response } : { question: questionFromPrompt(prompt), response };
}

function stripEndOfTurn(response: string): string {
  return response.replace(/(?:<\|im_end\|>|<\|eot_id\|>|<\|endoftext\|>)\s*$/, '');
}
