/**
 * The pure half of the WebGPU kNN search (./webgpu-knn.ts): how the work is cut into slabs, chunks,
 * parts and steps for a device's limits, and how the per-part neighbour lists read back from the
 * GPU merge into one list per row. Nothing here touches a GPU, so unit tests check it in Node.
 */

/** Query rows per workgroup, one invocation each. */
export const QUERY_TILE = 64;
/** Candidates whose similarities an invocation holds at once. */
export const CANDIDATE_TILE = 32;
/** Dimensions staged in workgroup memory per barrier. */
export const DIM_TILE = 16;
/** The most neighbours per row: each invocation keeps its top-k lists in private arrays. */
export const MAX_GPU_K = 64;

/** Multiply-adds per dispatch (milliseconds even on a small GPU, far below any watchdog). */
const WORK_PER_DISPATCH = 2 ** 30;
/** Multiply-adds per submit: a few dispatches, so no command buffer runs long either. */
const WORK_PER_SUBMIT = 2 ** 32;
/** Multiply-adds per chunk of query rows (one readback, one progress report). */
const WORK_PER_CHUNK = 2 ** 34;
/** Invocations a dispatch should have to fill a large GPU. */
const TARGET_INVOCATIONS = 16_384;
/** A part's list marks an unused slot with this index. */
export const EMPTY = 0xffffffff;

/** Size overrides, for tests that need several slabs, chunks or steps without gigabytes of data. */
export interface KnnTuning {
  slabRows?: number;
  chunkRows?: number;
  partRows?: number;
  stepRows?: number;
  /** Multiply-adds per submit. */
  submitWork?: number;
}

export interface KnnLimits {
  /** The largest storage buffer the device binds (and creates), in bytes. */
  maxBindingBytes: number;
  /** The most workgroups a dispatch may have along y, one per part of a slab. */
  maxWorkgroupsPerDimension: number;
}

export interface KnnStep {
  slab: number;
  /** Candidate offsets within each part that this dispatch sweeps. */
  from: number;
  to: number;
  /** The first step of a slab starts its parts' lists afresh instead of resuming them. */
  fresh: boolean;
}

export interface KnnPlan {
  slabs: { start: number; rows: number; parts: number; partBase: number }[];
  chunkRows: number;
  partRows: number;
  stepRows: number;
  submitWork: number;
  parts: number;
  steps: KnnStep[];
  /** Bytes of one output list buffer: parts × chunkRows × (k − 1) entries of 4 bytes. */
  outputBytes: number;
}

export const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;
const roundDown = (x: number, m: number) => Math.floor(x / m) * m;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Sizes the slabs, chunks, parts and steps for n × d vectors and k neighbours. Pure. */
export function planKnn(n: number, d: number, k: number, limits: KnnLimits, tuning: KnnTuning = {}): KnnPlan {
  const kOthers = k - 1;
  const rowBytes = d * 4;
  const maxSlab = roundDown(Math.floor(limits.maxBindingBytes / rowBytes), QUERY_TILE);
  if (maxSlab < QUERY_TILE) throw new Error(`rows of ${d} dimensions are too wide for this device's storage buffers`);
  const slabRows = Math.min(maxSlab, Math.max(1, tuning.slabRows ?? maxSlab));
  const slabs: KnnPlan['slabs'] = [];
  for (let start = 0; start < n; start += slabRows) slabs.push({ start, rows: Math.min(slabRows, n - start), parts: 0, partBase: 0 });

  let chunkRows = tuning.chunkRows ?? clamp(roundDown(WORK_PER_CHUNK / (n * d), QUERY_TILE), 256, 16_384);
  chunkRows = Math.max(1, Math.min(chunkRows, roundUp(Math.min(n, slabRows), QUERY_TILE)));
  const largestSlab = Math.min(n, slabRows);
  const partRows = Math.max(
    Math.ceil(largestSlab / limits.maxWorkgroupsPerDimension),
    Math.min(largestSlab, tuning.partRows ?? Math.max(128, roundUp(Math.ceil(n / Math.ceil(TARGET_INVOCATIONS / chunkRows)), CANDIDATE_TILE))),
  );
  let parts = 0;
  for (const slab of slabs) {
    slab.parts = Math.ceil(slab.rows / partRows);
    slab.partBase = parts;
    parts += slab.parts;
  }
  // The output lists must fit one binding too: fewer rows per chunk if not.
  while (parts * chunkRows * kOthers * 4 > limits.maxBindingBytes && chunkRows > 1) chunkRows = Math.max(1, Math.floor(chunkRows / 2));
  if (parts * chunkRows * kOthers * 4 > limits.maxBindingBytes) throw new Error('the neighbour lists do not fit this device\'s storage buffers');

  const mostParts = Math.max(...slabs.map((slab) => slab.parts));
  const stepRows = Math.max(1, Math.min(partRows, tuning.stepRows ?? Math.max(CANDIDATE_TILE, roundDown(WORK_PER_DISPATCH / (chunkRows * mostParts * d), CANDIDATE_TILE))));
  const steps: KnnStep[] = [];
  slabs.forEach((slab, index) => {
    const sweep = Math.min(partRows, slab.rows);
    for (let from = 0; from < sweep; from += stepRows) steps.push({ slab: index, from, to: from + stepRows, fresh: from === 0 });
  });
  const submitWork = tuning.submitWork ?? WORK_PER_SUBMIT;
  return { slabs, chunkRows, partRows, stepRows, submitWork, parts, steps, outputBytes: parts * chunkRows * kOthers * 4 };
}

/** One chunk's lists as read back: parts × rows × kOthers entries, each list ascending, EMPTY-padded. */
export interface PartLists {
  parts: number;
  rows: number;
  kOthers: number;
  distances: Float32Array;
  indices: Uint32Array;
}

/**
 * Merges row `row`'s per-part lists into its kOthers nearest overall, ordered by (distance, index):
 * the order one pass over all candidates in index order would give. Writes from outBase on and
 * returns how many it found (fewer than kOthers only if the parts held fewer candidates). Pure.
 */
export function mergePartLists(lists: PartLists, row: number, outIndices: Int32Array, outDistances: Float32Array, outBase: number): number {
  const { parts, rows, kOthers, distances, indices } = lists;
  const heads = new Array<number>(parts).fill(0);
  let written = 0;
  for (; written < kOthers; written++) {
    let best = -1;
    let bestEntry = 0;
    for (let p = 0; p < parts; p++) {
      if (heads[p]! >= kOthers) continue;
      const entry = (p * rows + row) * kOthers + heads[p]!;
      if (indices[entry] === EMPTY) continue;
      if (best < 0 || distances[entry]! < distances[bestEntry]! || (distances[entry] === distances[bestEntry] && indices[entry]! < indices[bestEntry]!)) {
        best = p;
        bestEntry = entry;
      }
    }
    if (best < 0) break;
    heads[best]!++;
    outIndices[outBase + written] = indices[bestEntry]!;
    outDistances[outBase + written] = Math.max(0, distances[bestEntry]!);
  }
  return written;
}
