import type { Segment, TextCodec } from '../codecs/codec.js';
import type { LossMaskSpan, RenderedText } from '../schemas/records.js';
import type { Step } from '../schemas/step.js';

/** Merge segments into maximal spans of one source. */
export function spansFromSegments(segments: ReadonlyArray<Segment>): {
  text: string;
  spans: LossMaskSpan[];
} {
  let text = '';
  const spans: LossMaskSpan[] = [];
  for (const segment of segments) {
    if (segment.text === '') continue;
    const start = text.length;
    text += segment.text;
    const last = spans[spans.length - 1];
    if (last !== undefined && last.source === segment.source && last.end === start)
      last.end = text.length;
    else spans.push({ start, end: text.length, source: segment.source });
  }
  return { text, spans };
}

/**
 * Render steps in a text format with loss-mask spans: `model` characters are trained on,
 * `tool` characters (results the environment wrote) are excluded from SFT and RL losses.
 */
export function renderWithLossMask(steps: ReadonlyArray<Step>, codec: TextCodec): RenderedText {
  return { format: codec.name, ...spansFromSegments(codec.renderSegments(steps)) };
}

/** Per-character mask (1 = train, 0 = masked) for trainers that want an array. */
export function lossMaskArray(rendered: Pick<RenderedText, 'text' | 'spans'>): Uint8Array {
  const mask = new Uint8Array(rendered.text.length);
  for (const span of rendered.spans)
    if (span.source === 'model') mask.fill(1, span.start, span.end);
  return mask;
}

/** Only the characters the model wrote, in order (useful to check a mask by eye). */
export function modelWrittenText(rendered: Pick<RenderedText, 'text' | 'spans'>): string {
  return rendered.spans
    .filter((span) => span.source === 'model')
    .map((span) => rendered.text.slice(span.start, span.end))
    .join('');
}
