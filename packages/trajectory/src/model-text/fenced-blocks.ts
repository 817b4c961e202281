/** A ``` fenced block in model-written text. */
export interface FencedBlock {
  /** The first word of the info string, lower case; '' for a bare fence. */
  language: string;
  /** The text between the opening line and the closing fence, without the newline before it. */
  body: string;
  /** Offset of the opening fence. */
  start: number;
  /** Offset just after the closing fence; the end of the text when the block is not closed. */
  end: number;
  closed: boolean;
}

// Opening fences start a line (models put them there); a closing fence may end a code line.
const OPEN = /^[ \t]*```[ \t]*([^\s`]*)[^\n`]*\n/gm;

/**
 * The fenced blocks of a text, in order. A block the model did not close runs to the end of
 * the text: a model that stops after writing code is exactly the case worth finding.
 */
export function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  // Most texts have no fence; the multi-line search would still try every line.
  if (!text.includes('```')) return blocks;
  let from = 0;
  for (;;) {
    OPEN.lastIndex = from;
    const open = OPEN.exec(text);
    if (open === null) break;
    const bodyStart = open.index + open[0].length;
    const closeAt = text.indexOf('```', bodyStart);
    const closed = closeAt >= 0;
    const body = text.slice(bodyStart, closed ? closeAt : text.length);
    const end = closed ? closeAt + 3 : text.length;
    blocks.push({
      language: open[1]!.toLowerCase(),
      body: body.endsWith('\n') ? body.slice(0, -1) : body,
      start: open.index + open[0].indexOf('```'),
      end,
      closed,
    });
    from = end;
  }
  return blocks;
}
