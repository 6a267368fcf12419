/**
 * The embedded model without an ONNX runtime. Its model.onnx (scripts/lib/model/onnx.ts) is a lookup:
 * Gather rows of an int8 table and Gather their scales, Cast, Mul -> last_hidden_state. This reads the
 * two initialisers out of that one file (a few protobuf fields, nothing else of ONNX) and pools a
 * paper's tokens as transformers.js's feature-extraction pipeline does with pooling 'mean' and
 * normalize: the mean of every token row the attention mask covers ([CLS] and [SEP] included),
 * then unit length, with the same float32 roundings, so the vectors are the same to the bit.
 */
import type { PackedTokens } from './wordpiece';

export interface StaticTable {
  /** vocabSize × dims, row-major: token t's vector is codes[t·dims …] × scales[t]. */
  codes: Int8Array;
  scales: Float32Array;
  vocabSize: number;
  dims: number;
}

/** ONNX TensorProto data types used here. */
const FLOAT = 1;
const INT8 = 3;

/** A protobuf message's fields: [field number, wire type, value or the bytes of a length-delimited field]. */
function* fields(bytes: Uint8Array): Generator<[number, number, number | Uint8Array]> {
  let pos = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = bytes[pos++];
      if (byte === undefined) throw new Error('model.onnx ends inside a field');
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const [field, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) yield [field, wire, varint()];
    else if (wire === 2) {
      const length = varint();
      if (pos + length > bytes.length) throw new Error('model.onnx ends inside a field');
      yield [field, wire, bytes.subarray(pos, (pos += length))];
    } else if (wire === 1 || wire === 5) pos += wire === 1 ? 8 : 4;
    else throw new Error(`model.onnx has a protobuf wire type ${wire} where none is expected`);
  }
}

const text = (bytes: number | Uint8Array) => (typeof bytes === 'number' ? '' : new TextDecoder().decode(bytes));

interface Tensor {
  name: string;
  dataType: number;
  dims: number[];
  raw: Uint8Array | null;
}

/** TensorProto: dims = 1 (packed or not), data_type = 2, name = 8, raw_data = 9. */
function readTensor(bytes: Uint8Array): Tensor {
  const tensor: Tensor = { name: '', dataType: 0, dims: [], raw: null };
  for (const [field, wire, value] of fields(bytes)) {
    if (field === 1 && wire === 0) tensor.dims.push(value as number);
    else if (field === 1 && wire === 2) tensor.dims.push(...packedVarints(value as Uint8Array));
    else if (field === 2) tensor.dataType = value as number;
    else if (field === 8) tensor.name = text(value);
    else if (field === 9) tensor.raw = value as Uint8Array;
  }
  return tensor;
}

/** A packed repeated varint field. */
function* packedVarints(bytes: Uint8Array): Generator<number> {
  let value = 0;
  let shift = 1;
  for (const byte of bytes) {
    value += (byte & 0x7f) * shift;
    if (byte < 0x80) {
      yield value;
      [value, shift] = [0, 1];
    } else shift *= 128;
  }
}

/** NodeProto: input = 1, output = 2, op_type = 4. */
function readNode(bytes: Uint8Array): { op: string; inputs: string[]; outputs: string[] } {
  const node = { op: '', inputs: [] as string[], outputs: [] as string[] };
  for (const [field, , value] of fields(bytes)) {
    if (field === 1) node.inputs.push(text(value));
    else if (field === 2) node.outputs.push(text(value));
    else if (field === 4) node.op = text(value);
  }
  return node;
}

/**
 * The int8 table and scales of a static model's ONNX file, or null when the graph is anything but
 * that lookup (then the model is run by transformers.js like any other).
 */
export function readStaticTable(onnx: Uint8Array): StaticTable | null {
  // A ModelProto starts with its ir_version (field 1, a varint).
  if (onnx[0] !== 0x08) return null;
  try {
    return tableOfGraph(onnx);
  } catch {
    return null;
  }
}

function tableOfGraph(onnx: Uint8Array): StaticTable | null {
  let graph: Uint8Array | null = null;
  for (const [field, wire, value] of fields(onnx)) if (field === 7 && wire === 2) graph = value as Uint8Array;
  if (!graph) return null;
  const nodes: ReturnType<typeof readNode>[] = [];
  const tensors = new Map<string, Tensor>();
  for (const [field, wire, value] of fields(graph)) {
    if (wire !== 2) continue;
    if (field === 1) nodes.push(readNode(value as Uint8Array));
    else if (field === 5) {
      const tensor = readTensor(value as Uint8Array);
      tensors.set(tensor.name, tensor);
    }
  }
  const gathers = nodes.filter((n) => n.op === 'Gather' && n.inputs[1] === 'input_ids').map((n) => tensors.get(n.inputs[0]!));
  const codes = gathers.find((t) => t?.dataType === INT8 && t.dims.length === 2);
  const scales = gathers.find((t) => t?.dataType === FLOAT && t.dims.length === 2 && t.dims[1] === 1);
  const ops = nodes.map((n) => n.op).sort().join(',');
  const output = nodes.find((n) => n.op === 'Mul')?.outputs[0];
  if (ops !== 'Cast,Gather,Gather,Mul' || output !== 'last_hidden_state' || !codes?.raw || !scales?.raw) return null;
  const [vocabSize, dims] = codes.dims as [number, number];
  if (scales.dims[0] !== vocabSize || codes.raw.length !== vocabSize * dims || scales.raw.length !== vocabSize * 4) return null;
  const view = new DataView(scales.raw.buffer, scales.raw.byteOffset, scales.raw.byteLength);
  return {
    codes: new Int8Array(codes.raw.buffer, codes.raw.byteOffset, codes.raw.byteLength),
    scales: Float32Array.from({ length: vocabSize }, (_, t) => view.getFloat32(t * 4, true)),
    vocabSize,
    dims,
  };
}

/**
 * Pools packed texts into unit-length rows (row `firstRow + t` of out for packed text t), bit for bit
 * as transformers.js does after onnxruntime's lookup: each token row value is the float32 product
 * code × scale; the mean over all of a text's tokens ([CLS], [SEP] and zero rows included) is summed
 * in double and rounded to float32; its length is accumulated in float32 and taken with ** 0.5; each
 * component is divided by it in float32. A token met k times is added once, times k (exact in
 * double), and tokens with a zero scale (stop words, punctuation, specials) are skipped: the sums are
 * the same and a third cheaper. Returns the texts with a zero mean (no word the model knows): their
 * rows are zero, where transformers.js's are NaN, as embedAll has always reported them.
 */
export class StaticPooler {
  private readonly counts: Float64Array;
  private readonly sum: Float64Array;
  private readonly mean: Float32Array;
  private seen = new Int32Array(1024);

  constructor(private readonly table: StaticTable) {
    this.counts = new Float64Array(table.vocabSize);
    this.sum = new Float64Array(table.dims);
    this.mean = new Float32Array(table.dims);
  }

  pool(packed: PackedTokens, out: Float32Array, firstRow: number): number[] {
    const { dims } = this.table;
    const { sum, mean } = this;
    const empty: number[] = [];
    for (let t = 0; t + 1 < packed.offsets.length; t++) {
      const [from, to] = [packed.offsets[t]!, packed.offsets[t + 1]!];
      this.sumRows(packed.ids, from, to);
      // As transformers.js's mean_pooling and Tensor.norm: a float32 mean, its squares summed in float32.
      let squares = 0;
      for (let j = 0; j < dims; j++) {
        mean[j] = sum[j]! / (to - from);
        squares = Math.fround(squares + mean[j]! ** 2);
      }
      const norm = Math.fround(squares ** 0.5);
      const row = (firstRow + t) * dims;
      if (!(norm > 0)) {
        out.fill(0, row, row + dims);
        empty.push(t);
        continue;
      }
      for (let j = 0; j < dims; j++) out[row + j] = mean[j]! / norm;
    }
    return empty;
  }

  /** Sums the float32 rows of ids[from … to − 1] into this.sum (in double). */
  private sumRows(ids: Int32Array, from: number, to: number): void {
    const { codes, scales, dims } = this.table;
    const { counts, sum } = this;
    if (this.seen.length < to - from) this.seen = new Int32Array(to - from);
    let distinct = 0;
    for (let k = from; k < to; k++) {
      const id = ids[k]!;
      if (scales[id] === 0) continue;
      if (counts[id] === 0) this.seen[distinct++] = id;
      counts[id]! += 1;
    }
    sum.fill(0);
    for (let i = 0; i < distinct; i++) {
      const id = this.seen[i]!;
      const [count, scale] = [counts[id]!, scales[id]!];
      counts[id] = 0;
      for (let j = 0, base = id * dims; j < dims; j++) sum[j]! += count * Math.fround(codes[base + j]! * scale);
    }
  }
}
