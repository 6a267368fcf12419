/**
 * Encodes the embedded model as ONNX: one Gather node that looks each token id up in a
 * vocab × dims float table. Inputs and output follow BERT's interface (input_ids, attention_mask ->
 * last_hidden_state), so transformers.js's feature-extraction pipeline pools it like any BERT model.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export function staticEmbeddingOnnx(table: Float32Array, vocabSize: number, dims: number, producer: string): Uint8Array {
  if (table.length !== vocabSize * dims) throw new Error(`table has ${table.length} values, expected ${vocabSize} × ${dims}`);
  const tokens = (name: string, elemType: number, extra: onnxProto.onnx.TensorShapeProto.IDimension[] = []) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType,
          shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, ...extra] },
        },
      },
    });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: producer,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'static_token_embedding',
      node: [{ opType: 'Gather', input: ['embeddings', 'input_ids'], output: ['last_hidden_state'], name: 'lookup', attribute: [{ name: 'axis', i: 0, type: onnx.AttributeProto.AttributeType.INT }] }],
      initializer: [
        {
          name: 'embeddings',
          dataType: onnx.TensorProto.DataType.FLOAT,
          dims: [vocabSize, dims],
          rawData: new Uint8Array(table.buffer, table.byteOffset, table.byteLength),
        },
      ],
      // attention_mask is part of the interface (the pipeline feeds it) though the lookup needs no mask.
      input: [tokens('input_ids', onnx.TensorProto.DataType.INT64), tokens('attention_mask', onnx.TensorProto.DataType.INT64)],
      output: [tokens('last_hidden_state', onnx.TensorProto.DataType.FLOAT, [{ dimValue: dims }])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
