import { CodecError } from '../errors.js';
import type { TextCodec } from './codec.js';
import { gsm8kCalculatorCodec } from './gsm8k-calculator.js';
import { markdownTirCodec } from './markdown-tir.js';
import { tagCodec } from './tags.js';

export const textFormats = ['tags', 'markdown-tir', 'gsm8k-calculator'] as const;
export type TextFormat = (typeof textFormats)[number];

const codecs: Record<TextFormat, TextCodec> = {
  tags: tagCodec,
  'markdown-tir': markdownTirCodec,
  'gsm8k-calculator': gsm8kCalculatorCodec,
};

export function isTextFormat(name: string): name is TextFormat {
  return (textFormats as readonly string[]).includes(name);
}

export function getTextCodec(format: string): TextCodec {
  if (!isTextFormat(format)) {
    throw new CodecError({
      codec: format,
      message: `unknown text format; expected one of ${textFormats.join(', ')}`,
    });
  }
  return codecs[format];
}

/**
 * Guess the text format from its markers; null when none is present. Tags win over fences
 * (Tool-Star models put ```python inside <code>), fences over calculator annotations.
 */
export function detectTextFormat(text: string): TextFormat | null {
  if (/<(think|answer|code|search|result)>/.test(text)) return 'tags';
  if (/```(python|py|output)\b/.test(text)) return 'markdown-tir';
  if (/<<[^<>]*=[^<>]*>>/.test(text) || /^(?:A:|####)\s*\S/m.test(text)) return 'gsm8k-calculator';
  return null;
}
