// src/verify/symbolic.ts
import { ComputeEngine } from "@cortex-js/compute-engine";

// src/verify/answer-tree.ts
function treeKey(tree) {
  return tree.kind === "item" ? tree.key : `{${tree.items.map(treeKey).join(",")}}`;
}

// src/verify/numbers.ts
var THOUSANDS = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
var DECIMAL_COMMA = /^-?\d+,\d+$/;
var PLAIN = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
function canonicalNumberToken(token) {
  const text = token.trim();
  if (PLAIN.test(text)) return text;
  if (THOUSANDS.test(text)) return text.replaceAll(",", "");
  if (DECIMAL_COMMA.test(text)) return text.replace(",", ".");
  if (/^-?\d{1,3}(?:\.\d{3})+,\d+$/.test(text)) return text.replaceAll(".", "").replace(",", ".");
  return null;
}
function parsePlainNumber(raw) {
  let text = raw.trim();
  if (text.length > 64) return null;
  text = text.replace(/^\$|\$$/g, "").replace(/^\\\$|\\\$$/g, "").replace(/\\?%$/, "").replace(/^[$€£¥]/, "").trim();
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1).trim() : text;
  const frac = /^\\[dtc]?frac\{(\d+)\}\{(\d+)\}$/.exec(body) ?? /^(\d+)\s*\/\s*(\d+)$/.exec(body);
  if (frac) {
    const value2 = Number(frac[1]) / Number(frac[2]);
    return Number.isFinite(value2) ? negative ? -value2 : value2 : null;
  }
  const mixed = /^(\d+)\s+(\d+)\/(\d+)$/.exec(body);
  if (mixed) {
    const value2 = Number(mixed[1]) + Number(mixed[2]) / Number(mixed[3]);
    return Number.isFinite(value2) ? negative ? -value2 : value2 : null;
  }
  const canonical = canonicalNumberToken(body);
  if (canonical === null) return null;
  const value = Number(canonical);
  return Number.isFinite(value) ? negative ? -value : value : null;
}
function numbersClose(a, b, precision) {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const tolerance = Math.max(10 ** -precision, 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
  return Math.abs(a - b) <= tolerance * (1 + 1e-12);
}

// src/verify/symbolic.ts
var engine = null;
function ce() {
  engine ??= new ComputeEngine();
  return engine;
}
var parseCache = /* @__PURE__ */ new Map();
function isArray(json) {
  return Array.isArray(json);
}
function head(json) {
  return isArray(json) && typeof json[0] === "string" ? json[0] : null;
}
function ops(json) {
  return isArray(json) ? json.slice(1) : [];
}
function containsHead(json, names) {
  if (!isArray(json)) return false;
  const h = head(json);
  if (h !== null && names.has(h)) return true;
  return json.some((part) => containsHead(part, names));
}
var ERROR_HEADS = /* @__PURE__ */ new Set(["Error", "LatexString"]);
var SET_OPERATIONS = /* @__PURE__ */ new Set(["Union", "Intersection", "SetMinus"]);
var FINITE = /* @__PURE__ */ new Set(["Set", "Tuple", "List"]);
function parseLatex(latex) {
  const cached = parseCache.get(latex);
  if (cached !== void 0) return cached;
  let json = null;
  try {
    const expression = ce().parse(latex);
    json = expression.isValid && !containsHead(expression.json, ERROR_HEADS) ? expression.json : null;
    if (json !== null && containsHead(json, /* @__PURE__ */ new Set(["Matrix"])) && head(json) !== "Matrix") {
      const evaluated = expression.evaluate().json;
      if (!containsHead(evaluated, ERROR_HEADS)) json = evaluated;
    }
    if (json !== null && SET_OPERATIONS.has(head(json) ?? "") && ops(json).every((part) => FINITE.has(head(part) ?? ""))) {
      const evaluated = expression.evaluate().json;
      if (head(evaluated) === "Set") json = evaluated;
    }
  } catch {
    json = null;
  }
  if (parseCache.size > 2e4) parseCache.clear();
  parseCache.set(latex, json);
  return json;
}
function toNode(tree) {
  if (tree.kind === "list") {
    const items = tree.items.map(toNode);
    return items.length === 1 ? items[0] : { kind: "list", items };
  }
  const json = parseLatex(tree.latex);
  if (json === null || typeof json === "string" && json.startsWith("'"))
    return { kind: "text", key: tree.key };
  return { kind: "expr", json, key: tree.key };
}
function parsedOk(node) {
  return node.kind === "expr" || node.kind === "list" && node.items.some(parsedOk);
}
function numericValue(json, assignment) {
  try {
    let boxed = ce().box(json);
    if (assignment !== void 0) boxed = boxed.subs(assignment);
    const value = boxed.N();
    if (!value.isNumberLiteral) return null;
    const re = Number(value.re);
    const im = Number(value.im ?? 0);
    if (Number.isNaN(re) || Number.isNaN(im)) return null;
    return { re, im };
  } catch {
    return null;
  }
}
function unknownsOf(json) {
  try {
    return [...ce().box(json).unknowns].sort();
  } catch {
    return [];
  }
}
var SAMPLE_POINTS = [0.5772, 1.3247, -0.8413, 2.2361, 0.3679];
function sampleAssignments(variables) {
  return SAMPLE_POINTS.map(
    (_, point) => Object.fromEntries(
      variables.map((name, index) => [
        name,
        SAMPLE_POINTS[(point + index * 2) % SAMPLE_POINTS.length] + index * 0.1173
      ])
    )
  );
}
function complexClose(a, b, precision) {
  return numbersClose(a.re, b.re, precision) && numbersClose(a.im, b.im, precision);
}
function relativeClose(a, b) {
  const scale = Math.max(1, Math.hypot(a.re, a.im), Math.hypot(b.re, b.im));
  return Math.hypot(a.re - b.re, a.im - b.im) <= 1e-7 * scale;
}
var RELATIONS = /* @__PURE__ */ new Set(["Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual"]);
var ORDERED = /* @__PURE__ */ new Set(["Tuple", "List", "Sequence", "Pair", "Triple", "Delimiter"]);
function orientRelation(json) {
  const op = head(json);
  const sides = ops(json);
  if (op === "Greater") return { op: "Less", sides: [...sides].reverse() };
  if (op === "GreaterEqual") return { op: "LessEqual", sides: [...sides].reverse() };
  return { op, sides };
}
function labelLike(json) {
  let symbols = 0;
  const walk = (part, isHead) => {
    if (typeof part === "number") return false;
    if (typeof part === "string") {
      if (!isHead && !part.startsWith("'")) symbols++;
      return !["Pi", "ExponentialE", "ImaginaryUnit"].includes(part);
    }
    if (isArray(part)) {
      if (RELATIONS.has(head(part) ?? "")) return false;
      return part.every((child, index) => walk(child, index === 0));
    }
    return false;
  };
  return walk(json, false) && symbols > 0;
}
function endpoint(json) {
  return head(json) === "Open" ? { value: ops(json)[0], open: true } : { value: json, open: false };
}
function intervalOf(json, tupleAsInterval) {
  const h = head(json);
  if (h === "Interval") {
    const [lo, hi] = ops(json).map(endpoint);
    if (lo === void 0 || hi === void 0) return null;
    return [{ lo: lo.value, hi: hi.value, loOpen: lo.open, hiOpen: hi.open }];
  }
  if (h === "Union") {
    const parts = ops(json).map((part) => intervalOf(part, tupleAsInterval));
    return parts.every((part) => part !== null) ? parts.flat() : null;
  }
  if (tupleAsInterval && (h === "Tuple" || h === "Pair" || h === "List") && ops(json).length === 2) {
    const [lo, hi] = ops(json);
    const open = h !== "List";
    return [{ lo, hi, loOpen: open, hiOpen: open }];
  }
  return null;
}
function relationAsIntervals(json, allowSingle) {
  if (head(json) === "And" && ops(json).length === 2) {
    const [first, second] = ops(json).map(
      (part) => isArray(part) && RELATIONS.has(head(part) ?? "") ? orientRelation(part) : null
    );
    const lower = first?.sides.length === 2 ? first : null;
    const upper = second?.sides.length === 2 ? second : null;
    const strict = (op2) => op2 === "Less" ? true : op2 === "LessEqual" ? false : null;
    if (lower && upper && JSON.stringify(lower.sides[1]) === JSON.stringify(upper.sides[0]) && labelLike(lower.sides[1])) {
      const loOpen = strict(lower.op);
      const hiOpen = strict(upper.op);
      if (loOpen !== null && hiOpen !== null)
        return [{ lo: lower.sides[0], hi: upper.sides[1], loOpen, hiOpen }];
    }
    return null;
  }
  if (!isArray(json) || !RELATIONS.has(head(json) ?? "")) return null;
  const { op, sides } = orientRelation(json);
  if (op !== "Less" && op !== "LessEqual") return null;
  const open = op === "Less";
  if (sides.length === 3 && labelLike(sides[1])) {
    const [lo, middle, hi] = sides;
    if (head(middle) === "Abs") {
      const low = numericValue(lo);
      if (low !== null && low.re >= 0) {
        return [
          { lo: ["Negate", hi], hi: ["Negate", lo], loOpen: open, hiOpen: open },
          { lo, hi, loOpen: open, hiOpen: open }
        ];
      }
    }
    return [{ lo, hi, loOpen: open, hiOpen: open }];
  }
  if (allowSingle && sides.length === 2) {
    if (labelLike(sides[0]))
      return [{ lo: "NegativeInfinity", hi: sides[1], loOpen: true, hiOpen: open }];
    if (labelLike(sides[1]))
      return [{ lo: sides[0], hi: "PositiveInfinity", loOpen: open, hiOpen: true }];
  }
  return null;
}
function plusMinusVariants(json, budget = 3) {
  if (!isArray(json)) return [json];
  const h = head(json);
  if ((h === "Measurement" || h === "PlusMinus") && budget > 0) {
    const [a, b] = ops(json);
    if (a === void 0 || b === void 0) return [json];
    return [
      ...plusMinusVariants(["Add", a, b], budget - 1),
      ...plusMinusVariants(["Subtract", a, b], budget - 1)
    ];
  }
  let variants = [[]];
  for (const part of json) {
    const partVariants = plusMinusVariants(part, budget);
    if (partVariants.length > 1 && variants.length * partVariants.length > 8) return [json];
    variants = variants.flatMap((prefix) => partVariants.map((variant) => [...prefix, variant]));
  }
  return variants;
}
var Comparer = class {
  cache = /* @__PURE__ */ new Map();
  options;
  constructor(options) {
    this.options = options;
  }
  nodes(a, b) {
    if (a.kind !== "list" && b.kind !== "list" && a.key === b.key) return true;
    if (a.kind === "list" || b.kind === "list") return this.lists(a, b);
    if (a.kind === "text" || b.kind === "text") {
      const text = (node) => node.kind === "list" ? "" : node.key.replace(/\\text\{([^{}]*)\}/g, "$1").replace(/[\s{}()]/g, "").toLowerCase();
      return text(a) === text(b);
    }
    return this.values(a.json, b.json);
  }
  lists(a, b) {
    const itemsOf = (node) => node.kind === "list" ? node.items : [node];
    const aItems = itemsOf(a);
    const bItems = itemsOf(b);
    if (aItems.length === bItems.length && this.unordered(aItems, bItems, (x, y) => this.nodes(x, y)))
      return true;
    const single = a.kind === "list" ? b : a;
    const list = a.kind === "list" ? aItems : bItems;
    const value = single.kind === "expr" && head(single.json) === "Element" ? ops(single.json)[1] : single.kind === "expr" ? single.json : null;
    if (value !== null && isArray(value) && (ORDERED.has(head(value)) || head(value) === "Set")) {
      const elements = ops(value).map(
        (json) => ({ kind: "expr", json, key: JSON.stringify(json) })
      );
      if (elements.length === list.length) {
        if (list.every((item, index) => this.nodes(item, elements[index]))) return true;
        return this.unordered(list, elements, (x, y) => this.nodes(x, y));
      }
    }
    return false;
  }
  unordered(a, b, equal) {
    if (a.length !== b.length) return false;
    if (a.length > 12) return a.every((item, index) => equal(item, b[index]));
    const used = new Array(b.length).fill(false);
    const assign = (index) => {
      if (index === a.length) return true;
      for (let j = 0; j < b.length; j++) {
        if (used[j] || !equal(a[index], b[j])) continue;
        used[j] = true;
        if (assign(index + 1)) return true;
        used[j] = false;
      }
      return false;
    };
    return assign(0);
  }
  values(a, b) {
    const key = `${JSON.stringify(a)}\0${JSON.stringify(b)}`;
    const cached = this.cache.get(key);
    if (cached !== void 0) return cached;
    this.cache.set(key, false);
    const result = this.valuesUncached(a, b);
    this.cache.set(key, result);
    return result;
  }
  valuesUncached(a, b) {
    if (JSON.stringify(a) === JSON.stringify(b)) return true;
    const ha = head(a);
    const hb = head(b);
    if (ha === "Element") return this.values(ops(a)[1], b);
    if (hb === "Element") return this.values(a, ops(b)[1]);
    const aVariants = plusMinusVariants(a);
    const bVariants = plusMinusVariants(b);
    if (aVariants.length > 1 || bVariants.length > 1) {
      const values = (json, variants) => variants.length === 1 && head(json) === "Set" ? ops(json) : dedupeJson(variants);
      return this.unordered(
        values(a, aVariants),
        values(b, bVariants),
        (x, y) => this.values(x, y)
      );
    }
    if (ha === "And" || hb === "And") {
      if (ha === hb && this.unordered(ops(a), ops(b), (x, y) => this.values(x, y))) return true;
      const left = intervalOf(a, true) ?? relationAsIntervals(a, this.options.allowSetRelationComp);
      const right = intervalOf(b, true) ?? relationAsIntervals(b, this.options.allowSetRelationComp);
      return left !== null && right !== null && this.intervalSets(left, right);
    }
    const aRelation = ha !== null && RELATIONS.has(ha);
    const bRelation = hb !== null && RELATIONS.has(hb);
    if (aRelation && bRelation) return this.relations(a, b);
    if (aRelation || bRelation) {
      const relation = aRelation ? a : b;
      const other = aRelation ? b : a;
      if (!this.options.strict && head(relation) === "Equal" && ops(relation).length === 2) {
        const [lhs, rhs] = ops(relation);
        if (labelLike(lhs)) return this.values(rhs, other);
        if (labelLike(rhs) && !labelLike(other)) return this.values(lhs, other);
      }
      const asIntervals = relationAsIntervals(relation, this.options.allowSetRelationComp);
      const otherIntervals = intervalOf(other, true);
      if (asIntervals !== null && otherIntervals !== null)
        return this.intervalSets(asIntervals, otherIntervals);
      return false;
    }
    if ((ha === "Union" || ha === "Intersection") && ha === hb && ops(a).length === ops(b).length) {
      if (this.unordered(ops(a), ops(b), (x, y) => this.values(x, y))) return true;
    }
    const aIntervals = intervalOf(a, false);
    const bIntervals = intervalOf(b, false);
    if (aIntervals !== null || bIntervals !== null) {
      const left = aIntervals ?? intervalOf(a, true);
      const right = bIntervals ?? intervalOf(b, true);
      return left !== null && right !== null && this.intervalSets(left, right);
    }
    if (ha === "Matrix" || hb === "Matrix") {
      const rows = (json) => head(json) === "Matrix" ? ops(json)[0] : json;
      return this.values(rows(a), rows(b));
    }
    const aCollection = ha !== null && (ORDERED.has(ha) || ha === "Set");
    const bCollection = hb !== null && (ORDERED.has(hb) || hb === "Set");
    if (aCollection || bCollection) {
      if (!aCollection || !bCollection) return false;
      const aOps = ops(a);
      const bOps = ops(b);
      if (ha === "Set" || hb === "Set")
        return this.unordered(aOps, bOps, (x, y) => this.values(x, y));
      return aOps.length === bOps.length && aOps.every((item, index) => this.values(item, bOps[index]));
    }
    if (typeof a === "string" && typeof b === "string" && a.startsWith("'") && b.startsWith("'")) {
      return a.toLowerCase() === b.toLowerCase();
    }
    return this.scalars(a, b);
  }
  relations(a, b) {
    const ra = orientRelation(a);
    const rb = orientRelation(b);
    if (ra.op !== rb.op || ra.sides.length !== rb.sides.length) return false;
    if (ra.sides.every((side, index) => this.values(side, rb.sides[index]))) return true;
    if (ra.sides.length !== 2) return false;
    if ((ra.op === "Equal" || ra.op === "NotEqual") && this.values(ra.sides[0], rb.sides[1]) && this.values(ra.sides[1], rb.sides[0]))
      return true;
    const difference = (sides) => ["Subtract", sides[0], sides[1]];
    return this.proportional(
      difference(ra.sides),
      difference(rb.sides),
      ra.op === "Equal" || ra.op === "NotEqual" ? "any" : "positive"
    );
  }
  proportional(a, b, sign) {
    const variables = [.../* @__PURE__ */ new Set([...unknownsOf(a), ...unknownsOf(b)])];
    if (variables.length === 0) return false;
    let ratio = null;
    for (const assignment of sampleAssignments(variables)) {
      const va = numericValue(a, assignment);
      const vb = numericValue(b, assignment);
      if (va === null || vb === null || va.im !== 0 || vb.im !== 0) return false;
      if (Math.abs(vb.re) < 1e-12) {
        if (Math.abs(va.re) < 1e-12) continue;
        return false;
      }
      const r = va.re / vb.re;
      if (ratio === null) ratio = r;
      else if (Math.abs(r - ratio) > 1e-7 * Math.max(1, Math.abs(ratio))) return false;
    }
    return ratio !== null && ratio !== 0 && Number.isFinite(ratio) && (sign === "any" || ratio > 0);
  }
  intervalSets(a, b) {
    return this.unordered(
      a,
      b,
      (x, y) => x.loOpen === y.loOpen && x.hiOpen === y.hiOpen && this.values(x.lo, y.lo) && this.values(x.hi, y.hi)
    );
  }
  scalars(a, b) {
    const variables = [.../* @__PURE__ */ new Set([...unknownsOf(a), ...unknownsOf(b)])];
    if (variables.length === 0) {
      const va = numericValue(a);
      const vb = numericValue(b);
      if (va !== null && vb !== null) return complexClose(va, vb, this.options.precision);
      return this.structural(a, b);
    }
    if (this.options.strict && unknownsOf(a).join() !== unknownsOf(b).join()) return false;
    let evaluated = 0;
    for (const assignment of sampleAssignments(variables)) {
      const va = numericValue(a, assignment);
      const vb = numericValue(b, assignment);
      if (va === null || vb === null) break;
      if (!relativeClose(va, vb)) return false;
      evaluated++;
    }
    if (evaluated === SAMPLE_POINTS.length) return true;
    return this.structural(a, b);
  }
  /** Expressions the engine cannot evaluate (sums of sequences, unknown functions): canonical forms. */
  structural(a, b) {
    try {
      const ba = ce().box(a);
      const bb = ce().box(b);
      if (ba.isSame(bb)) return true;
      const difference = ce().box(["Subtract", a, b]).simplify();
      return difference.is?.(0) === true || JSON.stringify(difference.json) === "0";
    } catch {
      return false;
    }
  }
};
function renameSymbol(json, from, to) {
  if (json === from) return to;
  if (!isArray(json)) return json;
  return json.map((part, index) => index === 0 ? part : renameSymbol(part, from, to));
}
function nodeUnknowns(node) {
  if (node.kind === "text") return [];
  if (node.kind === "expr") return unknownsOf(node.json);
  return [...new Set(node.items.flatMap(nodeUnknowns))].sort();
}
function renameNode(node, from, to) {
  if (node.kind === "text") return node;
  if (node.kind === "expr") {
    const json = renameSymbol(node.json, from, to);
    return { kind: "expr", json, key: JSON.stringify(json) };
  }
  return { kind: "list", items: node.items.map((item) => renameNode(item, from, to)) };
}
function dedupeJson(values) {
  const seen = /* @__PURE__ */ new Set();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
function pickNode(candidates) {
  let first = null;
  for (const tree of candidates) {
    const node = toNode(tree);
    first ??= node;
    if (parsedOk(node)) return node;
  }
  return first;
}
function compareSymbolic(request) {
  const pred = pickNode(request.pred);
  if (pred === null) return false;
  const comparer = new Comparer(request.options);
  for (const goldCandidates of request.gold) {
    const gold = pickNode(goldCandidates);
    if (gold === null) continue;
    if (!request.options.strict) {
      const goldVariables = nodeUnknowns(gold);
      const predVariables = nodeUnknowns(pred);
      if (goldVariables.length === 1 && predVariables.length === 1 && goldVariables[0] !== predVariables[0]) {
        if (comparer.nodes(gold, renameNode(pred, predVariables[0], goldVariables[0])))
          return true;
      }
    }
    if (treeKey(goldCandidates[0]) === treeKey(request.pred[0])) return true;
    if (comparer.nodes(gold, pred)) return true;
  }
  return false;
}
function warmUp() {
  parseLatex("\\frac{1}{2}+x");
}

export {
  canonicalNumberToken,
  parsePlainNumber,
  numbersClose,
  treeKey,
  compareSymbolic,
  warmUp
};
//# sourceMappingURL=chunk-GN6IHA4X.js.map