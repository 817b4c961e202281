import {
  floatTensor,
  int64Tensor,
  node,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  onnx,
  TensorType,
  valueInfo,
} from '../onnx-proto.js';

/** A WordPiece tokenizer.json written by hand (BERT layout: lower-casing, [CLS] ... [SEP]). */
export function tinyTokenizerJson(words: string[]): Record<string, unknown> {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
  const vocab: Record<string, number> = {};
  for (const [id, token] of [...specials, ...words].entries()) vocab[token] = id;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/**
 * A two-label "sequence classifier" in the Hugging Face export layout: logits = Σ_t mask_t · E[input_ids_t]
 * (a masked embedding sum), so a test can compute the expected logits by hand.
 */
export function tinyClassifierOnnx(
  embedding: number[][],
  options: { inputNames?: [string, string]; withTokenTypes?: boolean } = {},
): Uint8Array {
  const [idsName, maskName] = options.inputNames ?? ['input_ids', 'attention_mask'];
  const labels = embedding[0]!.length;
  const inputs = [
    valueInfo(idsName, TensorType.INT64, ['batch', 'sequence']),
    valueInfo(maskName, TensorType.INT64, ['batch', 'sequence']),
  ];
  if (options.withTokenTypes === true)
    inputs.push(valueInfo('token_type_ids', TensorType.INT64, ['batch', 'sequence']));
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'tiny-classifier-test',
    graph: {
      name: 'tiny_classifier',
      initializer: [
        floatTensor('embedding', [embedding.length, labels], embedding.flat()),
        int64Tensor('axis1', [1], [1]),
      ],
      node: [
        node('Gather', ['embedding', idsName], ['token_logits'], [{ name: 'axis', i: 0 }]),
        node('Cast', [maskName], ['mask_float'], [{ name: 'to', i: TensorType.FLOAT }]),
        node('Unsqueeze', ['mask_float', 'axis1'], ['mask_row']),
        node('MatMul', ['mask_row', 'token_logits'], ['summed']),
        node('Squeeze', ['summed', 'axis1'], ['logits']),
      ],
      input: inputs,
      output: [valueInfo('logits', TensorType.FLOAT, ['batch', labels])],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
