import { describe, expect, it } from 'vitest';
import { renderOpenAiChat } from '../codecs/openai-chat.js';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { detectRecordFormat, recordToTrajectories } from './record-formats.js';

describe('record formats', () => {
  const gsm8k = readSharedJsonl('gsm8k/model-solutions.dev.jsonl')[0];
  const tora = readSharedJsonl('tora/gsm8k.dev.jsonl')[0];
  const train = readSharedJsonl('gsm8k/train.jsonl')[0];

  it('detects each layout from one record', () => {
    expect(detectRecordFormat(gsm8k)).toBe('gsm8k-solutions');
    expect(detectRecordFormat(tora)).toBe('tora');
    expect(detectRecordFormat(train)).toBe('gsm8k');
    expect(detectRecordFormat({ messages: [{ role: 'user', content: 'q' }] })).toBe('openai-chat');
    expect(detectRecordFormat({ text: '<think>a</think>' })).toBe('tags');
    expect(detectRecordFormat(42)).toBeNull();
  });

  it('ToRA and GSM8K solutions of the same problem share a task id', () => {
    const [fromTora] = recordToTrajectories('tora', tora);
    const fromGsm8k = recordToTrajectories('gsm8k-solutions', gsm8k);
    expect(fromGsm8k).toHaveLength(4);
    expect(fromTora!.trajectory.taskId).toBe(fromGsm8k[0]!.trajectory.taskId);
    expect(fromTora!.isCorrect).toBe(true);
  });

  it('reads the GSM8K reference solution with its calculator calls', () => {
    const [reference] = recordToTrajectories('gsm8k', train);
    expect(reference!.trajectory.finalAnswer).toBe('72');
    expect(reference!.trajectory.steps.filter((s) => s.type === 'tool-call')).toHaveLength(2);
  });

  it('returns the task a record defines, gold answers included, with each trajectory', () => {
    const [fromTora] = recordToTrajectories('tora', tora);
    const fromGsm8k = recordToTrajectories('gsm8k-solutions', gsm8k);
    const [reference] = recordToTrajectories('gsm8k', train);
    for (const item of [fromTora!, ...fromGsm8k, reference!]) {
      expect(item.task?.id).toBe(item.trajectory.taskId);
      expect(item.task?.goldAnswers.length).toBeGreaterThan(0);
    }
    expect(reference!.task?.goldAnswers).toEqual(['72']);
    // Layouts without a task: null, looked up by taskId by the caller.
    const messages = renderOpenAiChat([{ type: 'answer', text: '\\boxed{3}', answer: '3' }], {
      question: '1+2?',
    });
    expect(recordToTrajectories('openai-chat', { messages })[0]!.task).toBeNull();
  });

  it('chat records keep their id and question', () => {
    const messages = renderOpenAiChat([{ type: 'answer', text: '\\boxed{3}', answer: '3' }], {
      question: '1+2?',
    });
    const [item] = recordToTrajectories('openai-chat', { id: 'chat-1', messages });
    expect(item!.trajectory).toMatchObject({ id: 'chat-1', question: '1+2?', finalAnswer: '3' });
  });

  it('names the place of a record that does not fit', () => {
    expect(() =>
      recordToTrajectories('tags', { question: 'q' }, { file: 'in.jsonl', line: 7 }),
    ).toThrow(/no text field.*in\.jsonl, line 7/);
    expect(() => recordToTrajectories('tora', { idx: 'x' }, { file: 'in.jsonl', line: 2 })).toThrow(
      /ToRA record is invalid at in\.jsonl, line 2, field idx/,
    );
  });
});
