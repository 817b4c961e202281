import { toolTagTable } from '@autotraj/trajectory/internal';
import type { LoopbackChatMessage, LoopbackChatRequest } from './loopback-server.js';

function text(content: LoopbackChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('');
  return '';
}

/** The last user message of a request (the question, or the repair request). */
export function lastUserText(messages: ReadonlyArray<LoopbackChatMessage>): string {
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i]!.role === 'user') return text(messages[i]!.content);
  return '';
}

/**
 * The question a request asks, as a stand-in reads it: after the last `Problem:` or `Question:`
 * line of a user-turn template (and before a repair template's earlier attempt), else the whole
 * user turn (system-turn templates send the question alone).
 */
export function questionOf(user: string): string {
  const at = Math.max(user.lastIndexOf('\nProblem: '), user.lastIndexOf('\nQuestion: '));
  if (at < 0) return user;
  const rest = user.slice(user.indexOf(': ', at) + 2);
  const end = rest.indexOf('\n\nSomeone tried this problem before.');
  return end < 0 ? rest : rest.slice(0, end);
}

/** Whether a request is a repair (the repair templates ask for decisive, concise work). */
export function isRepairRequest(messages: ReadonlyArray<LoopbackChatMessage>): boolean {
  return (
    /Be decisive and concise/.test(lastUserText(messages)) ||
    /You repair/.test(systemText(messages))
  );
}

/** The system / developer message of a request. */
export function systemText(messages: ReadonlyArray<LoopbackChatMessage>): string {
  return messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => text(m.content))
    .join('\n');
}

/** The partial assistant text a text-tag continuation request ends with ('' on the first call). */
export function assistantPrefix(messages: ReadonlyArray<LoopbackChatMessage>): string {
  const last = messages[messages.length - 1];
  return last?.role === 'assistant' ? text(last.content) : '';
}

/**
 * The part of a whole scripted tag-format trajectory a model would write next, given the
 * partial assistant text so far: everything after the k-th tool call, where k is the number
 * of `<result>` blocks the environment appended. Stop sequences then cut it at the next call.
 */
export function continueTagScript(
  script: string,
  prefix: string,
  toolTags: ReadonlyArray<string> = Object.keys(toolTagTable()),
): string {
  const done = prefix.split('<result>').length - 1;
  if (done === 0) return script;
  const closes: number[] = [];
  const pattern = new RegExp(`</(${toolTags.join('|')})>`, 'g');
  for (let m = pattern.exec(script); m !== null; m = pattern.exec(script))
    closes.push(m.index + m[0].length);
  const at = closes[done - 1];
  return at === undefined ? '' : script.slice(at).replace(/^\s*\n/, '');
}

/** A loopback `reply` for the text-tag protocol from a function that picks the whole script for a request. */
export function tagScriptReply(
  pick: (request: LoopbackChatRequest) => string,
): (request: LoopbackChatRequest) => { text: string } {
  return (request) => ({
    text: continueTagScript(pick(request), assistantPrefix(request.messages)),
  });
}
