import { describe, expect, it } from 'vitest';
import {
  addLines,
  LineSet,
  markNumbers,
  NUMBER_IN_QUESTION,
  NUMBER_SEEN,
  NumberTable,
  writeNumbers,
} from './structural-scan.js';

describe('NumberTable', () => {
  it('counts written, new and covered numbers as Sets of values would, past its initial size', () => {
    const question = Array.from({ length: 700 }, (_, i) => `${i * 3}.5`).join(' ');
    const texts = [
      Array.from({ length: 900 }, (_, i) => `${i * 2}.5 and ${i}`).join(', '),
      'again 13 13 1,300.0 1300 4294967296.25',
    ];
    const table = new NumberTable();
    table.reset();
    markNumbers(question, table, NUMBER_IN_QUESTION | NUMBER_SEEN);
    markNumbers('result 99999', table, NUMBER_SEEN);
    for (const [step, text] of texts.entries()) writeNumbers(text, table, step);

    const values = (text: string) =>
      new Set(
        Array.from(text.matchAll(/\d+(?:,(?=\d)\d+)*(?:\.\d+)?/g), (m) =>
          Number(m[0].replaceAll(',', '')),
        ),
      );
    const q = values(question);
    const seen = new Set([...q, 99999]);
    let written = 0;
    let fresh = 0;
    const covered = new Set<number>();
    for (const text of texts)
      for (const v of values(text)) {
        written++;
        if (q.has(v)) covered.add(v);
        if (!seen.has(v) && v > 12) fresh++;
        seen.add(v);
      }
    expect({ written: table.written, fresh: table.fresh, covered: table.covered }).toEqual({
      written,
      fresh,
      covered: covered.size,
    });
    // A reset forgets everything.
    table.reset();
    writeNumbers('13 13', table, 0);
    expect([table.written, table.fresh, table.covered]).toEqual([1, 1, 0]);
  });
});

describe('LineSet', () => {
  it('counts lines of >= 8 chars and distinct ones, trimmed', () => {
    const set = new LineSet();
    set.reset();
    const lines = Array.from({ length: 200 }, (_, i) => `  line number ${i % 150}  `);
    addLines(`${lines.join('\n')}\nshort\n\n`, set);
    expect([set.lines, set.distinct]).toEqual([200, 150]);
  });
});
