import { describe, expect, it } from 'vitest';
import { StopScanner } from './stop-scanner.js';

/** Feeds the text one character at a time, as token-by-token generation would. */
function scan(
  text: string,
  stops: string[],
): { out: string; deltas: string[]; stopped?: string | undefined } {
  const scanner = new StopScanner(stops);
  const deltas: string[] = [];
  for (let i = 1; i <= text.length && scanner.stopped === undefined; i++) {
    const d = scanner.push(text.slice(0, i));
    if (d) deltas.push(d);
  }
  const rest = scanner.flush(text);
  if (rest) deltas.push(rest);
  return { out: deltas.join(''), deltas, stopped: scanner.stopped };
}

describe('StopScanner', () => {
  it('cuts before the stop sequence and never releases part of it', () => {
    const r = scan('x = 1\nprint(x)</code> and more', ['</code>']);
    expect(r.out).toBe('x = 1\nprint(x)');
    expect(r.stopped).toBe('</code>');
    expect(r.deltas.some((d) => d.includes('<'))).toBe(false);
  });

  it('releases a held-back partial match once it stops matching', () => {
    const r = scan('a </co b', ['</code>']);
    expect(r.out).toBe('a </co b');
    expect(r.stopped).toBeUndefined();
  });

  it('stops at the earliest of several stop sequences', () => {
    expect(scan('one</answer>two</code>', ['</code>', '</answer>']).out).toBe('one');
  });

  it('finds a stop sequence that arrives in one chunk with text after it', () => {
    const scanner = new StopScanner(['STOP']);
    expect(scanner.push('abc')).toBe('abc');
    expect(scanner.push('abcdefSTOPxyz')).toBe('def');
    expect(scanner.stopped).toBe('STOP');
    expect(scanner.flush('abcdefSTOPxyz')).toBe('');
  });

  it('passes text through untouched without stop sequences', () => {
    expect(scan('hello world', []).out).toBe('hello world');
    expect(scan('hello world', ['']).out).toBe('hello world');
  });
});
