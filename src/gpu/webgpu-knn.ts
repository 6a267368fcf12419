/**
 * Exact cosine k-nearest neighbours on the GPU through WebGPU compute, in exactCosineKnn's shape:
 * on L2-normalised rows, row i's slot 0 is i itself at distance 0, then its k − 1 nearest others.
 *
 * Work is cut three ways, each for its own reason:
 * - slabs: the vectors go up as one storage buffer per slab of rows, each within the device's
 *   binding and buffer size limits;
 * - chunks of query rows: one readback each, so progress is reported and cancel is honoured
 *   between them; a chunk goes to the GPU in several submits if it is big, so none runs long;
 * - parts of each slab's candidates: every part keeps its own top-k per query row, so a chunk of a
 *   few hundred rows still spreads over many workgroups; the host merges the parts' lists. A part
 *   is swept in steps (one dispatch each) that resume from the lists left in the output buffer,
 *   which keeps each dispatch short enough for the GPU watchdog.
 */
import type { KnnGraph } from '../math/knn';

/** Query rows per workgroup, one invocation each. */
const QUERY_TILE = 64;
/** Candidates whose similarities an invocation holds at once. */
const CANDIDATE_TILE = 32;
/** Dimensions staged in workgroup memory per barrier. */
const DIM_TILE = 16;
/** The most neighbours per row: each invocation keeps its top-k lists in private arrays. */
export const MAX_GPU_K = 64;

/** Multiply-adds per dispatch (milliseconds even on a small GPU, far below any watchdog). */
const WORK_PER_DISPATCH = 2 ** 30;
/** Multiply-adds per submit: a few dispatches, so no command buffer runs long either. */
const WORK_PER_SUBMIT = 2 ** 32;
/** Multiply-adds per chunk of query rows (one readback, one progress report). */
const WORK_PER_CHUNK = 2 ** 34;
/** Bytes per writeBuffer call when the vectors go up. */
const UPLOAD_BYTES = 64 * 2 ** 20;
/** Invocations a dispatch should have to fill a large GPU. */
const TARGET_INVOCATIONS = 16_384;
/** A part's list marks an unused slot with this index. */
export const EMPTY = 0xffffffff;

export interface WebgpuKnnOptions {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** Size overrides, for tests that need several slabs, chunks or steps without gigabytes of data. */
  tuning?: KnnTuning;
}

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

const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;
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

/**
 * One invocation per query row keeps that row's top-k of one part in private arrays. The workgroup
 * sweeps the part a tile of CANDIDATE_TILE candidates at a time; per tile, the 64 query rows and the
 * candidates come into workgroup memory DIM_TILE dimensions at a time (coalesced loads shared by the
 * whole workgroup), each invocation accumulates its row's similarity to every candidate of the tile,
 * then offers the tile to its list. Candidates arrive in index order and ties keep the earlier one.
 * Why tiles: each candidate value read from storage serves 64 query rows, and each query value 32
 * candidates, where one thread per (row, candidate) pair would read both vectors for every pair.
 */
function knnShader(d: number, kOthers: number): string {
  return /* wgsl */ `
const QUERY_TILE: u32 = ${QUERY_TILE}u;
const CANDIDATE_TILE: u32 = ${CANDIDATE_TILE}u;
const DIM_TILE: u32 = ${DIM_TILE}u;
const D: u32 = ${d}u;
const K: u32 = ${kOthers}u;
const FAR: f32 = 3.0e38;
const EMPTY: u32 = 0xffffffffu;

struct Chunk { qBase: u32, qCount: u32, qGlobal: u32, rows: u32 }
struct Sweep { cGlobal: u32, slabRows: u32, partRows: u32, partBase: u32, begin: u32, end: u32, fresh: u32 }

@group(0) @binding(0) var<storage, read> queries: array<f32>;
@group(0) @binding(1) var<storage, read_write> listDist: array<f32>;
@group(0) @binding(2) var<storage, read_write> listIndex: array<u32>;
@group(0) @binding(3) var<uniform> chunk: Chunk;
@group(1) @binding(0) var<storage, read> candidates: array<f32>;
@group(1) @binding(1) var<uniform> sweep: Sweep;

// A tile row holds DIM_TILE = 16 dimensions as four vec4s, so the inner product is four dot()s.
var<workgroup> queryTile: array<array<vec4f, 4>, QUERY_TILE>;
var<workgroup> candidateTile: array<array<vec4f, 4>, CANDIDATE_TILE>;

// Four consecutive values of a row from dimension col on, zero past the row's end (d need not be
// a multiple of the tile). Two copies, as WGSL functions cannot take either storage array.
fn queryQuad(row: u32, col: u32) -> vec4f {
  var v = vec4f();
  for (var i = 0u; i < 4u; i++) { if (col + i < D) { v[i] = queries[row * D + col + i]; } }
  return v;
}
fn candidateQuad(row: u32, col: u32) -> vec4f {
  var v = vec4f();
  for (var i = 0u; i < 4u; i++) { if (col + i < D) { v[i] = candidates[row * D + col + i]; } }
  return v;
}

@compute @workgroup_size(QUERY_TILE)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3u) {
  let firstRow = wg.x * QUERY_TILE;
  let row = firstRow + lid;
  let live = row < chunk.qCount;
  let ownIndex = chunk.qGlobal + row;
  let partStart = wg.y * sweep.partRows;
  let partEnd = min(sweep.slabRows, partStart + sweep.partRows);
  let lo = min(partEnd, partStart + sweep.begin);
  let hi = min(partEnd, partStart + sweep.end);
  let listBase = ((sweep.partBase + wg.y) * chunk.rows + row) * K;

  var bestDist: array<f32, K>;
  var bestIndex: array<u32, K>;
  for (var s = 0u; s < K; s++) {
    if (sweep.fresh == 1u || !live) {
      bestDist[s] = FAR;
      bestIndex[s] = EMPTY;
    } else {
      bestDist[s] = listDist[listBase + s];
      bestIndex[s] = listIndex[listBase + s];
    }
  }

  for (var c0 = lo; c0 < hi; c0 += CANDIDATE_TILE) {
    var acc = array<f32, CANDIDATE_TILE>();
    for (var d0 = 0u; d0 < D; d0 += DIM_TILE) {
      // Each invocation stages 4 of the query tile's 256 quads and 2 of the candidate tile's 128.
      for (var t = 0u; t < 4u; t++) {
        let e = t * QUERY_TILE + lid;
        var v = vec4f();
        if (firstRow + e / 4u < chunk.qCount) { v = queryQuad(chunk.qBase + firstRow + e / 4u, d0 + e % 4u * 4u); }
        queryTile[e / 4u][e % 4u] = v;
      }
      for (var t = 0u; t < CANDIDATE_TILE * 4u / QUERY_TILE; t++) {
        let e = t * QUERY_TILE + lid;
        var v = vec4f();
        if (c0 + e / 4u < hi) { v = candidateQuad(c0 + e / 4u, d0 + e % 4u * 4u); }
        candidateTile[e / 4u][e % 4u] = v;
      }
      workgroupBarrier();
      let q = queryTile[lid];
      for (var j = 0u; j < CANDIDATE_TILE; j++) {
        let c = candidateTile[j];
        acc[j] += dot(q[0], c[0]) + dot(q[1], c[1]) + dot(q[2], c[2]) + dot(q[3], c[3]);
      }
      workgroupBarrier();
    }
    let count = min(CANDIDATE_TILE, hi - c0);
    for (var j = 0u; j < count; j++) {
      let index = sweep.cGlobal + c0 + j;
      let dist = 1.0 - acc[j];
      if (dist < bestDist[K - 1u] && index != ownIndex) {
        var p = K - 1u;
        while (p > 0u && bestDist[p - 1u] > dist) {
          bestDist[p] = bestDist[p - 1u];
          bestIndex[p] = bestIndex[p - 1u];
          p--;
        }
        bestDist[p] = dist;
        bestIndex[p] = index;
      }
    }
  }

  if (live) {
    for (var s = 0u; s < K; s++) {
      listDist[listBase + s] = bestDist[s];
      listIndex[listBase + s] = bestIndex[s];
    }
  }
}
`;
}

function knnError(name: 'GpuKnnLost' | 'GpuKnnError', message: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = name;
  return error;
}

const CHUNK_BYTES = 16;
const STEP_BYTES = 32;

/**
 * Exact cosine kNN of n × d L2-normalised row vectors on `device`. Rejects with an Error named
 * 'GpuKnnLost' if the device is lost meanwhile (the caller can fall back to exactCosineKnn), and
 * 'GpuKnnError' if the device refuses the work (out of memory, invalid). Every buffer it creates is
 * destroyed before it settles. It uses the device's error scopes: don't share the device meanwhile.
 */
export async function webgpuCosineKnn(device: GPUDevice, vectors: Float32Array, n: number, d: number, k: number, options: WebgpuKnnOptions = {}): Promise<KnnGraph> {
  if (k > n) throw new Error(`k = ${k} neighbours asked of only ${n} points`);
  if (k > MAX_GPU_K) throw new RangeError(`the GPU search keeps at most ${MAX_GPU_K} neighbours a row, not ${k}`);
  if (!(d >= 1)) throw new RangeError(`vectors need at least one dimension, not ${d}`);
  if (vectors.length < n * d) throw new RangeError(`${vectors.length} values are fewer than ${n} rows of ${d}`);
  const kk = Math.max(0, k);
  const indices = new Int32Array(n * kk);
  const distances = new Float32Array(n * kk);
  for (let i = 0; i < n && kk > 0; i++) indices[i * kk] = i;
  if (kk <= 1) {
    options.onProgress?.(n, n);
    return { k: kk, indices, distances };
  }
  options.signal?.throwIfAborted();
  const kOthers = kk - 1;
  const limits = device.limits;
  const plan = planKnn(n, d, kk, {
    maxBindingBytes: Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize),
    maxWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
  }, options.tuning);

  // The device may be lost at any await: each one races this, and a rejected map means the same.
  let lostReason: string | null = null;
  const lost = device.lost.then((info) => {
    lostReason = info.message || info.reason;
    throw knnError('GpuKnnLost', `the WebGPU device was lost during the kNN search (${lostReason})`);
  });
  lost.catch(() => {});
  const guard = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, lost]);

  const buffers: GPUBuffer[] = [];
  const createBuffer = (label: string, size: number, usage: number) => {
    const buffer = device.createBuffer({ label, size: roundUp(Math.max(size, 4), 4), usage });
    buffers.push(buffer);
    return buffer;
  };
  let scopes = 0;
  const pushScopes = () => {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    scopes += 2;
  };
  const popScopes = async (what: string) => {
    const errors = [device.popErrorScope(), device.popErrorScope()];
    scopes -= 2;
    const refusals = (await guard(Promise.all(errors))).filter((error) => error !== null);
    if (refusals.length > 0) throw knnError('GpuKnnError', `the GPU refused the kNN ${what}: ${refusals.map((error) => error.message).join('; ')}`);
  };

  try {
    pushScopes();
    const module = device.createShaderModule({ label: 'knn', code: knnShader(d, kOthers) });
    const chunkLayout = device.createBindGroupLayout({
      label: 'knn chunk',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      ],
    });
    const stepLayout = device.createBindGroupLayout({
      label: 'knn step',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: STEP_BYTES } },
      ],
    });
    const pipeline = await guard(device.createComputePipelineAsync({
      label: 'knn',
      layout: device.createPipelineLayout({ bindGroupLayouts: [chunkLayout, stepLayout] }),
      compute: { module, entryPoint: 'main' },
    })).catch(async (error: unknown) => {
      if ((error as Error).name === 'GpuKnnLost') throw error;
      const info = await guard(module.getCompilationInfo());
      const messages = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
      throw knnError('GpuKnnError', `the kNN shader did not compile: ${messages.join('; ') || (error as Error).message}`, error);
    });

    // writeBuffer takes shared memory too (AllowSharedBufferSource); the bundled types say otherwise.
    const source = vectors as Float32Array<ArrayBuffer>;
    const piece = Math.max(1, Math.floor(UPLOAD_BYTES / (d * 4))) * d;
    const slabBuffers = plan.slabs.map((slab, s) => {
      const buffer = createBuffer(`knn slab ${s}`, slab.rows * d * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      for (let at = 0; at < slab.rows * d; at += piece) device.queue.writeBuffer(buffer, at * 4, source, slab.start * d + at, Math.min(piece, slab.rows * d - at));
      return buffer;
    });
    const listDist = createBuffer('knn distances', plan.outputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const listIndex = createBuffer('knn indices', plan.outputBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    // Two readback buffers, so the GPU works on one chunk while the host merges the last.
    const readbacks = [0, 1].map((r) => createBuffer(`knn readback ${r}`, 2 * plan.outputBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST));
    const chunkUniform = createBuffer('knn chunk', CHUNK_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const stride = roundUp(STEP_BYTES, limits.minUniformBufferOffsetAlignment);
    const stepUniform = createBuffer('knn steps', stride * plan.steps.length, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const stepData = new Uint32Array(stride / 4 * plan.steps.length);
    plan.steps.forEach((step, i) => {
      const slab = plan.slabs[step.slab]!;
      stepData.set([slab.start, slab.rows, plan.partRows, slab.partBase, step.from, step.to, step.fresh ? 1 : 0], i * stride / 4);
    });
    device.queue.writeBuffer(stepUniform, 0, stepData);

    const chunkGroups = slabBuffers.map((buffer) => device.createBindGroup({
      layout: chunkLayout,
      entries: [
        { binding: 0, resource: { buffer } },
        { binding: 1, resource: { buffer: listDist } },
        { binding: 2, resource: { buffer: listIndex } },
        { binding: 3, resource: { buffer: chunkUniform } },
      ],
    }));
    const stepGroups = slabBuffers.map((buffer) => device.createBindGroup({
      layout: stepLayout,
      entries: [
        { binding: 0, resource: { buffer } },
        { binding: 1, resource: { buffer: stepUniform, size: STEP_BYTES } },
      ],
    }));
    await popScopes('buffers');

    pushScopes();
    const chunks: { slab: number; qBase: number; qCount: number }[] = [];
    plan.slabs.forEach((slab, s) => {
      for (let qBase = 0; qBase < slab.rows; qBase += plan.chunkRows) chunks.push({ slab: s, qBase, qCount: Math.min(plan.chunkRows, slab.rows - qBase) });
    });
    const entries = plan.outputBytes / 4;
    let previous: Promise<void> | null = null;
    for (const [c, chunk] of chunks.entries()) {
      options.signal?.throwIfAborted();
      if (lostReason !== null) await lost;
      const qGlobal = plan.slabs[chunk.slab]!.start + chunk.qBase;
      device.queue.writeBuffer(chunkUniform, 0, new Uint32Array([chunk.qBase, chunk.qCount, qGlobal, plan.chunkRows]));
      // One submit per plan.submitWork multiply-adds; the last one also copies the lists out.
      let encoder!: GPUCommandEncoder;
      let pass!: GPUComputePassEncoder;
      const begin = () => {
        encoder = device.createCommandEncoder({ label: `knn chunk ${c}` });
        pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, chunkGroups[chunk.slab]!);
      };
      begin();
      let work = 0;
      for (const [i, step] of plan.steps.entries()) {
        const slab = plan.slabs[step.slab]!;
        const stepWork = chunk.qCount * slab.parts * plan.stepRows * d;
        if (work > 0 && work + stepWork > plan.submitWork) {
          pass.end();
          device.queue.submit([encoder.finish()]);
          begin();
          work = 0;
        }
        pass.setBindGroup(1, stepGroups[step.slab]!, [i * stride]);
        pass.dispatchWorkgroups(Math.ceil(chunk.qCount / QUERY_TILE), slab.parts);
        work += stepWork;
      }
      pass.end();
      const readback = readbacks[c % 2]!;
      encoder.copyBufferToBuffer(listDist, 0, readback, 0, plan.outputBytes);
      encoder.copyBufferToBuffer(listIndex, 0, readback, plan.outputBytes, plan.outputBytes);
      device.queue.submit([encoder.finish()]);

      const mapped = readback.mapAsync(GPUMapMode.READ).then(
        () => {
          const bytes = readback.getMappedRange();
          const lists: PartLists = { parts: plan.parts, rows: plan.chunkRows, kOthers, distances: new Float32Array(bytes, 0, entries), indices: new Uint32Array(bytes, plan.outputBytes, entries) };
          for (let row = 0; row < chunk.qCount; row++) {
            const base = (qGlobal + row) * kk;
            if (mergePartLists(lists, row, indices, distances, base + 1) < kOthers) throw knnError('GpuKnnError', `the GPU found too few neighbours for row ${qGlobal + row}`);
          }
          readback.unmap();
        },
        (error: unknown) => {
          throw knnError('GpuKnnLost', `reading the kNN lists back from the GPU failed (${lostReason ?? String(error)})`, error);
        },
      );
      mapped.catch(() => {});
      // The chunk before this one has been merging meanwhile; its readback buffer is free after it.
      if (previous) {
        await guard(previous);
        options.onProgress?.(qGlobal, n);
      }
      previous = mapped;
    }
    if (previous) await guard(previous);
    await popScopes('search');
    options.onProgress?.(n, n);
    return { k: kk, indices, distances };
  } finally {
    // Leave the device's error-scope stack as we found it, without waiting on a lost device.
    while (scopes > 0) {
      device.popErrorScope().catch(() => {});
      scopes--;
    }
    for (const buffer of buffers) buffer.destroy();
  }
}

/** An adapter and device with the largest storage buffers the adapter allows; null without WebGPU. */
export async function requestKnnDevice(): Promise<GPUDevice | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    return await adapter.requestDevice({
      label: 'papermap knn',
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
  } catch {
    return null;
  }
}
