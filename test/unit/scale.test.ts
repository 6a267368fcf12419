/**
 * The typed-array pieces behind large maps: approximate neighbours (RP-trees + NN-descent), the fuzzy
 * graph, the SGD optimiser, the fast power function, and the sampled layout quality measure.
 */
import { describe, expect, it } from 'vitest';
import { findABParams } from 'umap-js/dist/umap.js';
import { exactCosineKnn, l2NormalizeRows } from '../../src/math/knn/knn';
import { knnRecall, NeighbourHeaps, nnDescentCosineKnn } from '../../src/math/knn/nn-descent';
import { cosineNeighbours, neighbourMethod } from '../../src/math/knn/neighbours';
import { fuzzySimplicialSet, membershipStrengths, smoothKnnDistances } from '../../src/math/layout/fuzzy-graph';
import { createSgdPart, DEFAULT_SGD, defaultEpochs, sampledEdges } from '../../src/math/layout/umap-sgd';
import { fastPow, powerTables } from '../../src/math/layout/fast-pow';
import { dotRows, inSearchableMemory, rowDots, searchableRows, simdAvailable } from '../../src/math/knn/row-dots';
import { neighbourhoodPreservation, sampledNeighbourhoodPreservation } from '../../scripts/lib/eval/quality';
import { createLayout, DEFAULT_LAYOUT_PARAMS, pcaInit } from '../../src/math/layout/layout';
import { centredDenseOperator, randomizedSVD } from '../../src/math/linalg/svd';
import { gaussian, mulberry32 } from '../../src/math/random';
import { syntheticEmbeddings } from '../../scripts/lib/synthetic-vectors';

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('NN-descent neighbours', () => {
  const n = 3000;
  const d = 64;
  const { vectors } = syntheticEmbeddings(n, d, 7);
  const exact = exactCosineKnn(vectors, n, d, 15);

  it('finds almost all exact neighbours, each row starting with the point itself, nearest first', () => {
    const approx = nnDescentCosineKnn(vectors, n, d, 15);
    expect(knnRecall(approx, exact, all(n))).toBeGreaterThan(0.97);
    for (let i = 0; i < n; i++) {
      expect(approx.indices[i * 15]).toBe(i);
      expect(approx.distances[i * 15]).toBe(0);
      const row = new Set(approx.indices.subarray(i * 15, i * 15 + 15));
      expect(row.size).toBe(15);
      for (let s = 2; s < 15; s++) expect(approx.distances[i * 15 + s]!).toBeGreaterThanOrEqual(approx.distances[i * 15 + s - 1]!);
    }
  });

  it('reports distances that are the true cosine distances of the pairs it lists', () => {
    const approx = nnDescentCosineKnn(vectors, n, d, 15);
    for (let i = 0; i < n; i += 97) {
      for (let s = 1; s < 15; s++) {
        const j = approx.indices[i * 15 + s]!;
        let dot = 0;
        for (let c = 0; c < d; c++) dot += vectors[i * d + c]! * vectors[j * d + c]!;
        expect(approx.distances[i * 15 + s]).toBeCloseTo(1 - dot, 5);
      }
    }
  });

  it('is deterministic for a seed', () => {
    const a = nnDescentCosineKnn(vectors, n, d, 15, { seed: 3 });
    expect(nnDescentCosineKnn(vectors, n, d, 15, { seed: 3 }).indices).toEqual(a.indices);
  });

  it('gets worse, measurably, with a crippled search (so the recall test can fail)', () => {
    const weak = nnDescentCosineKnn(vectors, n, d, 15, { nTrees: 1, maxIterations: 0 });
    expect(knnRecall(weak, exact, all(n))).toBeLessThan(0.9);
  });

  it('copes with duplicates, zero rows and tiny inputs', () => {
    const dup = new Float32Array(40 * 8);
    for (let i = 0; i < 40; i++) dup[i * 8 + (i % 3)] = 1; // three directions, many identical rows
    dup.fill(0, 0, 8); // row 0 is all zero
    const knn = nnDescentCosineKnn(dup, 40, 8, 10);
    for (let i = 0; i < 40; i++) {
      expect(knn.indices[i * 10]).toBe(i);
      expect(new Set(knn.indices.subarray(i * 10, i * 10 + 10)).size).toBe(10);
    }
    // A row identical to i is at distance 0 among its neighbours.
    expect(knn.distances[5 * 10 + 1]).toBe(0);
    expect(nnDescentCosineKnn(dup.subarray(0, 3 * 8), 3, 8, 3).indices.length).toBe(9);
    expect(() => nnDescentCosineKnn(dup, 40, 8, 41)).toThrow(/41 neighbours/);
  });

  it('keeps each heap bounded and its root the farthest neighbour', () => {
    const heaps = new NeighbourHeaps(1, 4);
    [5, 3, 9, 1, 7, 2, 8].forEach((dist, j) => heaps.push(0, j, dist));
    expect(Array.from(heaps.distances).sort()).toEqual([1, 2, 3, 5]);
    expect(heaps.distances[0]).toBe(5);
    expect(heaps.push(0, 3, 0.5)).toBe(false); // already there
  });
});

describe('choosing the neighbour search', () => {
  it('is exact while n² · d is small and NN-descent above', () => {
    expect(neighbourMethod(336, 128)).toBe('exact');
    expect(neighbourMethod(2000, 128)).toBe('exact');
    expect(neighbourMethod(10_000, 384)).toBe('nn-descent');
    const { vectors } = syntheticEmbeddings(200, 16, 3);
    const { knn, method } = cosineNeighbours(vectors, 200, 16, 10);
    expect(method).toBe('exact');
    expect(knn.indices).toEqual(exactCosineKnn(vectors, 200, 16, 10).indices);
  });
});

describe('fuzzy neighbour graph', () => {
  const n = 500;
  const { vectors } = syntheticEmbeddings(n, 32, 5);
  const knn = exactCosineKnn(vectors, n, 32, 15);

  it('chooses each σ so the memberships of a row sum to log2(k), with ρ the nearest distance', () => {
    const smooth = smoothKnnDistances(knn, n);
    const strengths = membershipStrengths(knn, n, smooth);
    for (let i = 0; i < n; i += 7) {
      let sum = 0;
      for (let s = 1; s < 15; s++) sum += strengths[i * 15 + s]!;
      expect(sum).toBeCloseTo(Math.log2(15), 3);
      expect(smooth.rhos[i]).toBeCloseTo(knn.distances[i * 15 + 1]!, 6);
      expect(strengths[i * 15 + 1]).toBe(1); // the nearest neighbour is fully connected
      expect(strengths[i * 15]).toBe(0); // the point itself is no edge
    }
  });

  it('is symmetric, by fuzzy union, with edges sorted by head and weights in (0, 1]', () => {
    const graph = fuzzySimplicialSet(knn, n);
    const weight = new Map<string, number>();
    for (let e = 0; e < graph.heads.length; e++) {
      expect(graph.weights[e]).toBeGreaterThan(0);
      expect(graph.weights[e]).toBeLessThanOrEqual(1);
      if (e > 0) expect(graph.heads[e]!).toBeGreaterThanOrEqual(graph.heads[e - 1]!);
      const key = `${graph.heads[e]}-${graph.tails[e]}`;
      expect(weight.has(key)).toBe(false);
      weight.set(key, graph.weights[e]!);
    }
    for (const [key, w] of weight) {
      const [a, b] = key.split('-');
      expect(weight.get(`${b}-${a}`)).toBeCloseTo(w, 6);
    }
    // A pair in only one direction of the kNN graph keeps that direction's strength.
    const strengths = membershipStrengths(knn, n, smoothKnnDistances(knn, n));
    const rowOf = (i: number) => Array.from(knn.indices.subarray(i * 15, i * 15 + 15));
    for (let i = 0; i < n; i++) {
      for (let s = 1; s < 15; s++) {
        const j = knn.indices[i * 15 + s]!;
        if (!rowOf(j).includes(i)) expect(weight.get(`${i}-${j}`)).toBeCloseTo(strengths[i * 15 + s]!, 6);
      }
    }
  });
});

describe('UMAP SGD on typed arrays', () => {
  it('pulls neighbours together and pushes the rest apart, deterministically', () => {
    // Two groups of 60 in 8 dimensions, started mixed up at random.
    const normal = gaussian(mulberry32(2));
    const n = 120;
    const v = new Float32Array(n * 8);
    for (let i = 0; i < n; i++) for (let c = 0; c < 8; c++) v[i * 8 + c] = (c === (i < 60 ? 0 : 1) ? 4 : 0) + normal() * 0.3;
    const vectors = l2NormalizeRows(v, 8);
    const graph = fuzzySimplicialSet(exactCosineKnn(vectors, n, 8, 10), n);
    const { a, b } = findABParams(1, 0.1);
    const run = () => {
      const random = mulberry32(4);
      const positions = Float32Array.from({ length: 2 * n }, () => random() * 10);
      const part = createSgdPart(sampledEdges(graph, 200), n, { ...DEFAULT_SGD, nEpochs: 200, a, b });
      for (let epoch = 0; epoch < 200; epoch++) part.step(positions, epoch);
      return positions;
    };
    const positions = run();
    expect(run()).toEqual(positions);
    const centre = (from: number) => [0, 1].map((c) => Array.from({ length: 60 }, (_, i) => positions[2 * (from + i) + c]!).reduce((s, x) => s + x, 0) / 60);
    const centres = [centre(0), centre(60)];
    // Every point ends nearer its own group's centre, with a clear margin.
    for (let i = 0; i < n; i++) {
      const [own, other] = i < 60 ? centres : [centres[1]!, centres[0]!];
      const toOwn = Math.hypot(positions[2 * i]! - own![0]!, positions[2 * i + 1]! - own![1]!);
      const toOther = Math.hypot(positions[2 * i]! - other![0]!, positions[2 * i + 1]! - other![1]!);
      expect(toOther).toBeGreaterThan(2 * toOwn);
    }
  });

  it('uses umap-js’s epoch schedule: fewer epochs as the map grows, 200 from 7,501 points on', () => {
    expect([336, 2500, 2501, 5000, 7500, 7501, 10_000, 10_001, 50_000].map(defaultEpochs)).toEqual([500, 500, 400, 400, 300, 200, 200, 200, 200]);
  });
});

describe('row dot products', () => {
  it('assembles a valid WebAssembly SIMD module here, and it sums like JavaScript (extra rows too)', () => {
    expect(simdAvailable()).toBe(true);
    const random = mulberry32(8);
    for (const d of [1, 7, 8, 13, 384]) {
      const n = 50;
      const vectors = Float32Array.from({ length: n * d }, () => random() - 0.5);
      const extra = Float32Array.from({ length: 3 * d }, () => random() - 0.5);
      const simd = rowDots(vectors, n, d, { extra });
      const js = rowDots(vectors, n, d, { extra, simd: false });
      const joined = new Float32Array((n + 3) * d);
      joined.set(vectors);
      joined.set(extra, n * d);
      for (let i = 0; i < n + 3; i++) {
        for (let j = 0; j < n + 3; j += 5) {
          const exact = dotRows(joined, i * d, j * d, d);
          expect(js(i, j)).toBe(exact);
          expect(Math.abs(simd(i, j) - exact)).toBeLessThan(1e-5 * Math.max(1, d / 8));
        }
      }
    }
  });

  it('reads rows made by searchableRows where they are: the same sums as a copy, and later writes seen', () => {
    const random = mulberry32(9);
    const n = 300;
    const d = 64;
    const home = searchableRows(n * d, d);
    expect(inSearchableMemory(home)).toBe(true);
    expect(inSearchableMemory(home.slice())).toBe(false);
    for (let i = 0; i < home.length; i++) home[i] = random() - 0.5;
    const extra = Float32Array.from({ length: 32 * d }, () => random() - 0.5);
    const copied = rowDots(home.slice(), n, d, { extra });
    const inPlace = rowDots(home, n, d, { extra });
    for (let i = 0; i < n + 32; i += 7) for (let j = 0; j < n + 32; j += 3) expect(inPlace(i, j)).toBe(copied(i, j));
    // No copy: a row changed after the dot products were set up is read as it is now.
    home.fill(0, 0, d);
    expect(inPlace(0, 5)).toBe(0);
    expect(copied(0, 5)).not.toBe(0);
    // NN-descent finds the same graph in it as in a plain array.
    const { vectors } = syntheticEmbeddings(2000, d, 12);
    const rows = searchableRows(vectors.length, d);
    rows.set(vectors);
    expect(nnDescentCosineKnn(rows, 2000, d, 10)).toEqual(nnDescentCosineKnn(vectors, 2000, d, 10));
    // Rows whose width is not a multiple of 8 cannot be read in place: a plain array.
    expect(inSearchableMemory(searchableRows(10 * 13, 13))).toBe(false);
  });
});

describe('fast power', () => {
  it('matches Math.pow to 2e-6 relative over the range the layout sees, and falls back outside it', () => {
    for (const y of [0.895, 0.79, 1.2, -0.5]) {
      const tables = powerTables(y);
      const pow = (x: number) => fastPow(x, tables);
      const random = mulberry32(9);
      for (let t = 0; t < 20_000; t++) {
        const x = Math.exp((random() - 0.5) * 60);
        expect(Math.abs(pow(x) / Math.pow(x, y) - 1)).toBeLessThan(2e-6);
      }
      expect(pow(0)).toBe(Math.pow(0, y));
      expect(pow(Infinity)).toBe(Math.pow(Infinity, y));
      expect(pow(1e-310)).toBe(Math.pow(1e-310, y));
    }
  });
});

describe('PCA start', () => {
  it('fitted on a sample of a big map, it matches the PCA of all rows', () => {
    // Two clear principal directions (standard deviations 3 and 2) above unit noise in 48 dimensions.
    const n = 9000;
    const normal = gaussian(mulberry32(6));
    const vectors = new Float32Array(n * 48);
    for (let i = 0; i < n; i++) {
      const [z1, z2] = [normal() * 3, normal() * 2];
      for (let c = 0; c < 48; c++) vectors[i * 48 + c] = normal() * 0.5 + (c < 24 ? z1 : -z1) / Math.sqrt(48) * 4 + (c % 2 ? z2 : -z2) / Math.sqrt(48) * 4;
    }
    const start = pcaInit(vectors, n, 48, 1);
    const { u, s, k } = randomizedSVD(centredDenseOperator(vectors, n, 48), 2, { seed: 1 });
    for (let j = 0; j < 2; j++) {
      const full = Float64Array.from({ length: n }, (_, i) => u[i * k + j]! * s[j]!);
      const mine = Float64Array.from({ length: n }, (_, i) => start[2 * i + j]!);
      const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / n;
      const [mf, mm] = [mean(full), mean(mine)];
      let sfm = 0, sff = 0, smm = 0;
      for (let i = 0; i < n; i++) {
        sfm += (full[i]! - mf) * (mine[i]! - mm);
        sff += (full[i]! - mf) ** 2;
        smm += (mine[i]! - mm) ** 2;
      }
      expect(Math.abs(sfm / Math.sqrt(sff * smm))).toBeGreaterThan(0.99);
    }
  });
});

describe('sampled trustworthiness', () => {
  it('equals the exact measure when every row is sampled, and finds the true neighbours', () => {
    const n = 300;
    const { vectors } = syntheticEmbeddings(n, 16, 4);
    const knn = exactCosineKnn(vectors, n, 16, 15);
    const layout = createLayout(vectors, n, 16, knn, { ...DEFAULT_LAYOUT_PARAMS, nEpochs: 100 });
    while (layout.step() < layout.epochs);
    const coords = layout.coords();
    const shuffled = coords.slice().reverse();
    const exact = [coords, shuffled].map((low) => neighbourhoodPreservation(vectors, 16, low, 2, n, 15));
    const sampled = sampledNeighbourhoodPreservation(vectors, 16, [coords, shuffled], 2, n, 15, all(n));
    sampled.layouts.forEach((q, l) => {
      expect(q.trustworthiness).toBeCloseTo(exact[l]!.trustworthiness, 3);
      expect(q.continuity).toBeCloseTo(exact[l]!.continuity, 3);
    });
    expect(sampled.layouts[1]!.trustworthiness).toBeLessThan(sampled.layouts[0]!.trustworthiness - 0.2);
    for (let i = 0; i < n; i += 13) expect(new Set(sampled.trueNeighbours.subarray(i * 14, i * 14 + 14))).toEqual(new Set(knn.indices.subarray(i * 15 + 1, i * 15 + 15)));
    // A sample of a third of the rows lands close to the full measure.
    const third = sampledNeighbourhoodPreservation(vectors, 16, [coords], 2, n, 15, Int32Array.from({ length: 100 }, (_, r) => r * 3));
    expect(Math.abs(third.layouts[0]!.trustworthiness - exact[0]!.trustworthiness)).toBeLessThan(0.02);
  });
});
