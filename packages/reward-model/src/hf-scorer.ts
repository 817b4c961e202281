import { readFile } from 'node:fs/promises';
import { getTextCodec, type TextFormat } from '@autotraj/trajectory';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { EmptyBatchError, RewardModelFileError, ScorerClosedError } from './errors.js';
import { createSession, type OnnxSessionOptions } from './onnx-scorer.js';
import { checkSignature, readOnnxFile } from './read-model.js';
import type { OnnxScorerMetadata, OnnxTrajectoryScorer, ScoreItem } from './scorer.js';

export interface CreateHfSequenceClassifierScorerOptions extends OnnxSessionOptions {
  /** ONNX sequence classifier as Hugging Face exporters write it: `input_ids`, `attention_mask` (optionally `token_type_ids`) -> `logits`. */
  modelPath: string;
  /** The model's `tokenizer.json`. */
  tokenizerPath: string;
  /** Its `tokenizer_config.json` (pad token, special tokens), when there is one. */
  tokenizerConfigPath?: string | undefined;
  /** Longest sequence fed to the model, special tokens included. Default 512. */
  maxLength?: number | undefined;
  /** Which end to cut when too long: `right` keeps the start (default), `left` the end (the answer). */
  truncationSide?: 'left' | 'right' | undefined;
  /** `longest` pads to the longest sequence of each batch (default); `max_length` always to `maxLength`. */
  padding?: 'longest' | 'max_length' | undefined;
  /** How a trajectory becomes text: a codec (default `tags`) or your own function. */
  format?: TextFormat | undefined;
  render?: ((item: ScoreItem) => string) | undefined;
  /** Logit column used as the score; default 0 for one-label (reward) heads, else the last label. */
  labelIndex?: number | undefined;
  /** `logit` (default), or the label's probability (`softmax` over labels, `sigmoid` of the logit). */
  transform?: 'logit' | 'softmax' | 'sigmoid' | undefined;
  /** Rows per onnxruntime call. Default 16. */
  maxBatchSize?: number | undefined;
  outputName?: string | undefined;
}

interface TokenizerJson {
  added_tokens?: { id: number; content: string; special?: boolean }[];
  padding?: { pad_id?: number } | null;
}

async function readJsonFile(path: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RewardModelFileError({
      path,
      problem: code === 'ENOENT' ? 'missing' : 'corrupt',
      detail: `cannot read ${what} (${code ?? String(error)})`,
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new RewardModelFileError({
      path,
      problem: text.trim() === '' ? 'truncated' : 'corrupt',
      detail: `${what} is not valid JSON`,
      cause: error,
    });
  }
}

/** Cut `ids` to `maxLength`, keeping special tokens at the kept end's edges ([CLS] ... [SEP] stays well formed). */
export function truncateIds(
  ids: number[],
  maxLength: number,
  side: 'left' | 'right',
  special: ReadonlySet<number>,
): number[] {
  if (ids.length <= maxLength) return ids;
  let lead = 0;
  while (lead < ids.length && special.has(ids[lead]!)) lead++;
  let trail = 0;
  while (trail < ids.length - lead && special.has(ids[ids.length - 1 - trail]!)) trail++;
  const room = Math.max(0, maxLength - lead - trail);
  const body = ids.slice(lead, ids.length - trail);
  const kept = side === 'right' ? body.slice(0, room) : body.slice(body.length - room);
  return [...ids.slice(0, lead), ...kept, ...ids.slice(ids.length - trail)].slice(0, maxLength);
}

export interface HfTokenizer {
  /** Token ids of `text` with special tokens, truncated to `maxLength` on the configured side. */
  encode(text: string): number[];
  padId: number;
}

/** A `tokenizer.json` (+ `tokenizer_config.json`) loaded by @huggingface/tokenizers, with our truncation. */
export async function loadHfTokenizer(options: {
  tokenizerPath: string;
  tokenizerConfigPath?: string | undefined;
  maxLength?: number | undefined;
  truncationSide?: 'left' | 'right' | undefined;
}): Promise<HfTokenizer> {
  const tokenizerJson = await readJsonFile(options.tokenizerPath, 'tokenizer.json');
  const tokenizerConfig =
    options.tokenizerConfigPath === undefined
      ? {}
      : await readJsonFile(options.tokenizerConfigPath, 'tokenizer_config.json');
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (error) {
    throw new RewardModelFileError({
      path: options.tokenizerPath,
      problem: 'corrupt',
      detail: `cannot build a tokenizer: ${(error as Error).message}`,
      cause: error,
    });
  }
  const json = tokenizerJson as TokenizerJson;
  const special = new Set(
    (json.added_tokens ?? []).filter((t) => t.special === true).map((t) => t.id),
  );
  const padToken =
    typeof tokenizerConfig.pad_token === 'string' ? tokenizerConfig.pad_token : undefined;
  const padId =
    json.padding?.pad_id ??
    (padToken === undefined ? undefined : tokenizer.token_to_id(padToken)) ??
    tokenizer.token_to_id('[PAD]') ??
    tokenizer.token_to_id('<pad>') ??
    0;

  const maxLength = options.maxLength ?? 512;
  const side = options.truncationSide ?? 'right';
  return {
    padId,
    encode: (text) => truncateIds(tokenizer.encode(text).ids, maxLength, side, special),
  };
}

/**
 * The text a Hugging Face reward model reads for an item: the question, a blank line, then the
 * trajectory in `format` (default `tags`). The transformer trainer renders its pairs with it, so
 * training and scoring see the same strings.
 */
export function renderScoreText(item: ScoreItem, format: TextFormat = 'tags'): string {
  const body = getTextCodec(format).render(item.trajectory.steps);
  const question = item.question ?? item.trajectory.question;
  return question === undefined ? body : `${question}\n\n${body}`;
}

/**
 * Bring your own reward model: score trajectories with any ONNX sequence classifier and its
 * `tokenizer.json` (loaded by @huggingface/tokenizers), with truncation and padding.
 */
export async function createHfSequenceClassifierScorer(
  options: CreateHfSequenceClassifierScorerOptions,
): Promise<OnnxTrajectoryScorer> {
  const outputName = options.outputName ?? 'logits';
  const file = await readOnnxFile(options.modelPath);
  checkSignature(file, {
    inputs: ['input_ids', 'attention_mask'],
    optionalInputs: ['token_type_ids'],
    outputs: [outputName],
  });
  const { encode, padId } = await loadHfTokenizer(options);

  const session = await createSession(options.modelPath, file.bytes, options);
  const typeOf = (name: string): 'int64' | 'int32' => {
    const meta = session.inputMetadata.find((m) => m.name === name);
    return meta?.isTensor && meta.type === 'int32' ? 'int32' : 'int64';
  };
  const maxLength = options.maxLength ?? 512;
  const format = options.format ?? 'tags';
  const render = options.render ?? ((item: ScoreItem) => renderScoreText(item, format));
  const maxBatch = options.maxBatchSize ?? 16;
  const hasTokenTypes = file.inputNames.includes('token_type_ids');
  let closed = false;

  const tensor = (name: string, values: number[], dims: number[]) =>
    typeOf(name) === 'int32'
      ? new ort.Tensor('int32', Int32Array.from(values), dims)
      : new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);

  const metadata: OnnxScorerMetadata = {
    kind: 'hf-sequence-classifier',
    path: options.modelPath,
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    props: file.props,
  };
  return {
    metadata,
    async score(items: ReadonlyArray<ScoreItem>): Promise<Float32Array> {
      if (closed) throw new ScorerClosedError();
      if (items.length === 0) throw new EmptyBatchError({ what: `score (${options.modelPath})` });
      const out = new Float32Array(items.length);
      for (let start = 0; start < items.length; start += maxBatch) {
        const chunk = items.slice(start, start + maxBatch);
        const encoded = chunk.map((item) => encode(render(item)));
        const length =
          options.padding === 'max_length'
            ? maxLength
            : Math.max(1, ...encoded.map((ids) => ids.length));
        const ids: number[] = [];
        const mask: number[] = [];
        for (const row of encoded) {
          for (let k = 0; k < length; k++) {
            ids.push(k < row.length ? row[k]! : padId);
            mask.push(k < row.length ? 1 : 0);
          }
        }
        const dims = [chunk.length, length];
        const feeds: Record<string, ort.Tensor> = {
          input_ids: tensor('input_ids', ids, dims),
          attention_mask: tensor('attention_mask', mask, dims),
        };
        if (hasTokenTypes)
          feeds.token_type_ids = tensor(
            'token_type_ids',
            new Array<number>(ids.length).fill(0),
            dims,
          );
        const result = await session.run(feeds);
        const logits = result[outputName]!;
        const labels = logits.dims.length === 1 ? 1 : logits.dims[logits.dims.length - 1]!;
        const label = options.labelIndex ?? (labels === 1 ? 0 : labels - 1);
        if (label < 0 || label >= labels)
          throw new RangeError(`labelIndex ${label} is out of range for ${labels} labels`);
        const data = logits.data as Float32Array;
        for (let r = 0; r < chunk.length; r++) {
          const row = data.subarray(r * labels, r * labels + labels);
          let value = row[label]!;
          if (options.transform === 'sigmoid') value = 1 / (1 + Math.exp(-value));
          else if (options.transform === 'softmax') {
            const max = Math.max(...row);
            let sum = 0;
            for (const v of row) sum += Math.exp(v - max);
            value = Math.exp(value - max) / sum;
          }
          out[start + r] = value;
        }
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}
