/**
 * Plain arithmetic without mathjs: numbers (`12`, `3.5`, `.5`), `+ - * /`, unary `-`/`+` and
 * parentheses, separated by spaces or tabs. Nearly every GSM8K annotation is this, and the
 * evaluator re-executes each one for every candidate: mathjs' tokenizer, its node tree, the
 * whitelist walk and compilation took a quarter of a full-preset evaluation.
 *
 * The value is mathjs' own for the same text, bit for bit: its grammar for these tokens (unary
 * binds tighter than `*` and `/`, which bind tighter than `+` and `-`, all left-associative),
 * its number literal (`Number` of the token) and its number-mode operators (`a + b`, `a - b`,
 * `a * b`, `a / b`, `-a`, `a`) in the same order. Anything else (`^`, `%`, functions, implicit
 * multiplication, `5.`, `1e3`, newlines) is not matched and goes to mathjs, as does text whose
 * parse fails here, so its error message stays mathjs'.
 */

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const SPACE = 32;
const TAB = 9;
const PLUS = 43;
const MINUS = 45;
const STAR = 42;
const SLASH = 47;
const OPEN = 40;
const CLOSE = 41;

/** Nesting deeper than this goes to mathjs (the 1,000-character limit bounds it anyway). */
const MAX_DEPTH = 200;

/** A parse that does not match: unwinds to `plainArithmetic`, which returns undefined. */
const NO_MATCH = Symbol('no match');

class Reader {
  readonly text: string;
  at = 0;
  depth = 0;
  constructor(text: string) {
    this.text = text;
  }

  /** The next character code after spaces and tabs (NaN at the end). */
  peek(): number {
    const text = this.text;
    let code = text.charCodeAt(this.at);
    while (code === SPACE || code === TAB) code = text.charCodeAt(++this.at);
    return code;
  }

  sum(): number {
    let value = this.product();
    for (;;) {
      const code = this.peek();
      if (code === PLUS) {
        this.at++;
        value = value + this.product();
      } else if (code === MINUS) {
        this.at++;
        value = value - this.product();
      } else return value;
    }
  }

  product(): number {
    let value = this.unary();
    for (;;) {
      const code = this.peek();
      if (code === STAR) {
        this.at++;
        value = value * this.unary();
      } else if (code === SLASH) {
        this.at++;
        value = value / this.unary();
      } else return value;
    }
  }

  unary(): number {
    const code = this.peek();
    if (code === MINUS) {
      this.at++;
      return -this.unary();
    }
    if (code === PLUS) {
      this.at++;
      return this.unary();
    }
    if (code === OPEN) {
      this.at++;
      if (++this.depth > MAX_DEPTH) throw NO_MATCH;
      const value = this.sum();
      if (this.peek() !== CLOSE) throw NO_MATCH;
      this.at++;
      this.depth--;
      return value;
    }
    return this.number();
  }

  number(): number {
    const text = this.text;
    const start = this.at;
    let at = start;
    while (isDigit(text.charCodeAt(at))) at++;
    const whole = at > start;
    if (text.charCodeAt(at) === DOT) {
      const fraction = ++at;
      while (isDigit(text.charCodeAt(at))) at++;
      // `5.` and a lone `.` are left to mathjs.
      if (at === fraction) throw NO_MATCH;
    } else if (!whole) throw NO_MATCH;
    this.at = at;
    return Number(text.slice(start, at));
  }
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** The value mathjs gives `text` when it is plain arithmetic (see above), else undefined. */
export function plainArithmetic(text: string): number | undefined {
  const reader = new Reader(text);
  try {
    const value = reader.sum();
    // Anything left over (a letter, `^`, `%`, a second number) is mathjs' to read.
    return Number.isNaN(reader.peek()) ? value : undefined;
  } catch (error) {
    if (error === NO_MATCH) return undefined;
    throw error;
  }
}
