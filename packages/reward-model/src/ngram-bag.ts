/**
 * The featurizer's hot loop: tokenises a text (exactly the rules of `scanTokenHashes` in
 * tokenize.ts) and hashes its n-grams into a deduplicated bag in the same single pass over the
 * char codes, with no per-token array, string or closure. tokenize.test.ts and the pinned
 * featurize digest hold both scanners to the same output.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MAX_SHAPE_DIGITS = 7;

const SPACE = 0;
const WORD = 1;
const DIGIT = 2;
const OTHER = 3;

/** Class of each ASCII code unit; every code unit >= 0x80 is a word character. */
const charClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  charClass[c] =
    c <= 32
      ? SPACE
      : (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
        ? WORD
        : c >= 48 && c <= 57
          ? DIGIT
          : OTHER;
}

function shapeHash(token: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), FNV_PRIME);
  return h | 0;
}

/** Hashes of `<num:K>` (index K) and `<dec:K>` (index 8 + K). */
const shapeHashes = Int32Array.from({ length: 2 * (MAX_SHAPE_DIGITS + 1) }, (_, i) =>
  shapeHash(
    `<${i <= MAX_SHAPE_DIGITS ? 'num' : 'dec'}:${i <= MAX_SHAPE_DIGITS ? i : i - MAX_SHAPE_DIGITS - 1}>`,
  ),
);

/** tokenize.ts's mix32 (murmur3's finaliser) as an int32: the same 32 bits, without `>>> 0`. */
function mixInt(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Unique bucket ids of one trajectory in first-occurrence order, written into a growable batch buffer. */
export class NgramBag {
  /** The batch's ids so far; this trajectory's bag is `ids[bagStart .. length)`. */
  ids = new Int32Array(16384);
  length = 0;
  bagStart = 0;
  /** stamp[id] === epoch marks a bucket already in the current bag (dedupe without sorting). */
  private stamp = new Int32Array(0);
  private epoch = 0;
  private mask = -1;
  private buckets = 1;

  /** Start a batch: ids restart at 0. */
  startBatch(numBuckets: number, capacity: number): void {
    if (this.stamp.length !== numBuckets) {
      this.stamp = new Int32Array(numBuckets);
      this.epoch = 0;
    }
    this.buckets = numBuckets;
    // Power-of-two tables take the low bits (same ids as `%`, without float modulo).
    this.mask = (numBuckets & (numBuckets - 1)) === 0 ? numBuckets - 1 : -1;
    if (this.ids.length < capacity) this.ids = new Int32Array(capacity);
    this.length = 0;
    this.bagStart = 0;
  }

  startBag(): void {
    this.bagStart = this.length;
    if (this.epoch === 0x7fffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    this.epoch++;
  }

  /**
   * Add the n-grams (up to `maxNgram`) of at most `maxTokens` tokens of `text`, hashed with the
   * channel's seeds. N-grams do not cross texts. Returns the number of tokens read.
   */
  addText(text: string, seeds: Int32Array, maxNgram: number, maxTokens: number): number {
    const s1 = seeds[0]!;
    const s2 = seeds[1]!;
    const s3 = seeds[2]!;
    const len = text.length;
    // Room for every n-gram this text can add, so the loop needs no capacity check.
    const room = this.length + 3 * Math.min(len, maxTokens);
    if (room > this.ids.length) {
      const grown = new Int32Array(Math.max(room, this.ids.length * 2));
      grown.set(this.ids.subarray(0, this.length));
      this.ids = grown;
    }
    const ids = this.ids;
    const stamp = this.stamp;
    const epoch = this.epoch;
    const mask = this.mask;
    const buckets = this.buckets;
    let length = this.length;
    let i = 0;
    let n = 0;
    let prev1 = 0;
    let prev2 = 0;
    while (i < len && n < maxTokens) {
      const c = text.charCodeAt(i);
      const cls = c < 128 ? charClass[c]! : WORD;
      if (cls === SPACE) {
        i++;
        continue;
      }
      let t: number;
      if (cls === WORD) {
        let h = FNV_OFFSET;
        let d = c;
        for (;;) {
          if (d >= 65 && d <= 90) d += 32;
          h = Math.imul(h ^ d, FNV_PRIME);
          i++;
          if (i >= len) break;
          d = text.charCodeAt(i);
          if (d < 128) {
            const k = charClass[d]!;
            if (k !== WORD && k !== DIGIT) break;
          }
        }
        t = h | 0;
      } else if (cls === DIGIT) {
        let digits = 0;
        let decimal = false;
        while (i < len) {
          const d = text.charCodeAt(i);
          if (d >= 48 && d <= 57) {
            if (!decimal) digits++;
            i++;
          } else if ((d === 44 || d === 46) && i + 1 < len) {
            const e = text.charCodeAt(i + 1);
            if (e < 48 || e > 57) break;
            if (d === 46) decimal = true;
            i++;
          } else break;
        }
        t = shapeHashes[(decimal ? MAX_SHAPE_DIGITS + 1 : 0) + Math.min(digits, MAX_SHAPE_DIGITS)]!;
      } else {
        t = Math.imul(FNV_OFFSET ^ c, FNV_PRIME) | 0;
        i++;
      }
      // Each n-gram: mix32, then the bucket (power-of-two tables take the low bits: the same
      // ids as `%`), kept once per bag.
      let id = mixInt(t ^ s1);
      id = mask >= 0 ? id & mask : (id >>> 0) % buckets;
      if (stamp[id] !== epoch) {
        stamp[id] = epoch;
        ids[length++] = id;
      }
      if (maxNgram >= 2 && n >= 1) {
        const b = Math.imul(prev1, 0x9e3779b1) ^ t;
        id = mixInt(b ^ s2);
        id = mask >= 0 ? id & mask : (id >>> 0) % buckets;
        if (stamp[id] !== epoch) {
          stamp[id] = epoch;
          ids[length++] = id;
        }
        if (maxNgram >= 3 && n >= 2) {
          id = mixInt((Math.imul(prev2, 0x7feb352d) + b) ^ s3);
          id = mask >= 0 ? id & mask : (id >>> 0) % buckets;
          if (stamp[id] !== epoch) {
            stamp[id] = epoch;
            ids[length++] = id;
          }
        }
      }
      prev2 = prev1;
      prev1 = t;
      n++;
    }
    this.length = length;
    return n;
  }
}
