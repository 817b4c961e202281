import { describe, expect, it } from 'vitest';
import { trajectoryFromText } from '../build-trajectory.js';
import { tagCodec } from '../codecs/tags.js';
import { renderWithLossMask } from '../render/loss-mask.js';
import {
  type PreferencePair,
  preferencePairSchema,
  type SftRecord,
  sftRecordSchema,
} from '../schemas/records.js';
import { validate } from '../validate.js';
import {
  preferencePairFromTrl,
  toLlamaFactoryPreference,
  toTrlConversationalPreference,
  toTrlPreference,
} from './preference-formats.js';
import { toAlpaca, toOpenAiSft, toShareGpt } from './sft-formats.js';

const question = 'What is 6*7?';
const good = trajectoryFromText(
  '<think>multiply</think>\n<code>print(6*7)</code>\n<result>42</result>\n<answer>\\boxed{42}</answer>',
  { format: 'tags', taskId: 'task1', question },
).trajectory;
const bad = trajectoryFromText('<think>maybe 41?</think>\n<answer>\\boxed{41}</answer>', {
  format: 'tags',
  taskId: 'task1',
  question,
}).trajectory;

const sft: SftRecord = validate(sftRecordSchema, {
  id: 'sft1',
  taskId: 'task1',
  instruction: 'Solve with tools.',
  question,
  trajectory: good,
  origin: 'repaired',
  rendered: renderWithLossMask(good.steps, tagCodec),
});

const pair: PreferencePair = validate(preferencePairSchema, {
  id: 'p1',
  taskId: 'task1',
  question,
  chosen: good,
  rejected: bad,
});

describe('SFT exports', () => {
  it('OpenAI fine-tuning chat: tool calls as tool_calls, results as tool messages', () => {
    const { messages } = toOpenAiSft(sft);
    expect(messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(messages[2]).toMatchObject({
      content: 'multiply',
      tool_calls: [
        { type: 'function', function: { name: 'python', arguments: '{"code":"print(6*7)"}' } },
      ],
    });
    expect(messages[3]).toMatchObject({ role: 'tool', content: '42' });
    expect(toOpenAiSft(sft, { style: 'text' }).messages[2]).toEqual({
      role: 'assistant',
      content: sft.rendered.text,
    });
  });

  it('ShareGPT with function_call/observation turns (LLaMA-Factory)', () => {
    expect(toShareGpt(sft)).toEqual({
      system: 'Solve with tools.',
      conversations: [
        { from: 'human', value: question },
        // Turns alternate as LLaMA-Factory requires: the thought rides in the call's turn.
        {
          from: 'function_call',
          value:
            '<think>\nmultiply\n</think>\n\n{"name":"python","arguments":{"code":"print(6*7)"}}',
        },
        { from: 'observation', value: '42' },
        { from: 'gpt', value: '\\boxed{42}' },
      ],
    });
  });

  it('alpaca (instruction/input/output)', () => {
    expect(toAlpaca(sft)).toEqual({
      instruction: question,
      input: '',
      output: sft.rendered.text,
      system: 'Solve with tools.',
    });
  });
});

describe('preference exports', () => {
  it('TRL standard, conversational and LLaMA-Factory pairwise', () => {
    const trl = toTrlPreference(pair);
    expect(trl.prompt).toBe(question);
    expect(trl.chosen).toContain('<result>42</result>');
    expect(trl.rejected).toContain('\\boxed{41}');
    const conv = toTrlConversationalPreference(pair);
    expect(conv.prompt).toEqual([{ role: 'user', content: question }]);
    expect(conv.chosen).toEqual([{ role: 'assistant', content: trl.chosen }]);
    expect(toLlamaFactoryPreference(pair)).toEqual({
      instruction: question,
      input: '',
      chosen: trl.chosen,
      rejected: trl.rejected,
    });
  });

  it('reads TRL rows back into pairs, standard and conversational, detecting the codec', () => {
    const back = preferencePairFromTrl(toTrlPreference(pair));
    expect(back.chosen.steps).toEqual(good.steps);
    expect(back.rejected.finalAnswer).toBe('41');
    const conv = preferencePairFromTrl(toTrlConversationalPreference(pair));
    expect(conv.question).toBe(question);
    expect(conv.chosen.steps).toEqual(good.steps);
    const markdown = preferencePairFromTrl({
      prompt: 'q',
      chosen: '```python\nprint(1)\n```\n```output\n1\n```\n\\boxed{1}',
      rejected: '\\boxed{2}',
    });
    expect(markdown.chosen.provenance.format).toBe('markdown-tir');
    expect(() =>
      preferencePairFromTrl(
        { prompt: 'q', chosen: 1, rejected: 'x' },
        { location: { file: 'p.jsonl', line: 3 } },
      ),
    ).toThrow(/p\.jsonl, line 3, field chosen/);
  });
});
