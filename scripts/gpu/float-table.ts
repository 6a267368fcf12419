/**
 * The embedded model's lookup as a float32 table (not shipped: four times the bytes), for the GPU
 * check's comparison with the int8 graph the model ships (scripts/gpu/bench-gpu.ts). Kept apart from
 * scripts/lib/model/onnx.ts, whose text is part of the model's recipe digest.
 */
import onnxProto from 'onnx-proto';
import { dequantiseTable, type QuantisedTable } from '../lib/model/onnx';

const { onnx } = onnxProto;
/** The same lookup on a float32 table (the int8 codes times their scales): one Gather, no Cast or Mul. */
export function floatEmbeddingOnnx(table: QuantisedTable, producer: string): Uint8Array {
  const { DataType } = onnx.TensorProto;
  const { INT } = onnx.AttributeProto.AttributeType;
  const values = dequantiseTable(table);
  const tokens = (name: string, elemType: number, extra: onnxProto.onnx.TensorShapeProto.IDimension[] = []) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, ...extra] } } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: producer,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'static_token_embedding_f32',
      node: [{ opType: 'Gather', input: ['table', 'input_ids'], output: ['last_hidden_state'], name: 'lookup', attribute: [{ name: 'axis', i: 0, type: INT }] }],
      initializer: [{ name: 'table', dataType: DataType.FLOAT, dims: [table.vocabSize, table.dims], rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) }],
      input: [tokens('input_ids', DataType.INT64), tokens('attention_mask', DataType.INT64)],
      output: [tokens('last_hidden_state', DataType.FLOAT, [{ dimValue: table.dims }])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
