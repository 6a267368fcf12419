/**
 * One benchmark case, run in its own process so its peak memory (max RSS) is its own.
 * Prints one JSON line: { case, n, runs: [ms…], maxRssMB, ...extra }. Used by scripts/bench.ts.
 */
import { UMAP } from 'umap-js';
import { buildGridIndex, selectInPolygon, selectInPolygonNaive } from '../src/math/lasso';
import { exactCosineKnn } from '../src/math/knn';
import { createLayout, DEFAULT_LAYOUT_PARAMS } from '../src/math/layout';
import { gaussian, mulberry32 } from '../src/math/random';
import { trustworthiness } from '../src/math/quality';

const [name, nArg, runsArg] = process.argv.slice(2);
const n = Number(nArg);
const runs = Number(runsArg ?? 5);

/** n points in 2D around 30 cluster centres, seeded. */
function clusteredPoints(count: number): Float32Array {
  const random = mulberry32(11);
  const normal = gaussian(random);
  const centres = Array.from({ length: 30 }, () => [random() * 100, random() * 100]);
  const out = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const [cx, cy] = centres[i % 30]!;
    out[2 * i] = cx! + normal() * 4;
    out[2 * i + 1] = cy! + normal() * 4;
  }
  return out;
}

/** A wobbly 200-vertex lasso covering about a fifth of the map. */
function lassoPolygon(): number[] {
  const random = mulberry32(5);
  const polygon: number[] = [];
  for (let v = 0; v < 200; v++) {
    const angle = (2 * Math.PI * v) / 200;
    const r = 25 * (0.7 + 0.3 * random());
    polygon.push(50 + r * Math.cos(angle), 50 + r * Math.sin(angle));
  }
  return polygon;
}

/** n unit vectors in `dims` dimensions around 12 topic directions, like embeddings of a mixed corpus. */
function clusteredVectors(count: number, dims: number): Float32Array {
  const random = mulberry32(21);
  const normal = gaussian(random);
  const topics = Array.from({ length: 12 }, () => Array.from({ length: dims }, normal));
  const out = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    const topic = topics[i % 12]!;
    let norm = 0;
    for (let c = 0; c < dims; c++) {
      const v = topic[c]! + normal() * 1.2;
      out[i * dims + c] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let c = 0; c < dims; c++) out[i * dims + c]! /= norm;
  }
  return out;
}

function time(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

const report: Record<string, unknown> = { case: name, n };
const times: number[] = [];
const DIMS = 64;

if (name === 'lasso-index' || name === 'lasso-naive') {
  const coords = clusteredPoints(n);
  const polygon = lassoPolygon();
  if (name === 'lasso-index') {
    let index = buildGridIndex(coords, n);
    report.indexBuildMs = time(() => (index = buildGridIndex(coords, n)));
    for (let r = 0; r < runs; r++) times.push(time(() => (report.selected = selectInPolygon(index, coords, polygon).length)));
  } else {
    for (let r = 0; r < runs; r++) times.push(time(() => (report.selected = selectInPolygonNaive(coords, n, polygon).length)));
  }
} else if (name === 'layout-ours' || name === 'layout-umapjs') {
  const vectors = clusteredVectors(n, DIMS);
  let coords: Float32Array = new Float32Array(0);
  for (let r = 0; r < runs; r++) {
    times.push(
      time(() => {
        if (name === 'layout-ours') {
          const knn = exactCosineKnn(vectors, n, DIMS, DEFAULT_LAYOUT_PARAMS.nNeighbors);
          const layout = createLayout(vectors, n, DIMS, knn, DEFAULT_LAYOUT_PARAMS);
          while (layout.step() < layout.epochs);
          coords = layout.coords();
        } else {
          // Plain umap-js as its README shows it: its own nearest-neighbour search, random start.
          const rows = Array.from({ length: n }, (_, i) => Array.from(vectors.subarray(i * DIMS, (i + 1) * DIMS)));
          const umap = new UMAP({ nNeighbors: DEFAULT_LAYOUT_PARAMS.nNeighbors, minDist: DEFAULT_LAYOUT_PARAMS.minDist, nEpochs: DEFAULT_LAYOUT_PARAMS.nEpochs, random: mulberry32(DEFAULT_LAYOUT_PARAMS.seed) });
          coords = Float32Array.from(umap.fit(rows).flat());
        }
      }),
    );
  }
  report.trustworthiness = trustworthiness(vectors, DIMS, coords, 2, n, 15);
} else {
  throw new Error(`unknown case ${name}`);
}

report.runs = times;
report.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(report));
