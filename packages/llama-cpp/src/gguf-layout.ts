import { GgufFileError } from './errors.js';

/**
 * ggml tensor types as `[elements per block, bytes per block]`, by type id: the table of the
 * llama.cpp build node-llama-cpp 3.21.1 ships (read from its `getBlockSizeForGgmlType` /
 * `getTypeSizeForGgmlType`; `gguf-layout.test.ts` compares them). Ids 4, 5 and 31-33, 36-38
 * are retired or repacked types the runtime no longer loads.
 */
export const GGML_TYPE_SIZES: ReadonlyMap<number, readonly [number, number]> = new Map([
  [0, [1, 4]],
  [1, [1, 2]],
  [2, [32, 18]],
  [3, [32, 20]],
  [6, [32, 22]],
  [7, [32, 24]],
  [8, [32, 34]],
  [9, [32, 36]],
  [10, [256, 84]],
  [11, [256, 110]],
  [12, [256, 144]],
  [13, [256, 176]],
  [14, [256, 210]],
  [15, [256, 292]],
  [16, [256, 66]],
  [17, [256, 74]],
  [18, [256, 98]],
  [19, [256, 50]],
  [20, [32, 18]],
  [21, [256, 110]],
  [22, [256, 82]],
  [23, [256, 136]],
  [24, [1, 1]],
  [25, [1, 2]],
  [26, [1, 4]],
  [27, [1, 8]],
  [28, [1, 8]],
  [29, [256, 56]],
  [30, [1, 2]],
  [34, [256, 54]],
  [35, [256, 66]],
  [39, [32, 17]],
  [40, [64, 36]],
  [41, [128, 18]],
  [42, [64, 18]],
]);

/** What the layout check reads of a tensor (node-llama-cpp's `GgufTensorInfo`). */
export interface TensorLayout {
  name: string;
  dimensions: ReadonlyArray<number | bigint>;
  ggmlType: number;
  fileOffset: number | bigint;
  filePart: number;
}

/** Bytes a tensor takes in the file, or a reason it cannot be a tensor llama.cpp loads. */
export function tensorBytes(tensor: TensorLayout): number | string {
  const size = GGML_TYPE_SIZES.get(tensor.ggmlType);
  if (size === undefined) return `has the unknown ggml type ${tensor.ggmlType}`;
  const [block, bytes] = size;
  const dims = tensor.dimensions.map(Number);
  if (dims.length === 0 || dims.some((d) => !Number.isSafeInteger(d) || d < 0))
    return `has impossible dimensions [${dims.join(', ')}]`;
  const [first = 0, ...rest] = dims;
  if (first % block !== 0)
    return `has ${first} elements per row, not a multiple of its type's block of ${block}`;
  const total = rest.reduce((n, d) => n * d, (first / block) * bytes);
  return Number.isSafeInteger(total) ? total : `has impossible dimensions [${dims.join(', ')}]`;
}

/**
 * Checks, from the header alone, that every tensor a GGUF file declares lies inside the file:
 * a file cut short (an interrupted download or copy) is named here, before any worker loads
 * it, rather than failing deep in llama.cpp (or, with mmap, reading past the end mid-run).
 * Tensors of other parts of a split model are not in this file and are not checked.
 */
export function checkGgufLayout(
  file: string,
  fileSize: number,
  tensors: ReadonlyArray<TensorLayout>,
): void {
  if (tensors.length === 0)
    throw new GgufFileError({
      file,
      code: 'model_file_invalid',
      detail: 'the GGUF file declares no tensors: it holds no model weights',
    });
  let end = 0;
  let last: TensorLayout | undefined;
  for (const tensor of tensors) {
    if (tensor.filePart !== 1) continue;
    const bytes = tensorBytes(tensor);
    if (typeof bytes === 'string')
      throw new GgufFileError({
        file,
        code: 'model_file_invalid',
        detail: `tensor "${tensor.name}" ${bytes}: the file is corrupted or not a model llama.cpp can read`,
      });
    const tensorEnd = Number(tensor.fileOffset) + bytes;
    if (tensorEnd > end) {
      end = tensorEnd;
      last = tensor;
    }
  }
  if (end > fileSize)
    throw new GgufFileError({
      file,
      code: 'model_file_truncated',
      detail: `truncated: the file has ${fileSize} bytes but its tensors (up to "${last?.name}") need ${end}; the download or copy was cut short (fetch it again, e.g. \`./dev models\`)`,
    });
}
