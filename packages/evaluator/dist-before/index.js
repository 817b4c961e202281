import {
  canonicalNumberToken,
  compareSymbolic,
  numbersClose,
  parsePlainNumber,
  treeKey
} from "./chunk-GN6IHA4X.js";

// src/dimensions/consistency.ts
import { calculate, calculatorResultMatches } from "@autotraj/tools";
import { toolInputText } from "@autotraj/trajectory";
var CALCULATOR_CACHE_LIMIT = 5e4;
function calculateCached(expression, cache) {
  if (cache === void 0) return calculate(expression);
  let result = cache.get(expression);
  if (result === void 0) {
    result = calculate(expression);
    if (cache.size >= CALCULATOR_CACHE_LIMIT) cache.clear();
    cache.set(expression, result);
  }
  return result;
}
function finalAnswerText(trajectory) {
  if (trajectory.finalAnswer !== null) return trajectory.finalAnswer;
  for (let i = trajectory.steps.length - 1; i >= 0; i--) {
    const step = trajectory.steps[i];
    if (step.type === "answer") return step.answer ?? step.text;
  }
  return null;
}
function numbersIn(text) {
  return (text.match(/-?\d[\d,]*(?:\.\d+)?/g) ?? []).map((token) => Number(token.replaceAll(",", ""))).filter(Number.isFinite);
}
function answerSupported(steps, answer) {
  let last = -1;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (steps[i].type === "tool-result") {
      last = i;
      break;
    }
  }
  if (last < 0) return null;
  const lastResult = steps[last];
  let later = "";
  for (let i = last + 1; i < steps.length; i++) {
    const step = steps[i];
    if (step.type === "think") later += ` ${step.text}`;
  }
  const close = (value) => Math.abs(value - answer) <= 1e-6 * Math.max(1, Math.abs(answer));
  return numbersIn(lastResult.output).some(close) || numbersIn(later).some(close);
}
function consistencyDimension(trajectory, options = {}) {
  const { checks, passed, diagnostics } = consistencyChecks(trajectory, options);
  return { score: checks === 0 ? 1 : passed / checks, diagnostics };
}
function consistencyChecks(trajectory, options = {}) {
  const diagnostics = [];
  let checks = 0;
  let passed = 0;
  const steps = trajectory.steps;
  if (options.reexecuteCalculator ?? true) {
    const calls = /* @__PURE__ */ new Map();
    steps.forEach((step, index) => {
      if (step.type === "tool-call") {
        calls.set(step.callId, step);
        return;
      }
      if (step.type !== "tool-result" || step.toolName !== "calculator" || step.isError) return;
      const call = calls.get(step.callId);
      if (call === void 0) return;
      const expression = toolInputText("calculator", call.input);
      const result = calculateCached(expression, options.calculatorCache);
      checks++;
      if (calculatorResultMatches(step.output, result)) {
        passed++;
      } else {
        diagnostics.push(
          result.ok ? {
            stepIndex: index,
            code: "consistency/calculator-mismatch",
            message: `recorded ${expression} = ${step.output.trim()}, re-execution gives ${result.text}`
          } : {
            stepIndex: index,
            code: "consistency/calculator-unverifiable",
            message: `recorded ${expression} = ${step.output.trim()}, but the expression does not evaluate (${result.error.message})`
          }
        );
      }
    });
  }
  if (options.answerSupport ?? true) {
    const answer = finalAnswerText(trajectory);
    const value = answer === null ? null : parsePlainNumber(answer.replace(/^\\boxed\{(.*)\}$/, "$1"));
    if (value !== null) {
      const supported = answerSupported(steps, value);
      if (supported !== null) {
        checks++;
        if (supported) passed++;
        else {
          diagnostics.push({
            stepIndex: null,
            code: "consistency/answer-unsupported",
            message: `the final answer ${answer} appears neither in the last tool result nor in the reasoning after it`
          });
        }
      }
    }
  }
  return { checks, passed, diagnostics };
}

// src/verify/qa.ts
function normalizeQaAnswer(text) {
  return text.toLowerCase().replace(/[\p{P}\p{S}]/gu, " ").replace(/\b(a|an|the)\b/g, " ").replace(/\s+/g, " ").trim();
}
function goldList(golds) {
  return typeof golds === "string" ? [golds] : [...golds];
}
function qaExactMatch(pred, golds) {
  const normalized = normalizeQaAnswer(pred);
  return goldList(golds).some((gold) => normalizeQaAnswer(gold) === normalized);
}
function tokenF1(pred, gold) {
  const predTokens = normalizeQaAnswer(pred).split(" ").filter(Boolean);
  const goldTokens = normalizeQaAnswer(gold).split(" ").filter(Boolean);
  if (predTokens.length === 0 || goldTokens.length === 0)
    return predTokens.length === goldTokens.length ? 1 : 0;
  const counts = /* @__PURE__ */ new Map();
  for (const token of goldTokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predTokens) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common++;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predTokens.length;
  const recall = common / goldTokens.length;
  return 2 * precision * recall / (precision + recall);
}
function qaF1(pred, golds) {
  return Math.max(0, ...goldList(golds).map((gold) => tokenF1(pred, gold)));
}

// src/errors.ts
import { AutoTrajError } from "@autotraj/trajectory";
var EvaluatorError = class _EvaluatorError extends AutoTrajError {
  static errorName = "AutoTrajEvaluatorError";
  constructor(options) {
    super({
      name: _EvaluatorError.errorName,
      code: options.code ?? "evaluator_failed",
      message: options.message,
      cause: options.cause
    });
  }
  static isInstance(error) {
    return AutoTrajError.isInstance(error) && error.name === _EvaluatorError.errorName;
  }
};

// src/verify/deadline.ts
import { existsSync } from "fs";
import { fileURLToPath } from "url";
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker
} from "worker_threads";
var STARTUP_TIMEOUT_MS = 6e4;
function workerUrl() {
  for (const candidate of ["./compare-worker.js", "./compare-worker.ts"]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new EvaluatorError({
    code: "worker_missing",
    message: `comparison worker not found next to ${import.meta.url}`
  });
}
var ComparisonWorker = class {
  worker = null;
  port = null;
  flag = null;
  nextId = 0;
  start() {
    const channel = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerUrl(), {
      workerData: { port: channel.port2, flag },
      transferList: [channel.port2]
    });
    worker.unref();
    channel.port1.unref();
    let failure = null;
    worker.on("error", (error) => {
      failure = error;
    });
    if (Atomics.wait(flag, 0, 0, STARTUP_TIMEOUT_MS) === "timed-out") {
      void worker.terminate();
      throw new EvaluatorError({
        code: "worker_start_failed",
        message: "comparison worker did not start",
        cause: failure
      });
    }
    this.worker = worker;
    this.port = channel.port1;
    this.flag = flag;
  }
  run(request, timeoutMs) {
    if (this.worker === null) this.start();
    const flag = this.flag;
    const port = this.port;
    const id = this.nextId++;
    let seen = Atomics.load(flag, 0);
    port.postMessage({ id, request });
    const deadline = Date.now() + timeoutMs;
    for (; ; ) {
      for (let received = receiveMessageOnPort(port); received !== void 0; received = receiveMessageOnPort(port)) {
        const reply = received.message;
        if (reply.id === id) return { equivalent: reply.equivalent === true, timedOut: false };
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || Atomics.wait(flag, 0, seen, remaining) === "timed-out") {
        this.stop();
        return { equivalent: false, timedOut: true };
      }
      seen = Atomics.load(flag, 0);
    }
  }
  stop() {
    if (this.worker !== null) void this.worker.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
    this.flag = null;
  }
};
var AsyncComparisonWorker = class {
  worker = null;
  port = null;
  queue = Promise.resolve();
  nextId = 0;
  async start() {
    const channel = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(workerUrl(), {
      workerData: { port: channel.port2, flag },
      transferList: [channel.port2]
    });
    worker.unref();
    const port = channel.port1;
    const started = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), STARTUP_TIMEOUT_MS);
      const onReady = (message) => {
        if (message.ready !== true) return;
        clearTimeout(timer);
        port.off("message", onReady);
        resolve(true);
      };
      port.on("message", onReady);
      worker.once("error", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    port.unref();
    if (!started) {
      void worker.terminate();
      port.close();
      throw new EvaluatorError({
        code: "worker_start_failed",
        message: "comparison worker did not start"
      });
    }
    this.worker = worker;
    this.port = port;
  }
  run(request, timeoutMs) {
    const result = this.queue.then(() => this.runNow(request, timeoutMs));
    this.queue = result.catch(() => void 0);
    return result;
  }
  async runNow(request, timeoutMs) {
    if (this.worker === null) await this.start();
    const port = this.port;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const onMessage = (reply) => {
        if (reply.id !== id) return;
        clearTimeout(timer);
        port.off("message", onMessage);
        port.unref();
        resolve({ equivalent: reply.equivalent === true, timedOut: false });
      };
      const timer = setTimeout(() => {
        port.off("message", onMessage);
        this.stop();
        resolve({ equivalent: false, timedOut: true });
      }, timeoutMs);
      port.on("message", onMessage);
      port.ref();
      port.postMessage({ id, request });
    });
  }
  stop() {
    if (this.worker !== null) void this.worker.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
  }
};
var shared = null;
var sharedAsync = null;
function runSymbolic(request, options) {
  if (options.isolation === "inline")
    return { equivalent: compareSymbolic(request), timedOut: false };
  shared ??= new ComparisonWorker();
  return shared.run(request, options.timeoutMs);
}
async function runSymbolicAsync(request, options) {
  if (options.isolation === "inline")
    return { equivalent: compareSymbolic(request), timedOut: false };
  sharedAsync ??= new AsyncComparisonWorker();
  return sharedAsync.run(request, options.timeoutMs);
}
function stopComparisonWorker() {
  shared?.stop();
  shared = null;
  sharedAsync?.stop();
  sharedAsync = null;
}

// src/verify/text-scan.ts
function matchBrace(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
function findBoxed(text) {
  const found = [];
  const pattern = /\\(?:boxed|fbox)\s*\{/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const open = match.index + match[0].length - 1;
    const end = matchBrace(text, open);
    if (end < 0) {
      found.push({ start: match.index, end: text.length, content: text.slice(open + 1) });
      break;
    }
    found.push({ start: match.index, end, content: text.slice(open + 1, end - 1) });
    pattern.lastIndex = end;
  }
  return found;
}
function splitTopLevel(text, separators) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      const next = text[i + 1];
      if (next === "{" || next === "[" || next === "(") depth++;
      else if (next === "}" || next === "]" || next === ")") depth = Math.max(0, depth - 1);
      i++;
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      for (const separator of separators) {
        if (text.startsWith(separator, i)) {
          parts.push(text.slice(start, i));
          start = i + separator.length;
          i = start - 1;
          break;
        }
      }
    }
  }
  parts.push(text.slice(start));
  return parts;
}

// src/verify/normalize.ts
var MAX_ANSWER_CHARS = 2e3;
function undoubleBackslashes(text) {
  return text.includes("\\\\") ? text.replace(/\\\\(?=[a-zA-Z])/g, "\\") : text;
}
var SPACING = /(?<!\\)\\(?:[,;:!> ]|quad|qquad|displaystyle|textstyle|left(?![a-zA-Z])|right(?![a-zA-Z])|big|Big|bigg|Bigg)/g;
function replaceCommand(text, names, replace) {
  const pattern = new RegExp(`\\\\(${names.join("|")})\\s*\\{`, "g");
  let out = "";
  let cursor = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const open = match.index + match[0].length - 1;
    const end = matchBrace(text, open);
    if (end < 0) break;
    out += text.slice(cursor, match.index) + replace(text.slice(open + 1, end - 1), match[1]);
    cursor = end;
    pattern.lastIndex = end;
  }
  return out + text.slice(cursor);
}
var CONNECTOR_WORDS = /^\s*(?:and|or|&)\s*$/i;
function normalizeLatex(raw) {
  let text = undoubleBackslashes(raw).slice(0, MAX_ANSWER_CHARS);
  text = text.replace(/\\(?:boxed|fbox)\s*\{/g, "{").replace(/\\mathbb\s*\{?\s*R\s*\}?/g, "(-\\infty,\\infty)");
  text = text.replace(/\\[dtc]frac/g, "\\frac").replace(/\\(?:mathbf|mathbb|mathit|boldsymbol|bm)\s*\{/g, "{");
  text = replaceCommand(
    text,
    ["text", "textbf", "textit", "textrm", "mbox", "mathrm", "operatorname"],
    (content, name) => {
      if (CONNECTOR_WORDS.test(content)) return ",";
      if ((name === "mathrm" || name === "operatorname") && /^[a-zA-Z]$/.test(content.trim()))
        return content.trim();
      if (name === "operatorname") return `\\operatorname{${content}}`;
      return `\\text{${content}}`;
    }
  );
  text = text.replace(/\{,\}/g, ",").replace(/,\\!\s*/g, ",");
  text = text.replace(SPACING, " ");
  const degrees = /^\s*(-?[\d.]+)\s*(?:\^\s*\{?\s*\\circ\s*\}?|°|\\degree)\s*[.]?\s*$/.exec(text);
  if (degrees) text = degrees[1];
  text = text.replace(/°|\\degree/g, "^\\circ");
  text = text.replace(/\\?%|\s*\bpercent(?:age)?s?\b/gi, "");
  text = text.replace(/\$/g, " ");
  text = text.replace(/\\(?:dots|ldots|cdots)\s*$/, "");
  text = text.replace(/\s+/g, " ").trim();
  text = text.replace(/[.,;:\s]+$/, "").replace(/^[,;:\s]+/, "");
  const approx = text.search(/\\approx|\\simeq|≈/);
  if (approx > 0) text = text.slice(0, approx).trim();
  return text;
}
function stripOuterGroup(text) {
  let current = text;
  while (current.startsWith("{") && matchBrace(current, 0) === current.length)
    current = current.slice(1, -1).trim();
  return current;
}
function stripUnits(item) {
  let text = item;
  if (/^\\text\{[^{}]*\}$/.test(text)) return text;
  const withoutText = text.replace(/\\text\{[^{}]*\}(?:\^\s*\{?\d\}?)?/g, " ").trim();
  if (withoutText !== "" && /[\d}]/.test(withoutText)) text = withoutText.replace(/\s+/g, " ");
  const unit = /^(.*[\d}])\s*(?:[a-zA-Z]{2,}(?:\s+[a-zA-Z]{2,})*)(?:\^?\{?[23]\}?|²|³)?$/.exec(
    text
  );
  if (unit && /\d/.test(unit[1])) text = unit[1].trim();
  return text;
}
function collapseEqualityChain(item) {
  const parts = splitTopLevel(item, ["="]).map((part) => part.trim());
  if (parts.length < 3) return item;
  return `${parts[0]}=${parts[parts.length - 1]}`;
}
function itemKey(latex) {
  let key = latex.replace(/\\text\{([^{}]*)\}/g, "$1").replace(/\s+/g, "");
  const option = /^\(?([A-Z])\)?$/.exec(key);
  if (option) key = option[1];
  return key;
}
function itemTree(raw) {
  let item = stripOuterGroup(raw.trim());
  if (item === "") return null;
  item = stripUnits(item);
  if (/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(item)) item = item.replaceAll(",", "");
  item = collapseEqualityChain(item);
  if (item.includes(":")) item = splitTopLevel(item, [":"]).join("/");
  const option = /^\\text\{\s*\(?([A-Z])\)?\s*\}$|^\(([A-Z])\)$/.exec(item);
  if (option) item = option[1] ?? option[2];
  return { kind: "item", latex: item, key: itemKey(item) };
}
function answerTree(raw) {
  const text = normalizeLatex(raw);
  if (text === "") return null;
  const wholeNumber = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text);
  const groups = wholeNumber ? [text] : splitTopLevel(text, [";"]);
  const groupTrees = [];
  for (const group of groups) {
    const parts = wholeNumber ? [group] : splitTopLevel(stripOuterGroup(group.trim()), [",", " and ", " or "]);
    const items = parts.map(itemTree).filter((tree) => tree !== null);
    if (items.length === 1) groupTrees.push(items[0]);
    else if (items.length > 1) groupTrees.push({ kind: "list", items: dedupe(items) });
  }
  if (groupTrees.length === 0) return null;
  if (groupTrees.length === 1) return groupTrees[0];
  return { kind: "list", items: dedupe(groupTrees) };
}
function dedupe(items) {
  const seen = /* @__PURE__ */ new Set();
  return items.filter((item) => {
    const key = treeKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// src/verify/extract.ts
var answerSources = [
  "boxed",
  "answer-tag",
  "final-answer",
  "marker",
  "latex",
  "whole",
  "number"
];
var MAX_SCAN_CHARS = 5e4;
var ENV_PATTERN = /\$\$([\s\S]*?)\$\$|\\\[([\s\S]*?)\\\]|\\\(([\s\S]*?)\\\)|\$((?:[^$\\]|\\[\s\S])+?)\$/g;
function latexEnvironments(text) {
  const spans = [];
  ENV_PATTERN.lastIndex = 0;
  for (let match = ENV_PATTERN.exec(text); match !== null; match = ENV_PATTERN.exec(text)) {
    const content = match[1] ?? match[2] ?? match[3] ?? match[4] ?? "";
    if (content.trim() !== "")
      spans.push({ start: match.index, end: match.index + match[0].length, content });
  }
  return spans;
}
function joinTrailing(spans, text, gapAllowed) {
  const last = spans[spans.length - 1];
  if (last === void 0) return null;
  const parts = [last.content];
  let start = last.start;
  for (let i = spans.length - 2; i >= 0; i--) {
    const gap = text.slice(spans[i].end, start);
    if (!gapAllowed(gap)) break;
    parts.unshift(spans[i].content);
    start = spans[i].start;
  }
  return { start, end: last.end, content: parts.join(",") };
}
var ENV_GAP = /^\s*(?:,|;|and|or|&|\\quad|\\qquad)?\s*(?:,|and|or)?\s*$/i;
function boxGapAllowed(gap) {
  if (gap.length > 48 || gap.includes("\n\n")) return false;
  const words = gap.replace(/\\[a-zA-Z]+/g, " ").match(/[a-zA-Z]{2,}/g) ?? [];
  return words.length === 0 || words.some((word) => word.toLowerCase() === "and");
}
function looksLikeProse(text) {
  const stripped = text.replace(/\\text\{[^{}]*\}/g, " ").replace(/\\[a-zA-Z]+/g, " ");
  return /[a-zA-Z]{4,}/.test(stripped) || (stripped.match(/[a-zA-Z]{2,}/g)?.length ?? 0) > 2;
}
var NUMBER_TOKEN = /(?<![\w.^_])-?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
function numbersIn2(text, offset, excluded) {
  const found = [];
  NUMBER_TOKEN.lastIndex = 0;
  for (let match = NUMBER_TOKEN.exec(text); match !== null; match = NUMBER_TOKEN.exec(text)) {
    const position = offset + match.index;
    if (excluded.some((span) => position >= span.start && position < span.end)) continue;
    const token = match[0].replace(/,+$/, "");
    const canonical = canonicalNumberToken(token) ?? canonicalNumberToken(token.split(",").join(""));
    if (canonical !== null)
      found.push({ text: canonical, source: "number", priority: 2, position });
  }
  return found;
}
var PHRASE = /(?:final answer|the answer|answer)\s*(?:is|:|=|should be|will be)?\s*:?\s*/gi;
var SENTENCE_END = /\.(?=\s|$)(?!\d)|\n|\bI hope\b/;
function phraseCandidate(text, envs, targets) {
  let last = null;
  PHRASE.lastIndex = 0;
  for (let match = PHRASE.exec(text); match !== null; match = PHRASE.exec(text)) {
    if (match[0].length > 0) last = match;
    if (match[0].length === 0) PHRASE.lastIndex++;
  }
  if (last === null) return null;
  const start = last.index + last[0].length;
  const env = envs.find(
    (span) => span.start === start || span.start > start && text.slice(start, span.start).trim() === ""
  );
  if (env !== void 0 && targets.includes("latex")) {
    return { text: env.content, source: "final-answer", priority: 1, position: env.start };
  }
  const rest = text.slice(start);
  const endAt = rest.search(SENTENCE_END);
  const sentence = (endAt < 0 ? rest : rest.slice(0, endAt)).trim();
  if (sentence === "") return null;
  if (!looksLikeProse(sentence) && !sentence.includes("$") && sentence.length <= 120) {
    if (targets.includes("expr") || /\\/.test(sentence)) {
      return {
        text: canonicalNumberToken(sentence) ?? sentence,
        source: "final-answer",
        priority: 1,
        position: start
      };
    }
  }
  const inSentence = envs.filter(
    (span) => span.start >= start && span.end <= start + sentence.length + 2
  );
  const lastEnv = targets.includes("latex") ? inSentence[inSentence.length - 1] : void 0;
  const numbers = targets.includes("expr") ? numbersIn2(sentence, start, inSentence) : [];
  const lastNumber = numbers[numbers.length - 1];
  if (lastNumber !== void 0 && (lastEnv === void 0 || lastNumber.position > lastEnv.start)) {
    return { ...lastNumber, source: "final-answer", priority: 1 };
  }
  if (lastEnv !== void 0)
    return { text: lastEnv.content, source: "final-answer", priority: 1, position: lastEnv.start };
  return null;
}
function extractAnswers(input, options = {}) {
  const targets = options.targets ?? ["latex", "expr"];
  const sources = new Set(options.sources ?? answerSources);
  const offset = Math.max(0, input.length - MAX_SCAN_CHARS);
  const text = undoubleBackslashes(offset > 0 ? input.slice(offset) : input);
  const candidates = [];
  const latex = targets.includes("latex");
  const expr = targets.includes("expr");
  if (sources.has("boxed") && (latex || expr)) {
    const joined = joinTrailing(findBoxed(text), text, boxGapAllowed);
    if (joined !== null)
      candidates.push({
        text: joined.content,
        source: "boxed",
        priority: 0,
        position: joined.start
      });
  }
  if (sources.has("answer-tag")) {
    const tags = [...text.matchAll(/<answer>([\s\S]*?)(?:<\/answer>|$)/g)];
    const tag = tags[tags.length - 1];
    if (tag !== void 0 && tag[1].trim() !== "") {
      const content = tag[1].trim();
      const inner = content.length > 80 || content.includes("$") ? extractAnswers(content, {
        ...options,
        sources: [...sources].filter((s) => s !== "answer-tag")
      })[0] : void 0;
      candidates.push({
        text: inner?.text ?? content,
        source: "answer-tag",
        priority: 0,
        position: tag.index - 1
      });
    }
  }
  const envs = latex || sources.has("final-answer") ? latexEnvironments(text) : [];
  if (sources.has("final-answer")) {
    const phrase = phraseCandidate(text, envs, targets);
    if (phrase !== null) candidates.push(phrase);
  }
  if (sources.has("marker")) {
    const hashes = [...text.matchAll(/^#### *(.+?) *$/gm)];
    const hash = hashes[hashes.length - 1];
    if (hash !== void 0)
      candidates.push({ text: hash[1], source: "marker", priority: 1, position: hash.index });
    const lastLine = /(?:^|\n)[ \t]*A:[ \t]*(.+?)\s*$/.exec(text);
    if (lastLine !== null)
      candidates.push({
        text: lastLine[1],
        source: "marker",
        priority: 1,
        position: lastLine.index
      });
  }
  const trimmed = text.trim();
  if (sources.has("whole") && trimmed.length <= 120 && !/[$]|\\\(|\\\[/.test(trimmed) && !looksLikeProse(trimmed)) {
    candidates.push({
      text: canonicalNumberToken(trimmed) ?? trimmed,
      source: "whole",
      priority: 1,
      position: 0
    });
  }
  if (latex && sources.has("latex")) {
    const joined = joinTrailing(envs, text, (gap) => ENV_GAP.test(gap));
    if (joined !== null)
      candidates.push({
        text: joined.content,
        source: "latex",
        priority: 2,
        position: joined.start
      });
  }
  if (expr && sources.has("number")) {
    const numbers = numbersIn2(text.replace(/\\\$/g, "  "), 0, latex ? envs : []);
    const lastNumber = numbers[numbers.length - 1];
    if (lastNumber !== void 0) candidates.push(lastNumber);
  }
  return candidates.map((candidate) => ({ ...candidate, position: candidate.position + offset })).sort((a, b) => a.priority - b.priority || b.position - a.position);
}

// src/verify/verify-answer.ts
var CANDIDATES = 3;
function compareOptions(options) {
  const precision = options.precision ?? 6;
  if (!Number.isInteger(precision) || precision < 0 || precision > 15) {
    throw new EvaluatorError({
      code: "invalid_option",
      message: `precision must be an integer in [0, 15], got ${precision}`
    });
  }
  const timeoutMs = options.timeoutMs ?? 5e3;
  if (!(timeoutMs > 0))
    throw new EvaluatorError({
      code: "invalid_option",
      message: `timeoutMs must be positive, got ${timeoutMs}`
    });
  return {
    precision,
    strict: options.strict ?? false,
    allowSetRelationComp: options.allowSetRelationComp ?? false,
    timeoutMs,
    isolation: options.isolation ?? "worker"
  };
}
function trees(texts) {
  return texts.map(answerTree).filter((tree) => tree !== null);
}
function plainNumber(tree) {
  return tree?.kind === "item" ? parsePlainNumber(tree.latex) : null;
}
function prepare(gold, pred, options) {
  const resolved = compareOptions(options);
  const best = pred[0];
  const golds = gold.filter((candidates) => candidates.length > 0);
  if (best === void 0 || golds.length === 0)
    return { decided: { equivalent: false, method: "none", timedOut: false } };
  if (golds.some((candidates) => treeKey(candidates[0]) === treeKey(best)))
    return { decided: { equivalent: true, method: "string", timedOut: false } };
  const predNumber = plainNumber(best);
  if (predNumber !== null && golds.every((candidates) => plainNumber(candidates[0]) !== null)) {
    const equivalent = golds.some(
      (candidates) => numbersClose(plainNumber(candidates[0]), predNumber, resolved.precision)
    );
    return { decided: { equivalent, method: "number", timedOut: false } };
  }
  return {
    request: { gold: golds, pred, options: resolved },
    timeoutMs: resolved.timeoutMs,
    isolation: resolved.isolation
  };
}
function symbolicDecision(outcome) {
  return { equivalent: outcome.equivalent, method: "symbolic", timedOut: outcome.timedOut };
}
function prepareVerification(options) {
  const golds = typeof options.gold === "string" ? [options.gold] : [...options.gold];
  const predValue = parsePlainNumber(options.pred);
  if (predValue !== null && golds.length > 0) {
    const goldValues = golds.map(parsePlainNumber);
    if (goldValues.every((value) => value !== null)) {
      const { precision } = compareOptions(options);
      const equivalent = goldValues.some((value) => numbersClose(value, predValue, precision));
      return {
        pending: { decided: { equivalent, method: "number", timedOut: false } },
        extractedGold: golds.map((gold) => gold.trim()),
        extractedPred: [options.pred.trim()]
      };
    }
  }
  const extractOptions = {
    targets: options.match ?? ["latex", "expr"],
    ...options.sources ? { sources: options.sources } : {}
  };
  const goldCandidates = golds.map(
    (gold) => extractAnswers(gold, extractOptions).slice(0, CANDIDATES)
  );
  const predCandidates = extractAnswers(options.pred, extractOptions).slice(0, CANDIDATES);
  return {
    pending: prepare(
      goldCandidates.map((candidates) => trees(candidates.map((candidate) => candidate.text))),
      trees(predCandidates.map((candidate) => candidate.text)),
      options
    ),
    extractedGold: goldCandidates.map((candidates) => candidates[0]?.text ?? ""),
    extractedPred: predCandidates[0] === void 0 ? [] : [predCandidates[0].text]
  };
}
function verifyAnswer(options) {
  const { pending, extractedGold, extractedPred } = prepareVerification(options);
  const decision = "decided" in pending ? pending.decided : symbolicDecision(runSymbolic(pending.request, pending));
  return { ...decision, extractedGold, extractedPred };
}
async function verifyAnswerAsync(options) {
  const { pending, extractedGold, extractedPred } = prepareVerification(options);
  const decision = "decided" in pending ? pending.decided : symbolicDecision(await runSymbolicAsync(pending.request, pending));
  return { ...decision, extractedGold, extractedPred };
}
function isEquivalent(a, b, options = {}) {
  const pending = prepare([trees([a])], trees([b]), options);
  return "decided" in pending ? pending.decided.equivalent : runSymbolic(pending.request, pending).equivalent;
}

// src/dimensions/correctness.ts
var QA_SOURCES = /hotpot|2wiki|wikimultihop|musique|natural.?questions|^nq$|trivia|bamboogle|popqa|hle|squad|\bqa\b/i;
function answerKindOf(task, option = "auto") {
  if (option !== "auto") return option;
  return QA_SOURCES.test(task.dataSource) ? "qa" : "math";
}
function predictedAnswer(trajectory) {
  if (trajectory.finalAnswer !== null && trajectory.finalAnswer.trim() !== "")
    return trajectory.finalAnswer;
  let answerText = null;
  let lastOutput = null;
  for (let i = trajectory.steps.length - 1; i >= 0; i--) {
    const step = trajectory.steps[i];
    if (step.type === "answer" && answerText === null) {
      if (step.answer !== void 0 && step.answer.trim() !== "") return step.answer;
      answerText = step.text;
    } else if (step.type === "tool-result" && lastOutput === null && !step.isError) {
      lastOutput = step.output.trim();
    }
  }
  if (lastOutput !== null && lastOutput !== "" && lastOutput.length <= 64 && !lastOutput.includes("\n"))
    return lastOutput;
  return answerText;
}
function correctnessDimension(task, trajectory, options = {}) {
  if (task.goldAnswers.length === 0) return { correct: null, dimension: null };
  const pred = predictedAnswer(trajectory);
  if (pred === null) {
    return {
      correct: false,
      dimension: {
        score: 0,
        diagnostics: [
          {
            stepIndex: null,
            code: "correctness/no-answer",
            message: "the trajectory gives no final answer"
          }
        ]
      }
    };
  }
  const diagnostics = [];
  if (answerKindOf(task, options.answerKind) === "qa") {
    const f1 = qaF1(pred, task.goldAnswers);
    const correct = qaExactMatch(pred, task.goldAnswers);
    if (!correct)
      diagnostics.push({
        stepIndex: null,
        code: "correctness/qa-mismatch",
        message: `"${pred}" does not match ${JSON.stringify(task.goldAnswers)} (F1 ${f1.toFixed(2)})`
      });
    return { correct, dimension: { score: f1, diagnostics } };
  }
  const { answerKind: _kind, ...verifyOptions } = options;
  const result = verifyAnswer({ ...verifyOptions, gold: task.goldAnswers, pred });
  if (result.timedOut)
    diagnostics.push({
      stepIndex: null,
      code: "correctness/timeout",
      message: "the answer comparison hit its deadline"
    });
  if (!result.equivalent) {
    diagnostics.push({
      stepIndex: null,
      code: "correctness/wrong-answer",
      message: `answer ${JSON.stringify(result.extractedPred[0] ?? pred)} is not equivalent to ${JSON.stringify(result.extractedGold)}`
    });
  }
  return {
    correct: result.equivalent,
    dimension: { score: result.equivalent ? 1 : 0, diagnostics }
  };
}

// src/dimensions/paper-format.ts
var TAG = /<(\/?)(think|answer|result|code|search|calculator)>/g;
function checkPaperFormat(text, options = {}) {
  const callTags = new Set(options.callTags ?? ["code", "search", "calculator"]);
  const maxToolCalls = options.maxToolCalls ?? 3;
  const violations = [];
  const add = (code, message, offset) => violations.push({ code, message, offset });
  if (!text.trimStart().startsWith("<think>"))
    add("first-token-not-think", "the text does not start with <think>", 0);
  let open = null;
  let pendingCall = null;
  let answers = 0;
  let answerEnd = -1;
  let toolCalls = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match !== null; match = TAG.exec(text)) {
    const closing = match[1] === "/";
    const name = match[2];
    const at = match.index;
    if (!closing) {
      if (open !== null) {
        add("unclosed-tag", `<${open.name}> is not closed before <${name}>`, open.at);
        open = null;
      }
      if (pendingCall !== null && name !== "result") {
        add(
          "call-without-result",
          `<${pendingCall.name}> is not followed by <result>`,
          pendingCall.at
        );
        pendingCall = null;
      }
      if (name === "result" && pendingCall === null)
        add("orphan-result", "<result> without a preceding tool call", at);
      if (name === "result") pendingCall = null;
      if (callTags.has(name)) toolCalls++;
      if (name === "answer") answers++;
      open = { name, at };
    } else if (open === null || open.name !== name) {
      add("unmatched-close", `</${name}> without a matching <${name}>`, at);
    } else {
      if (callTags.has(name)) pendingCall = { name, at: open.at };
      if (name === "answer") {
        answerEnd = at + match[0].length;
        if (!/\\boxed\s*\{/.test(text.slice(open.at, at)))
          add("answer-without-boxed", "the <answer> has no \\boxed{}", open.at);
      }
      open = null;
    }
  }
  if (open !== null) add("unclosed-tag", `<${open.name}> is not closed`, open.at);
  if (pendingCall !== null)
    add("call-without-result", `<${pendingCall.name}> is not followed by <result>`, pendingCall.at);
  if (answers === 0) add("missing-answer", "no <answer> block", null);
  if (answers > 1)
    add("multiple-answers", `${answers} <answer> blocks; exactly one is allowed`, null);
  if (answerEnd >= 0 && text.slice(answerEnd).trim() !== "")
    add("text-after-answer", "text after the final </answer>", answerEnd);
  if (toolCalls > maxToolCalls)
    add("too-many-tool-calls", `${toolCalls} tool calls; at most ${maxToolCalls} allowed`, null);
  return { ok: violations.length === 0, violations, toolCalls };
}
function formatDimension(text, options = {}) {
  const result = checkPaperFormat(text, options);
  return {
    score: Math.max(0, 1 - 0.25 * result.violations.length),
    diagnostics: result.violations.map((violation) => ({
      stepIndex: null,
      code: `format/${violation.code}`,
      message: violation.message
    }))
  };
}

// src/dimensions/text-quality.ts
var UNCERTAINTY_WORDS = [
  "maybe",
  "unsure",
  "guess",
  "seems",
  "perhaps",
  "probably",
  "might",
  "likely",
  "recheck"
];
var UNCERTAINTY = new RegExp(`\\b(${UNCERTAINTY_WORDS.join("|")})\\b`, "i");
function confidenceDimension(trajectory) {
  const diagnostics = [];
  trajectory.steps.forEach((step, stepIndex) => {
    if (step.type !== "think") return;
    const match = UNCERTAINTY.exec(step.text);
    if (match)
      diagnostics.push({
        stepIndex,
        code: "confidence/uncertainty-word",
        message: `reasoning says "${match[1]}"`
      });
  });
  return { score: diagnostics.length === 0 ? 1 : 0, diagnostics };
}
function lengthScore(words, shortest) {
  if (shortest <= 0 || words <= shortest) return 1;
  const sigma = 0.5 * shortest;
  return Math.exp(-((words - shortest) ** 2) / (2 * sigma * sigma));
}
function lengthDimension(words, shortest) {
  const score = lengthScore(words, shortest);
  const diagnostics = score < 0.5 ? [
    {
      stepIndex: null,
      code: "length/long",
      message: `${words} words against ${shortest} for the shortest candidate`
    }
  ] : [];
  return { score, diagnostics };
}
function repetitionScore(words) {
  if (words.length < 6) return { score: 1, repeated: 0, total: 0 };
  const ids = /* @__PURE__ */ new Map();
  const codes = new Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    let id = ids.get(word);
    if (id === void 0) {
      id = ids.size;
      ids.set(word, id);
    }
    codes[i] = id;
  }
  const base = ids.size + 1;
  const counts = /* @__PURE__ */ new Map();
  const total = words.length - 2;
  let repeated = 0;
  for (let i = 0; i < total; i++) {
    const key = (codes[i] * base + codes[i + 1]) * base + codes[i + 2];
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count === 2) repeated++;
  }
  return { score: 1 - repeated / total, repeated, total };
}
function repetitionDimension(words) {
  const { score, repeated, total } = repetitionScore(words);
  const diagnostics = score < 0.9 ? [
    {
      stepIndex: null,
      code: "repetition/repeated-trigrams",
      message: `${repeated} of ${total} word trigrams repeat`
    }
  ] : [];
  return { score, diagnostics };
}

// src/dimensions/tool-validity.ts
function salientTokens(output) {
  const numbers = output.match(/-?\d+(?:\.\d+)?/g) ?? [];
  const tokens = numbers.map((n) => n.replace(/^-/, "").replace(/\.0+$/, ""));
  if (tokens.length > 0) return tokens.slice(-8);
  return (output.toLowerCase().match(/[a-z]{4,}/g) ?? []).slice(0, 20);
}
function laterModelText(steps, from) {
  let text = "";
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    if (step.type === "think" || step.type === "answer") text += ` ${step.text}`;
    else if (step.type === "tool-call") text += ` ${JSON.stringify(step.input)}`;
  }
  return text;
}
function toolValidityDimension(trajectory, options = {}) {
  const maxToolCalls = options.maxToolCalls ?? 3;
  const diagnostics = [];
  const steps = trajectory.steps;
  const resultIndex = /* @__PURE__ */ new Map();
  steps.forEach((step, index) => {
    if (step.type === "tool-result") resultIndex.set(step.callId, index);
  });
  let calls = 0;
  let problems = 0;
  steps.forEach((step, index) => {
    if (step.type === "tool-call") {
      calls++;
      if (calls === maxToolCalls + 1) {
        diagnostics.push({
          stepIndex: index,
          code: "tool/over-budget",
          message: `call ${calls} exceeds the budget of ${maxToolCalls}`
        });
      }
      if (calls > maxToolCalls) problems++;
      if (!resultIndex.has(step.callId)) {
        problems++;
        diagnostics.push({
          stepIndex: index,
          code: "tool/no-result",
          message: `${step.toolName} call ${step.callId} has no result`
        });
      }
      return;
    }
    if (step.type !== "tool-result") return;
    if (step.timedOut) {
      problems++;
      diagnostics.push({
        stepIndex: index,
        code: "tool/timeout",
        message: `${step.toolName} timed out`
      });
    } else if (step.isError) {
      problems++;
      diagnostics.push({
        stepIndex: index,
        code: "tool/error",
        message: `${step.toolName} returned an error: ${step.output.slice(0, 120)}`
      });
    } else {
      const tokens = salientTokens(step.output);
      if (tokens.length > 0) {
        const later = laterModelText(steps, index + 1);
        if (!tokens.some((token) => later.includes(token))) {
          problems += 0.5;
          diagnostics.push({
            stepIndex: index,
            code: "tool/unused-result",
            message: `the ${step.toolName} result is never used afterwards`
          });
        }
      }
    }
  });
  const score = calls === 0 ? 1 : Math.max(0, 1 - problems / calls);
  return { score, diagnostics };
}

// src/dimensions/types.ts
function whitespaceWords(text) {
  return text.split(/\s+/).filter((word) => word !== "");
}

// src/evaluate/presets.ts
var dimensionNames = [
  "correctness",
  "format",
  "confidence",
  "length",
  "repetition",
  "toolValidity",
  "consistency",
  "judge"
];
var PAPER_THRESHOLDS = Object.freeze({
  keepAll: 0.9,
  keepBest: 0.86,
  acceptLowQuality: 0.86,
  acceptWrongAnswer: 0.8
});
var PAPER_WEIGHTS = Object.freeze({
  confidence: 0.4,
  length: 0.3,
  repetition: 0.3
});
var FULL_WEIGHTS = Object.freeze({
  format: 0.2,
  consistency: 0.2,
  toolValidity: 0.15,
  confidence: 0.2,
  length: 0.1,
  repetition: 0.15
});
var presets = Object.freeze({
  paper: {
    name: "paper",
    weights: PAPER_WEIGHTS,
    thresholds: PAPER_THRESHOLDS,
    dimensions: ["correctness", "confidence", "length", "repetition"]
  },
  full: {
    name: "full",
    weights: FULL_WEIGHTS,
    thresholds: PAPER_THRESHOLDS,
    dimensions: [
      "correctness",
      "format",
      "confidence",
      "length",
      "repetition",
      "toolValidity",
      "consistency"
    ]
  }
});
function getPreset(name) {
  if (name === "paper" || name === "full") return presets[name];
  throw new EvaluatorError({
    code: "unknown_preset",
    message: `unknown preset "${name}" (expected paper or full)`
  });
}
function qualityScore(scores, weights) {
  let total = 0;
  let weightSum = 0;
  for (const [name, weight] of Object.entries(weights)) {
    const score = scores[name];
    if (weight === void 0 || weight <= 0 || score === void 0) continue;
    total += weight * score;
    weightSum += weight;
  }
  return weightSum === 0 ? 0 : total / weightSum;
}

// src/evaluate/accept-repair.ts
function acceptRepair(input) {
  const thresholds = { ...PAPER_THRESHOLDS, ...input.thresholds };
  const kind = input.reason ?? (input.original.correct === false ? "wrong-answer" : "low-quality");
  const threshold = kind === "wrong-answer" ? thresholds.acceptWrongAnswer : thresholds.acceptLowQuality;
  const quality = input.repaired.quality.toFixed(3);
  if (input.repaired.correct !== true) {
    return {
      accepted: false,
      reason: input.repaired.correct === null ? "repaired answer cannot be checked (no gold)" : "repaired answer is wrong",
      threshold
    };
  }
  if (!(input.repaired.quality > threshold))
    return {
      accepted: false,
      reason: `repaired quality ${quality} is not above ${threshold}`,
      threshold
    };
  if (kind === "low-quality" && !(input.repaired.quality > input.original.quality)) {
    return {
      accepted: false,
      reason: `repaired quality ${quality} does not beat the original ${input.original.quality.toFixed(3)}`,
      threshold
    };
  }
  return {
    accepted: true,
    reason: `${kind} repaired: correct, quality ${quality} > ${threshold}`,
    threshold
  };
}

// src/evaluate/create-evaluator.ts
import { trajectoryToText } from "@autotraj/trajectory";

// src/dimensions/python-reexecution.ts
import { formatPythonOutput } from "@autotraj/tools";
import { toolInputText as toolInputText2 } from "@autotraj/trajectory";
var sessions = 0;
function pythonOutputsAgree(recorded, rerun) {
  const normalize = (text) => text.replace(/\s+/g, " ").trim();
  const a = normalize(recorded);
  const b = normalize(rerun);
  if (a === b) return true;
  const tokens = (text) => text.split(/([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)/);
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.length !== tb.length) return false;
  return ta.every((part, index) => {
    const other = tb[index];
    if (index % 2 === 0) return part === other;
    const x = Number(part);
    const y = Number(other);
    return Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
  });
}
async function reexecutePython(trajectory, options) {
  const outcome = { checks: 0, passed: 0, diagnostics: [] };
  const sessionId = `evaluator-consistency-${process.pid}-${sessions++}`;
  const calls = /* @__PURE__ */ new Map();
  try {
    for (const [index, step] of trajectory.steps.entries()) {
      if (step.type === "tool-call" && step.toolName === "python") {
        calls.set(step.callId, step);
        continue;
      }
      if (step.type !== "tool-result" || step.toolName !== "python" || step.timedOut) continue;
      const call = calls.get(step.callId);
      if (call === void 0) continue;
      const result = await options.executor.run(toolInputText2("python", call.input), {
        sessionId,
        timeoutMs: options.timeoutMs ?? 1e4
      });
      const rerun = result.timedOut ? "(timed out)" : formatPythonOutput(result);
      outcome.checks++;
      if (!result.timedOut && pythonOutputsAgree(step.output, rerun)) {
        outcome.passed++;
      } else {
        outcome.diagnostics.push({
          stepIndex: index,
          code: "consistency/python-mismatch",
          message: `recorded output ${JSON.stringify(step.output.slice(0, 80))}, re-execution gives ${JSON.stringify(rerun.slice(0, 80))}`
        });
      }
    }
  } finally {
    await options.executor.endSession(sessionId).catch(() => void 0);
  }
  return outcome;
}

// src/evaluate/selection.ts
function selectCandidates(reports, options) {
  const decisions = /* @__PURE__ */ new Map();
  const seen = /* @__PURE__ */ new Set();
  const eligible = [];
  for (const report of reports) {
    const id = report.trajectoryId;
    const text = options.texts?.get(id);
    if (options.empty?.has(id)) {
      decisions.set(id, {
        trajectoryId: id,
        action: "discard",
        reason: "empty trajectory: no steps or answer"
      });
    } else if (text !== void 0 && seen.has(text)) {
      decisions.set(id, {
        trajectoryId: id,
        action: "discard",
        reason: "duplicate of an earlier candidate"
      });
    } else if (report.correct === false) {
      if (text !== void 0) seen.add(text);
      decisions.set(id, { trajectoryId: id, action: "repair", reason: "wrong-answer" });
    } else {
      if (text !== void 0) seen.add(text);
      eligible.push(report);
    }
  }
  const { keepAll, keepBest } = options.thresholds;
  const fmt = (value) => value.toFixed(3);
  if (eligible.length > 0 && eligible.every((report) => report.quality >= keepAll)) {
    for (const report of eligible) {
      decisions.set(report.trajectoryId, {
        trajectoryId: report.trajectoryId,
        action: "keep",
        reason: `all correct candidates score >= ${keepAll} (${fmt(report.quality)})`
      });
    }
  } else if (eligible.length > 0) {
    const best = eligible.reduce((a, b) => b.quality > a.quality ? b : a);
    for (const report of eligible) {
      if (report === best && best.quality >= keepBest) {
        decisions.set(report.trajectoryId, {
          trajectoryId: report.trajectoryId,
          action: "keep",
          reason: `best correct candidate, quality ${fmt(report.quality)} >= ${keepBest}`
        });
      } else {
        decisions.set(report.trajectoryId, {
          trajectoryId: report.trajectoryId,
          action: "repair",
          reason: `low-quality: ${fmt(report.quality)}${report === best ? ` < ${keepBest}` : " (not the best)"}`
        });
      }
    }
  }
  return reports.map((report) => decisions.get(report.trajectoryId));
}

// src/evaluate/create-evaluator.ts
var renderCache = /* @__PURE__ */ new WeakMap();
function render(trajectory) {
  const cached = renderCache.get(trajectory);
  if (cached !== void 0) return cached;
  const text = trajectoryToText(trajectory, "tags");
  const rendered = { text, words: whitespaceWords(text) };
  renderCache.set(trajectory, rendered);
  return rendered;
}
function createEvaluator(options = {}) {
  const preset = getPreset(options.preset ?? "paper");
  const thresholds = { ...preset.thresholds, ...options.thresholds };
  const dimensions = [...options.dimensions ?? preset.dimensions];
  if (options.judge !== void 0 && !dimensions.includes("judge")) dimensions.push("judge");
  for (const name of dimensions) {
    if (!dimensionNames.includes(name))
      throw new EvaluatorError({ code: "invalid_option", message: `unknown dimension "${name}"` });
  }
  if (dimensions.includes("judge") && options.judge === void 0) {
    throw new EvaluatorError({
      code: "invalid_option",
      message: "the judge dimension needs a judge (createLlmJudge)"
    });
  }
  const weights = { ...preset.weights, ...options.weights };
  const judgeWeight = options.judgeWeight ?? 0.2;
  if (!(judgeWeight >= 0 && judgeWeight <= 1))
    throw new EvaluatorError({
      code: "invalid_option",
      message: `judgeWeight must be in [0, 1], got ${judgeWeight}`
    });
  for (const [name, weight] of Object.entries(weights)) {
    if (!(typeof weight === "number" && weight >= 0 && Number.isFinite(weight))) {
      throw new EvaluatorError({
        code: "invalid_option",
        message: `weight for "${name}" must be a non-negative number`
      });
    }
  }
  const active = new Set(dimensions);
  const consistencyOptions = {
    calculatorCache: /* @__PURE__ */ new Map(),
    ...options.consistency
  };
  const maxToolCalls = options.toolValidity?.maxToolCalls ?? options.format?.maxToolCalls;
  function ruleDimensions(task, trajectory, own, shortest) {
    const results = {};
    let correct = null;
    if (active.has("correctness")) {
      const outcome = correctnessDimension(task, trajectory, options.correctness);
      correct = outcome.correct;
      if (outcome.dimension !== null) results.correctness = outcome.dimension;
    }
    if (active.has("format")) results.format = formatDimension(own.text, options.format);
    if (active.has("confidence")) results.confidence = confidenceDimension(trajectory);
    if (active.has("length")) results.length = lengthDimension(own.words.length, shortest);
    if (active.has("repetition")) results.repetition = repetitionDimension(own.words);
    if (active.has("toolValidity"))
      results.toolValidity = toolValidityDimension(trajectory, {
        ...options.toolValidity,
        ...maxToolCalls === void 0 ? {} : { maxToolCalls }
      });
    if (active.has("consistency"))
      results.consistency = consistencyDimension(trajectory, consistencyOptions);
    return { results, correct };
  }
  function report(trajectory, correct, results) {
    const scores = {};
    for (const [name, result] of Object.entries(results))
      if (name !== "judge") scores[name] = result.score;
    const ruleQuality = qualityScore(scores, weights);
    const judged = results.judge;
    return {
      trajectoryId: trajectory.id,
      correct,
      quality: judged === void 0 ? ruleQuality : (1 - judgeWeight) * ruleQuality + judgeWeight * judged.score,
      dimensions: results,
      diagnostics: Object.values(results).flatMap((result) => result.diagnostics)
    };
  }
  function shortestOf(own, group, cache) {
    let shortest = own.words.length;
    for (const other of group ?? []) {
      const rendered = cache?.get(other.id) ?? render(other);
      shortest = Math.min(shortest, rendered.words.length);
    }
    return shortest;
  }
  function evaluateSync({
    task,
    trajectory,
    group
  }, cache) {
    const own = cache?.get(trajectory.id) ?? render(trajectory);
    const { results, correct } = ruleDimensions(
      task,
      trajectory,
      own,
      shortestOf(own, group, cache)
    );
    return report(trajectory, correct, results);
  }
  async function evaluateWithCache(input, cache) {
    let base = evaluateSync(input, cache);
    if (options.python !== void 0 && active.has("consistency")) {
      const rule = consistencyChecks(input.trajectory, consistencyOptions);
      const python = await reexecutePython(input.trajectory, options.python);
      const checks = rule.checks + python.checks;
      const consistency = {
        score: checks === 0 ? 1 : (rule.passed + python.passed) / checks,
        diagnostics: [...rule.diagnostics, ...python.diagnostics]
      };
      base = report(input.trajectory, base.correct, { ...base.dimensions, consistency });
    }
    if (!active.has("judge") || options.judge === void 0) return base;
    const {
      verdict: _verdict,
      cached: _cached,
      ...judged
    } = await options.judge.judge({ task: input.task, trajectory: input.trajectory });
    return report(input.trajectory, base.correct, { ...base.dimensions, judge: judged });
  }
  return {
    preset: preset.name,
    weights,
    thresholds,
    dimensions,
    evaluateSync: (input) => evaluateSync(input),
    evaluate: (input) => evaluateWithCache(input),
    async evaluateGroup({ task, candidates }) {
      const cache = new Map(candidates.map((candidate) => [candidate.id, render(candidate)]));
      const reports = [];
      for (const trajectory of candidates)
        reports.push(await evaluateWithCache({ task, trajectory, group: candidates }, cache));
      const texts = new Map([...cache].map(([id, rendered]) => [id, rendered.text]));
      const empty = new Set(
        candidates.filter((candidate) => candidate.steps.length === 0).map((candidate) => candidate.id)
      );
      return { reports, decisions: selectCandidates(reports, { thresholds, texts, empty }) };
    },
    acceptRepair: (input) => acceptRepair({ ...input, thresholds })
  };
}

// src/judge/cache.ts
import { createHash } from "crypto";
import { appendFileSync, existsSync as existsSync2, readFileSync } from "fs";
function judgeCacheKey(parts) {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}
function createJudgeCache(options = {}) {
  const entries = /* @__PURE__ */ new Map();
  if (options.file !== void 0 && existsSync2(options.file)) {
    for (const line of readFileSync(options.file, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        const record = JSON.parse(line);
        if (typeof record.key === "string") entries.set(record.key, record.value);
      } catch {
      }
    }
  }
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      entries.set(key, value);
      if (options.file !== void 0)
        appendFileSync(options.file, `${JSON.stringify({ key, value })}
`);
    },
    get size() {
      return entries.size;
    }
  };
}

// src/judge/llm-judge.ts
import { trajectoryToText as trajectoryToText2 } from "@autotraj/trajectory";
import { generateText, Output } from "ai";
import { z } from "zod";
var judgeVerdictSchema = z.object({
  reasoningQuality: z.number().int().min(1).max(5).describe("Is each reasoning step valid and relevant?"),
  toolUse: z.number().int().min(1).max(5).describe("Are tools used when useful, with results read correctly?"),
  clarity: z.number().int().min(1).max(5).describe("Is the trajectory concise and easy to follow?"),
  issues: z.array(z.object({ stepIndex: z.number().int().nullable(), message: z.string() })).max(10)
});
var DEFAULT_JUDGE_INSTRUCTIONS = [
  "You grade tool-integrated reasoning trajectories for training data quality.",
  "Score each criterion from 1 (poor) to 5 (excellent). List concrete issues with the step index they refer to (steps are numbered from 0), or null.",
  "Do not judge whether the final answer is correct; that is checked separately."
].join(" ");
function renderSteps(trajectory) {
  return trajectory.steps.map((step, index) => {
    const body = step.type === "tool-call" ? JSON.stringify(step.input) : step.type === "tool-result" ? step.output : step.text;
    return `[${index}] ${step.type}${"toolName" in step ? ` (${step.toolName})` : ""}: ${body}`;
  }).join("\n");
}
function createLlmJudge(options) {
  const cache = options.cache ?? createJudgeCache();
  const instructions = options.instructions ?? DEFAULT_JUDGE_INSTRUCTIONS;
  const modelId = typeof options.model === "string" ? options.model : `${options.model.provider}:${options.model.modelId}`;
  return {
    cache,
    async judge({ task, trajectory }) {
      const prompt = `Question:
${task.question}

Trajectory steps:
${renderSteps(trajectory)}

Rendered:
${trajectoryToText2(trajectory, "tags")}`;
      const key = judgeCacheKey({
        modelId,
        instructions,
        prompt,
        temperature: options.temperature ?? 0
      });
      let verdict = cache.get(key);
      const cached = verdict !== void 0;
      if (verdict === void 0) {
        const result = await generateText({
          model: options.model,
          instructions,
          prompt,
          temperature: options.temperature ?? 0,
          output: Output.object({ schema: judgeVerdictSchema })
        });
        verdict = judgeVerdictSchema.parse(result.output);
        cache.set(key, verdict);
      }
      const mean = (verdict.reasoningQuality + verdict.toolUse + verdict.clarity) / 3;
      return {
        score: (mean - 1) / 4,
        diagnostics: verdict.issues.map((issue) => ({
          stepIndex: issue.stepIndex,
          code: "judge/issue",
          message: issue.message
        })),
        verdict,
        cached
      };
    }
  };
}
export {
  DEFAULT_JUDGE_INSTRUCTIONS,
  EvaluatorError,
  FULL_WEIGHTS,
  PAPER_THRESHOLDS,
  PAPER_WEIGHTS,
  UNCERTAINTY_WORDS,
  acceptRepair,
  answerKindOf,
  answerSources,
  answerTree,
  canonicalNumberToken,
  checkPaperFormat,
  confidenceDimension,
  consistencyDimension,
  correctnessDimension,
  createEvaluator,
  createJudgeCache,
  createLlmJudge,
  dimensionNames,
  extractAnswers,
  formatDimension,
  getPreset,
  isEquivalent,
  judgeCacheKey,
  judgeVerdictSchema,
  lengthDimension,
  lengthScore,
  normalizeLatex,
  normalizeQaAnswer,
  numbersClose,
  parsePlainNumber,
  predictedAnswer,
  presets,
  qaExactMatch,
  qaF1,
  qualityScore,
  repetitionDimension,
  repetitionScore,
  selectCandidates,
  stopComparisonWorker,
  toolValidityDimension,
  verifyAnswer,
  verifyAnswerAsync,
  whitespaceWords
};
//# sourceMappingURL=index.js.map