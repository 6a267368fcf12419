/**
 * The WGSL source of the kNN search's one compute shader (./webgpu-knn.ts runs it). It is made per
 * search with d and k − 1 written in as constants: WGSL's private arrays, the per-row top-k lists,
 * need a size known when the shader compiles.
 */
import { CANDIDATE_TILE, DIM_TILE, QUERY_TILE } from './webgpu-plan';

/**
 * One invocation per query row keeps that row's top-k of one part in private arrays. The workgroup
 * sweeps the part a tile of CANDIDATE_TILE candidates at a time; per tile, the 64 query rows and the
 * candidates come into workgroup memory DIM_TILE dimensions at a time (coalesced loads shared by the
 * whole workgroup), each invocation accumulates its row's similarity to every candidate of the tile,
 * then offers the tile to its list. Candidates arrive in index order and ties keep the earlier one.
 * Why tiles: each candidate value read from storage serves 64 query rows, and each query value 32
 * candidates, where one thread per (row, candidate) pair would read both vectors for every pair.
 */
export function knnShader(d: number, kOthers: number): string {
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
