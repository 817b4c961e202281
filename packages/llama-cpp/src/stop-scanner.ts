/**
 * Cuts generated text at the first stop sequence. Text is released only once it can no longer
 * turn into a stop sequence, so a streamed delta never shows part of one; the stop string
 * itself is never part of the output.
 */
export class StopScanner {
  readonly #stops: string[];
  #released = 0;
  #stopped: string | undefined;

  constructor(stops: readonly string[]) {
    this.#stops = stops.filter((s) => s.length > 0);
  }

  /** The stop sequence that ended the text, once one did. */
  get stopped(): string | undefined {
    return this.#stopped;
  }

  /**
   * Feed the whole text generated so far; returns the newly released part. After a stop
   * sequence is found, `stopped` is set and later calls release nothing.
   */
  push(text: string): string {
    if (this.#stopped !== undefined) return '';
    let cut = -1;
    for (const stop of this.#stops) {
      // A match can only start where it could not have been seen in an earlier call.
      const from = Math.max(0, this.#released - stop.length + 1);
      const at = text.indexOf(stop, from);
      if (at !== -1 && (cut === -1 || at < cut)) {
        cut = at;
        this.#stopped = stop;
      }
    }
    if (cut !== -1) return this.#release(text, cut);
    return this.#release(text, text.length - this.#heldBack(text));
  }

  /** Releases whatever is held back; call when generation ended without a stop sequence. */
  flush(text: string): string {
    if (this.#stopped !== undefined) return '';
    return this.#release(text, text.length);
  }

  #release(text: string, end: number): string {
    if (end <= this.#released) return '';
    const out = text.slice(this.#released, end);
    this.#released = end;
    return out;
  }

  /** Length of the longest tail of `text` that is a proper prefix of a stop sequence. */
  #heldBack(text: string): number {
    let longest = 0;
    for (const stop of this.#stops) {
      for (let n = Math.min(stop.length - 1, text.length); n > longest; n--) {
        if (text.endsWith(stop.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
