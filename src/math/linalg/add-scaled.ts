/**
 * out[at .. at + length) += v · x[from .. from + length): the inner loop of the corpus fit's sparse
 * products and of every paper's projection. Eight independent updates per turn: V8 does not unroll
 * loops, and one update per turn waits on the one before (7.7 ns a step on scattered rows, 2.9 ns
 * unrolled, in Node). Each element gets the same single multiply-add either way, so the same result.
 */
export function addScaled(out: Float64Array | Float32Array, at: number, v: number, x: Float64Array | Float32Array, from: number, length: number): void {
  let j = 0;
  for (; j + 7 < length; j += 8) {
    const o = at + j;
    const i = from + j;
    out[o]! += v * x[i]!;
    out[o + 1]! += v * x[i + 1]!;
    out[o + 2]! += v * x[i + 2]!;
    out[o + 3]! += v * x[i + 3]!;
    out[o + 4]! += v * x[i + 4]!;
    out[o + 5]! += v * x[i + 5]!;
    out[o + 6]! += v * x[i + 6]!;
    out[o + 7]! += v * x[i + 7]!;
  }
  for (; j < length; j++) out[at + j]! += v * x[from + j]!;
}
