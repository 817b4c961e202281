import { readFileSync } from 'node:fs';
import {
  assistantPrefix,
  continueTagScript,
  type LoopbackChatRequest,
  lastUserText,
  questionOf,
} from '@autotraj/generation/testing';

/** The shipped benchmark lines the scripted policy knows, by question text. */
function goldByQuestion(
  files: ReadonlyArray<string>,
): Map<string, { id: string; gold: string; kind: string }> {
  const map = new Map<string, { id: string; gold: string; kind: string }>();
  for (const file of files)
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, 20)) {
      const row = JSON.parse(line) as {
        id: string;
        question: string;
        answer: string;
        kind: string;
      };
      map.set(row.question, {
        id: row.id,
        gold: row.answer.replace(/^\{(.*)\}$/, '$1'),
        kind: row.kind,
      });
    }
  return map;
}

/**
 * A deterministic TIR policy for the loopback server, as a real model's text: math questions
 * compute the gold answer with Python (by default every third question adds one, so some are
 * wrong), QA questions search for the question and answer (wrong ones answer "London").
 */
export function evalPolicyReply(
  files: ReadonlyArray<string>,
  isWrong: (index: number) => boolean = (index) => index % 3 === 1,
): (request: LoopbackChatRequest) => { text: string } {
  const golds = goldByQuestion(files);
  return (request) => {
    const question = questionOf(lastUserText(request.messages));
    const known = golds.get(question);
    if (known === undefined)
      return { text: '<think>I do not know.</think>\n<answer>\\boxed{0}</answer>' };
    const index = Number(known.id.split('-').pop());
    const wrong = isWrong(index);
    const script =
      known.kind === 'math'
        ? `<think>Compute it exactly.</think>\n<code>\nprint(${known.gold}${wrong ? ' + 1' : ''})\n</code>\n<think>The result is the answer.</think>\n<answer>\\boxed{${wrong ? Number(known.gold) + 1 : known.gold}}</answer>`
        : `<think>Look it up.</think>\n<search>${question}</search>\n<think>The passage answers it.</think>\n<answer>\\boxed{${wrong ? 'London' : known.gold}}</answer>`;
    return { text: continueTagScript(script, assistantPrefix(request.messages)) };
  };
}
