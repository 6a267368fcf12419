/**
 * A BERT encoder with random weights, written as ONNX the way a transformers.js BERT export looks
 * (opset 14: decomposed LayerNorm, erf GELU, attention as MatMul/Softmax with an additive mask), in
 * a transformers.js model folder that reuses a WordPiece tokenizer. It stands in for a pretrained
 * sentence-transformers model where none can be downloaded: what is measured with it (speed, padding,
 * agreement between devices and batchings) does not depend on what the weights mean. Seeded, so every
 * run writes the same bytes. Used by the GPU check (`npm run bench:gpu`, MiniLM's shape), the bench
 * (`--only=transformer`) and the batching unit test (a tiny shape).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { gaussian, mulberry32 } from '../../../src/math/random';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

export interface BertShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  positions: number;
}

/** sentence-transformers/all-MiniLM-L6-v2's shape (22.7M parameters with its 30,522-token vocabulary). */
export const MINILM_L6: BertShape = { layers: 6, hidden: 384, heads: 12, intermediate: 1536, positions: 512 };

/** Writes the model folder `dir` (config.json, tokenizer files, onnx/model.onnx); returns its facts. */
export function writeRandomBert(dir: string, tokenizerDir: string, shape: BertShape, seed = 1234): { vocab: number; params: number; onnxBytes: number; nodes: number } {
  const { layers, hidden: h, heads, intermediate: f, positions } = shape;
  const headDim = h / heads;
  const eps = 1e-12;
  const typeVocab = 2;
  const tokenizer = JSON.parse(readFileSync(join(tokenizerDir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
  const vocab = Object.keys(tokenizer.model.vocab).length;

  const normal = gaussian(mulberry32(seed));
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  let params = 0;
  const weight = (name: string, dims: number[], fill: 'normal' | 'zeros' | 'ones') => {
    const size = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (fill === 'normal') for (let i = 0; i < size; i++) data[i] = normal() * 0.02;
    else if (fill === 'ones') data.fill(1);
    initializers.push({ name, dataType: FLOAT, dims, rawData: new Uint8Array(data.buffer) });
    params += size;
    return name;
  };
  const constant = (name: string, values: number[], type: 'float' | 'int64', dims: number[] = [values.length]) => {
    const rawData = type === 'float' ? new Uint8Array(Float32Array.from(values).buffer) : new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
    initializers.push({ name, dataType: type === 'float' ? FLOAT : INT64, dims, rawData });
    return name;
  };

  const nodes: onnxProto.onnx.INodeProto[] = [];
  let counter = 0;
  const ints = (name: string, values: number[]) => ({ name, ints: values, type: onnx.AttributeProto.AttributeType.INTS });
  const int = (name: string, value: number) => ({ name, i: value, type: onnx.AttributeProto.AttributeType.INT });
  const node = (opType: string, inputs: string[], attribute: onnxProto.onnx.IAttributeProto[] = []) => {
    const out = `${opType.toLowerCase()}_${counter++}`;
    nodes.push({ opType, input: inputs, output: [out], name: `${opType}_${counter++}`, attribute });
    return out;
  };

  const cEps = constant('eps', [eps], 'float', []);
  const cTwo = constant('two', [2], 'float', []);
  const cOne = constant('one', [1], 'float', []);
  const cHalf = constant('half', [0.5], 'float', []);
  const cSqrt2 = constant('sqrt2', [Math.SQRT2], 'float', []);
  const cScale = constant('attn_scale', [Math.sqrt(headDim)], 'float', []);
  const cMin = constant('mask_min', [-3.4028234663852886e38], 'float', []);
  const cSplitShape = constant('split_heads_shape', [0, 0, heads, headDim], 'int64');
  const cMergeShape = constant('merge_heads_shape', [0, 0, h], 'int64');
  const cStart0 = constant('slice_start0', [0], 'int64');
  const cStart1 = constant('slice_start1', [1], 'int64');
  const cEnd2 = constant('slice_end2', [2], 'int64');

  const layerNorm = (x: string, prefix: string) => {
    const gamma = weight(`${prefix}.weight`, [h], 'ones');
    const beta = weight(`${prefix}.bias`, [h], 'zeros');
    const mean = node('ReduceMean', [x], [ints('axes', [-1]), int('keepdims', 1)]);
    const centred = node('Sub', [x, mean]);
    const variance = node('ReduceMean', [node('Pow', [centred, cTwo])], [ints('axes', [-1]), int('keepdims', 1)]);
    const normed = node('Div', [centred, node('Sqrt', [node('Add', [variance, cEps])])]);
    return node('Add', [node('Mul', [normed, gamma]), beta]);
  };
  const linear = (x: string, prefix: string, inputs: number, outputs: number) =>
    node('Add', [node('MatMul', [x, weight(`${prefix}.weight`, [inputs, outputs], 'normal')]), weight(`${prefix}.bias`, [outputs], 'zeros')]);

  // Embeddings: word + position (sliced to the sequence length) + token type, then LayerNorm.
  const word = node('Gather', [weight('embeddings.word_embeddings.weight', [vocab, h], 'normal'), 'input_ids'], [int('axis', 0)]);
  const seqLen = node('Slice', [node('Shape', ['input_ids']), cStart1, cEnd2, cStart0]);
  const position = node('Slice', [weight('embeddings.position_embeddings.weight', [positions, h], 'normal'), cStart0, seqLen, cStart0]);
  const type = node('Gather', [weight('embeddings.token_type_embeddings.weight', [typeVocab, h], 'normal'), 'token_type_ids'], [int('axis', 0)]);
  let x = layerNorm(node('Add', [node('Add', [word, position]), type]), 'embeddings.LayerNorm');

  // Additive attention mask, [batch, 1, 1, seq]: 0 where attended, the float minimum where padded.
  const maskFloat = node('Cast', [node('Unsqueeze', ['attention_mask', constant('mask_axes', [1, 2], 'int64')])], [int('to', FLOAT)]);
  const maskAdd = node('Mul', [node('Sub', [cOne, maskFloat]), cMin]);

  for (let l = 0; l < layers; l++) {
    const p = `encoder.layer.${l}`;
    const split = (t: string, perm: number[]) => node('Transpose', [node('Reshape', [t, cSplitShape])], [ints('perm', perm)]);
    const q = split(linear(x, `${p}.attention.self.query`, h, h), [0, 2, 1, 3]);
    const k = split(linear(x, `${p}.attention.self.key`, h, h), [0, 2, 3, 1]);
    const v = split(linear(x, `${p}.attention.self.value`, h, h), [0, 2, 1, 3]);
    const probs = node('Softmax', [node('Add', [node('Div', [node('MatMul', [q, k]), cScale]), maskAdd])], [int('axis', -1)]);
    const context = node('Reshape', [node('Transpose', [node('MatMul', [probs, v])], [ints('perm', [0, 2, 1, 3])]), cMergeShape]);
    const attended = layerNorm(node('Add', [linear(context, `${p}.attention.output.dense`, h, h), x]), `${p}.attention.output.LayerNorm`);
    const up = linear(attended, `${p}.intermediate.dense`, h, f);
    const gelu = node('Mul', [node('Mul', [up, cHalf]), node('Add', [node('Erf', [node('Div', [up, cSqrt2])]), cOne])]);
    x = layerNorm(node('Add', [linear(gelu, `${p}.output.dense`, f, h), attended]), `${p}.output.LayerNorm`);
  }
  nodes.push({ opType: 'Identity', input: [x], output: ['last_hidden_state'], name: 'output' });

  const io = (name: string, elemType: number, extra: onnxProto.onnx.TensorShapeProto.IDimension[] = []) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, ...extra] } } } });
  const bytes = onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'papermap random-bert',
      opsetImport: [{ domain: '', version: 14 }],
      graph: {
        name: 'bert_random',
        node: nodes,
        initializer: initializers,
        input: [io('input_ids', INT64), io('attention_mask', INT64), io('token_type_ids', INT64)],
        output: [io('last_hidden_state', FLOAT, [{ dimValue: h }])],
      },
    }),
  ).finish();
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), bytes);
  writeFileSync(join(dir, 'tokenizer.json'), readFileSync(join(tokenizerDir, 'tokenizer.json')));
  const tokenizerConfig = JSON.parse(readFileSync(join(tokenizerDir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...tokenizerConfig, model_max_length: positions }, null, 1));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify(
      {
        architectures: ['BertModel'], model_type: 'bert', vocab_size: vocab, hidden_size: h, num_hidden_layers: layers, num_attention_heads: heads,
        intermediate_size: f, hidden_act: 'gelu', max_position_embeddings: positions, type_vocab_size: typeVocab, layer_norm_eps: eps, pad_token_id: 0,
      },
      null,
      1,
    ),
  );
  return { vocab, params, onnxBytes: bytes.length, nodes: nodes.length };
}
