/**
 * Dot products between rows of a matrix: the neighbour searches' hot loop. JavaScript multiplies one
 * float at a time; a 16-instruction WebAssembly function with 128-bit SIMD does four, which makes the
 * searches several times faster (see npm run bench). The module is assembled here from its bytes, so
 * there is no file to fetch and nothing to build; where WebAssembly SIMD is missing, or the matrix
 * would not fit in its memory, plain JavaScript does the same sums.
 */

/** Dot product of rows starting at offsets a and b of v, unrolled four ways (the searches' hot loop). */
export function dotRows(v: Float32Array, a: number, b: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 3 < d; c += 4) {
    s0 += v[a + c]! * v[b + c]!;
    s1 += v[a + c + 1]! * v[b + c + 1]!;
    s2 += v[a + c + 2]! * v[b + c + 2]!;
    s3 += v[a + c + 3]! * v[b + c + 3]!;
  }
  for (; c < d; c++) s0 += v[a + c]! * v[b + c]!;
  return s0 + s1 + s2 + s3;
}

/** (i, j) → the dot product of rows i and j. */
export type RowDot = (i: number, j: number) => number;

// The module, annotated: one function dot(a, b, bytes) summing a[0..bytes) · b[0..bytes) as f32x4
// lanes, two vectors (32 bytes) per step, over memory imported from JavaScript.
const SIMD_DOT_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7d, // types: (i32, i32, i32) → f32
  0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x01, // import env.memory, ≥ 1 page
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x07, 0x07, 0x01, 0x03, 0x64, 0x6f, 0x74, 0x00, 0x00, // export "dot"
  0x0a, 0x78, 0x01, 0x76, // code: one body of 118 bytes
  0x02, 0x02, 0x7b, 0x01, 0x7f, // locals: 2 × v128 (acc0, acc1), 1 × i32 (end)
  0x20, 0x00, 0x20, 0x02, 0x6a, 0x21, 0x05, // end = a + bytes
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0x00, 0x20, 0x05, 0x4f, 0x0d, 0x01, // if a >= end: break
  0x20, 0x03, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x00, 0x20, 0x01, 0xfd, 0x00, 0x04, 0x00, 0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, 0x21, 0x03, // acc0 += a[0:4] * b[0:4]
  0x20, 0x04, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x10, 0x20, 0x01, 0xfd, 0x00, 0x04, 0x10, 0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, 0x21, 0x04, // acc1 += a[4:8] * b[4:8]
  0x20, 0x00, 0x41, 0x20, 0x6a, 0x21, 0x00, // a += 32
  0x20, 0x01, 0x41, 0x20, 0x6a, 0x21, 0x01, // b += 32
  0x0c, 0x00, 0x0b, 0x0b, // continue; end loop, end block
  0x20, 0x03, 0x20, 0x04, 0xfd, 0xe4, 0x01, 0x21, 0x03, // acc0 += acc1
  0x20, 0x03, 0xfd, 0x1f, 0x00, 0x20, 0x03, 0xfd, 0x1f, 0x01, 0x92, // lane 0 + lane 1
  0x20, 0x03, 0xfd, 0x1f, 0x02, 0x92, 0x20, 0x03, 0xfd, 0x1f, 0x03, 0x92, // + lane 2 + lane 3
  0x0b, // end
]);

/** Bytes of WebAssembly memory the SIMD path may take (a copy of the vectors); above it, JavaScript. */
const MAX_WASM_BYTES = 2 ** 30;

let compiled: WebAssembly.Module | null | undefined;

function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_DOT_MODULE) ? new WebAssembly.Module(SIMD_DOT_MODULE) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether this engine runs the SIMD path (for tests and the benchmark's notes). */
export function simdAvailable(): boolean {
  return simdModule() !== null;
}

/** Rows of d floats left free after a matrix in its searchable memory (see searchableRows): NN-descent's sketch directions. */
const SPARE_ROWS = 32;

/** The WebAssembly memory of each buffer searchableRows made. */
const memories = new WeakMap<ArrayBufferLike, WebAssembly.Memory>();

/**
 * `length` floats (a matrix of rows `width` wide, or the first rows of one) where rowDots will read
 * them without a copy: in WebAssembly memory, with SPARE_ROWS rows after them, where the SIMD path runs
 * and the memory is not too big; else in a plain array. The copy it saves is the size of the vectors
 * (154 MB at 100,000 papers), held beside them through the neighbour search. Such a buffer cannot be
 * transferred to another thread: copy the rows out first (inSearchableMemory says which need it).
 */
export function searchableRows(length: number, width: number): Float32Array {
  const bytes = (length + SPARE_ROWS * width) * 4;
  if (width % 8 !== 0 || !simdModule() || bytes > MAX_WASM_BYTES || length === 0) return new Float32Array(length);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  memories.set(memory.buffer, memory);
  return new Float32Array(memory.buffer, 0, length);
}

/** Whether an array lives in memory made by searchableRows (which postMessage cannot transfer). */
export function inSearchableMemory(array: Float32Array): boolean {
  return memories.has(array.buffer);
}

/**
 * Dot products of rows of `vectors` (n × d). With SIMD the rows are copied, each padded with zeros
 * to a multiple of 8 floats (zeros change no sum), into WebAssembly memory the function reads; rows
 * already in such memory (searchableRows, d a multiple of 8) are read where they are.
 */
export function rowDots(vectors: Float32Array, n: number, d: number, options: { simd?: boolean; extra?: Float32Array } = {}): RowDot {
  const module = options.simd === false ? null : simdModule();
  // `extra` rows (m × d) follow the n rows, numbered n, n + 1, …: e.g. projection directions.
  const extra = options.extra ?? new Float32Array(0);
  const all = n + extra.length / d;
  const stride = Math.ceil(d / 8) * 8;
  const bytes = all * stride * 4;
  const home = module && memories.get(vectors.buffer);
  if (module && home && stride === d && vectors.byteOffset === 0 && bytes <= vectors.buffer.byteLength) {
    // The extra rows go in the free rows after the matrix.
    new Float32Array(vectors.buffer, n * d * 4, extra.length).set(extra);
    return dotsIn(module, home, d);
  }
  if (!module || bytes > MAX_WASM_BYTES || bytes === 0) {
    const joined = extra.length === 0 ? vectors : new Float32Array(all * d);
    if (joined !== vectors) {
      joined.set(vectors.subarray(0, n * d));
      joined.set(extra, n * d);
    }
    return (i, j) => dotRows(joined, i * d, j * d, d);
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const rows = new Float32Array(memory.buffer, 0, all * stride);
  for (let i = 0; i < n; i++) rows.set(vectors.subarray(i * d, (i + 1) * d), i * stride);
  for (let i = n; i < all; i++) rows.set(extra.subarray((i - n) * d, (i - n + 1) * d), i * stride);
  return dotsIn(module, memory, stride);
}

/** The SIMD dot product over rows `stride` floats apart in `memory`. */
function dotsIn(module: WebAssembly.Module, memory: WebAssembly.Memory, stride: number): RowDot {
  const { dot } = new WebAssembly.Instance(module, { env: { memory } }).exports as { dot: (a: number, b: number, bytes: number) => number };
  const rowBytes = stride * 4;
  return (i, j) => dot(i * rowBytes, j * rowBytes, rowBytes);
}
