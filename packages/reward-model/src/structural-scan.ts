/**
 * Allocation-free helpers of the structural features: they run on every trajectory scored, so
 * sets are reused open-addressing tables cleared by bumping an epoch, and texts are read as
 * char codes.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A hash of a non-negative double; integers below 2^31 (almost all numbers seen) skip the bit view. */
function hashNumber(v: number): number {
  if ((v | 0) === v) return Math.imul(v, 0x9e3779b1);
  f64[0] = v;
  return Math.imul(u32[0]! ^ Math.imul(u32[1]!, 0x85ebca6b), 0x9e3779b1);
}

export const NUMBER_IN_QUESTION = 1;
export const NUMBER_SEEN = 2;
const NUMBER_COVERED = 4;

/**
 * The numbers of one trajectory with what is known about each: in the question, seen before
 * (question, earlier result or model text), written by the model in step N. It computes the
 * "numbers from nowhere" features exactly as Sets of values would (values are finite or
 * Infinity and never NaN, so `===` is Set equality).
 */
export class NumberTable {
  private keys = new Float64Array(256);
  private flags = new Int32Array(256);
  private lastStep = new Int32Array(256);
  private stamp = new Int32Array(256);
  private epoch = 1;
  private count = 0;
  private shift = 24;
  /** Distinct numbers per model text, summed over texts. */
  written = 0;
  /** Of those, numbers > 12 never seen before. */
  fresh = 0;
  /** Question numbers written by the model somewhere. */
  covered = 0;

  reset(): void {
    this.epoch++;
    if (this.epoch === 0x7fffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    this.count = 0;
    this.written = 0;
    this.fresh = 0;
    this.covered = 0;
  }

  private slot(v: number): number {
    const mask = this.keys.length - 1;
    let i = hashNumber(v) >>> this.shift;
    for (;;) {
      if (this.stamp[i] !== this.epoch) {
        this.stamp[i] = this.epoch;
        this.keys[i] = v;
        this.flags[i] = 0;
        this.lastStep[i] = -1;
        if (++this.count * 2 > this.keys.length) return this.grow(v);
        return i;
      }
      if (this.keys[i] === v) return i;
      i = (i + 1) & mask;
    }
  }

  private grow(v: number): number {
    const { keys, flags, lastStep, stamp, epoch } = this;
    const size = keys.length * 2;
    this.keys = new Float64Array(size);
    this.flags = new Int32Array(size);
    this.lastStep = new Int32Array(size);
    this.stamp = new Int32Array(size);
    this.epoch = 1;
    this.shift--;
    this.count = 0;
    let at = -1;
    for (let j = 0; j < keys.length; j++) {
      if (stamp[j] !== epoch) continue;
      const i = this.slot(keys[j]!);
      this.flags[i] = flags[j]!;
      this.lastStep[i] = lastStep[j]!;
      if (keys[j] === v) at = i;
    }
    return at;
  }

  /** A number of the question or a tool result: seen from now on. */
  mark(v: number, flag: number): void {
    const i = this.slot(v);
    this.flags[i] = this.flags[i]! | flag;
  }

  /** A number the model wrote in step `step` (each counted once per step). */
  write(v: number, step: number): void {
    const i = this.slot(v);
    if (this.lastStep[i] === step) return;
    this.lastStep[i] = step;
    this.written++;
    const f = this.flags[i]!;
    if ((f & (NUMBER_IN_QUESTION | NUMBER_COVERED)) === NUMBER_IN_QUESTION) {
      this.covered++;
      this.flags[i] = f | NUMBER_COVERED;
    }
    if ((f & NUMBER_SEEN) === 0 && v > 12) this.fresh++;
    this.flags[i] = this.flags[i]! | NUMBER_SEEN;
  }
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Where the last `readNumber` stopped. */
let numberEnd = 0;

/**
 * The absolute value of the number starting at digit `i` (`1,200.0` and `1200` are one value);
 * sets `numberEnd`. A char scan: a regex + string per number costs 3x more.
 */
function readNumber(text: string, i: number, len: number): number {
  let value = 0;
  while (i < len) {
    const d = text.charCodeAt(i);
    if (d >= 48 && d <= 57) value = value * 10 + (d - 48);
    else if (!(d === 44 && i + 1 < len && isDigitCode(text.charCodeAt(i + 1)))) break;
    i++;
  }
  if (i + 1 < len && text.charCodeAt(i) === 46 && isDigitCode(text.charCodeAt(i + 1))) {
    i++;
    let scale = 0.1;
    while (i < len) {
      const d = text.charCodeAt(i);
      if (d < 48 || d > 57) break;
      value += (d - 48) * scale;
      scale /= 10;
      i++;
    }
    value = Math.round(value * 1e9) / 1e9;
  }
  numberEnd = i;
  return value;
}

/**
 * Calls `visit` with the absolute value of every number in `text`, in order. The per-step
 * scans below keep their own loops: a callback there costs about a quarter of featurization.
 */
export function forEachNumber(text: string, visit: (value: number) => void): void {
  const len = text.length;
  let i = 0;
  while (i < len) {
    if (!isDigitCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    visit(readNumber(text, i, len));
    i = numberEnd;
  }
}

/** Mark every number of a text (question, tool result) with `flag`. */
export function markNumbers(text: string, table: NumberTable, flag: number): void {
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      i++;
      continue;
    }
    table.mark(readNumber(text, i, len), flag);
    i = numberEnd;
  }
}

/** Record every number the model wrote in step `step`. */
export function writeNumbers(text: string, table: NumberTable, step: number): void {
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      i++;
      continue;
    }
    table.write(readNumber(text, i, len), step);
    i = numberEnd;
  }
}

/** Distinct line hashes of one trajectory: repeated lines = lines - distinct. */
export class LineSet {
  private keys = new Int32Array(64);
  private stamp = new Int32Array(64);
  private epoch = 1;
  private count = 0;
  lines = 0;
  distinct = 0;

  reset(): void {
    this.epoch++;
    if (this.epoch === 0x7fffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    this.count = 0;
    this.lines = 0;
    this.distinct = 0;
  }

  add(h: number): void {
    this.lines++;
    const mask = this.keys.length - 1;
    let i = Math.imul(h, 0x9e3779b1) & mask;
    for (;;) {
      if (this.stamp[i] !== this.epoch) {
        this.stamp[i] = this.epoch;
        this.keys[i] = h;
        this.distinct++;
        if (++this.count * 2 > this.keys.length) this.grow();
        return;
      }
      if (this.keys[i] === h) return;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const { keys, stamp, epoch } = this;
    const size = keys.length * 2;
    this.keys = new Int32Array(size);
    this.stamp = new Int32Array(size);
    this.epoch = 1;
    const mask = size - 1;
    for (let j = 0; j < keys.length; j++) {
      if (stamp[j] !== epoch) continue;
      let i = Math.imul(keys[j]!, 0x9e3779b1) & mask;
      while (this.stamp[i] === 1) i = (i + 1) & mask;
      this.stamp[i] = 1;
      this.keys[i] = keys[j]!;
    }
  }
}

/** Add the lines of >= 8 non-blank chars to `set` by a hash of the trimmed line (no substrings). */
export function addLines(text: string, set: LineSet): void {
  const len = text.length;
  let start = 0;
  while (start <= len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    let a = start;
    let b = end;
    while (a < b && text.charCodeAt(a) <= 32) a++;
    while (b > a && text.charCodeAt(b - 1) <= 32) b--;
    if (b - a >= 8) {
      let h = 0x811c9dc5;
      for (let k = a; k < b; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
      set.add(h);
    }
    start = end + 1;
  }
}

const uncertaintyPattern = /\b(maybe|unsure|guess|seems|perhaps|probably|might|likely|recheck)\b/gi;

/**
 * Occurrences of the uncertainty words (`text.match(pattern).length`), counted with `test` so
 * the usual no-match case allocates nothing.
 */
export function countUncertaintyWords(text: string): number {
  const pattern = uncertaintyPattern;
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.test(text)) count++;
  return count;
}
