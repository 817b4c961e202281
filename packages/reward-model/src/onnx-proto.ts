// onnx-proto is CommonJS (a protobufjs static module); its namespace is the default export.
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type OnnxModel = InstanceType<typeof onnxProto.onnx.ModelProto>;
export type OnnxTensor = InstanceType<typeof onnxProto.onnx.TensorProto>;
export type OnnxGraph = InstanceType<typeof onnxProto.onnx.GraphProto>;

/** The opset the exported graphs declare (ONNX 1.16, supported by onnxruntime >= 1.18). */
export const ONNX_OPSET = 21;
/** IR version matching ONNX_OPSET. */
export const ONNX_IR_VERSION = 10;

export const TensorType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

function littleEndianBytes(
  values: ArrayLike<number>,
  kind: 'float32' | 'int32' | 'int64',
): Uint8Array {
  const width = kind === 'int64' ? 8 : 4;
  const view = new DataView(new ArrayBuffer(values.length * width));
  for (let i = 0; i < values.length; i++) {
    if (kind === 'float32') view.setFloat32(i * 4, values[i]!, true);
    else if (kind === 'int32') view.setInt32(i * 4, values[i]!, true);
    else view.setBigInt64(i * 8, BigInt(values[i]!), true);
  }
  return new Uint8Array(view.buffer);
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: TensorType.FLOAT,
    rawData: littleEndianBytes(values, 'float32'),
  });
}

export function int64Tensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: TensorType.INT64,
    rawData: littleEndianBytes(values, 'int64'),
  });
}

/** A tensor's float values, from raw_data or float_data. */
export function readFloatTensor(tensor: {
  rawData?: Uint8Array | null;
  floatData?: number[] | null;
}): Float32Array {
  if (tensor.rawData !== undefined && tensor.rawData !== null && tensor.rawData.length > 0) {
    const raw = tensor.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(raw.byteLength / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  return Float32Array.from(tensor.floatData ?? []);
}

/** A value's type: element type and shape, a string dim being symbolic (`batch`). */
export function valueInfo(name: string, elemType: number, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })),
        },
      },
    },
  });
}

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: { name: string; i?: number; ints?: number[] }[] = [],
) {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name: `${opType}_${outputs[0]}`,
    attribute: attributes.map((a) =>
      a.ints !== undefined
        ? { name: a.name, ints: a.ints, type: onnx.AttributeProto.AttributeType.INTS }
        : { name: a.name, i: a.i ?? 0, type: onnx.AttributeProto.AttributeType.INT },
    ),
  });
}
