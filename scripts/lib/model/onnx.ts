/**
 * Encodes the embedded model as ONNX: each token id looks up a row of an int8 table and that row's
 * scale, and the product is the token's vector. Inputs and output follow BERT's interface
 * (input_ids, attention_mask -> last_hidden_state), so transformers.js's feature-extraction pipeline
 * pools it like any BERT model. int8 rows with a float scale keep the file a quarter of float32's
 * size, with a rounding error far below what separates two papers (README: model size and quality).
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export interface QuantisedTable {
  /** vocab × dims, row-major. */
  codes: Int8Array;
  /** One per row: a row's vector is codes × scale. */
  scales: Float32Array;
  vocabSize: number;
  dims: number;
}

/** Rows scaled so their largest component is ±127. */
export function quantiseTable(table: Float32Array, vocabSize: number, dims: number): QuantisedTable {
  const codes = new Int8Array(vocabSize * dims);
  const scales = new Float32Array(vocabSize);
  for (let t = 0; t < vocabSize; t++) {
    let max = 0;
    for (let j = 0; j < dims; j++) max = Math.max(max, Math.abs(table[t * dims + j]!));
    const scale = max / 127;
    scales[t] = scale;
    if (scale > 0) for (let j = 0; j < dims; j++) codes[t * dims + j] = Math.round(table[t * dims + j]! / scale);
  }
  return { codes, scales, vocabSize, dims };
}

export function dequantiseTable({ codes, scales, vocabSize, dims }: QuantisedTable): Float32Array {
  const out = new Float32Array(vocabSize * dims);
  for (let t = 0; t < vocabSize; t++) for (let j = 0; j < dims; j++) out[t * dims + j] = codes[t * dims + j]! * scales[t]!;
  return out;
}

export function staticEmbeddingOnnx({ codes, scales, vocabSize, dims }: QuantisedTable, producer: string): Uint8Array {
  const { DataType } = onnx.TensorProto;
  const { INT } = onnx.AttributeProto.AttributeType;
  const tokens = (name: string, elemType: number, extra: onnxProto.onnx.TensorShapeProto.IDimension[] = []) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, ...extra] } } },
    });
  const gather = (table: string, output: string) => ({ opType: 'Gather', input: [table, 'input_ids'], output: [output], name: `lookup_${table}`, attribute: [{ name: 'axis', i: 0, type: INT }] });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: producer,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'static_token_embedding',
      node: [
        gather('codes', 'token_codes'),
        { opType: 'Cast', input: ['token_codes'], output: ['token_values'], name: 'to_float', attribute: [{ name: 'to', i: DataType.FLOAT, type: INT }] },
        gather('scales', 'token_scales'),
        { opType: 'Mul', input: ['token_values', 'token_scales'], output: ['last_hidden_state'], name: 'scale' },
      ],
      initializer: [
        { name: 'codes', dataType: DataType.INT8, dims: [vocabSize, dims], rawData: new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength) },
        { name: 'scales', dataType: DataType.FLOAT, dims: [vocabSize, 1], rawData: new Uint8Array(scales.buffer, scales.byteOffset, scales.byteLength) },
      ],
      // attention_mask is part of the interface (the pipeline feeds it) though the lookup needs no mask.
      input: [tokens('input_ids', DataType.INT64), tokens('attention_mask', DataType.INT64)],
      output: [tokens('last_hidden_state', DataType.FLOAT, [{ dimValue: dims }])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
