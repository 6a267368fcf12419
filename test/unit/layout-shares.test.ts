/**
 * A large map's layout in two shares of edges (src/math/layout/umap-sgd.ts, layout.ts) and the
 * pipeline worker's driver that runs the second share in a worker of its own (workers/layout-side.ts):
 * how the edges are cut, how moves are added up, and that the map is the same wherever the shares run,
 * also when the worker dies mid-layout.
 */
import { describe, expect, it } from 'vitest';
import { exactCosineKnn } from '../../src/math/knn/knn';
import { planLayout, runPlanHere, shareOptimiser, type LayoutPlan } from '../../src/math/layout/layout';
import { mergeMoves, sampledEdges, sharesFor, splitEdges, type SgdEdges } from '../../src/math/layout/umap-sgd';
import { fuzzySimplicialSet } from '../../src/math/layout/fuzzy-graph';
import { gaussian, mulberry32 } from '../../src/math/random';
import { layoutInThisThread, layoutInWorker } from '../../workers/layout-side';
import type { LayoutMessage, LayoutRequest } from '../../workers/messages';

/** n unit vectors in 16 dimensions around `groups` directions. */
function clustered(n: number, groups: number, seed = 5): Float32Array {
  const normal = gaussian(mulberry32(seed));
  const out = new Float32Array(n * 16);
  for (let i = 0; i < n; i++) {
    const row = out.subarray(i * 16, (i + 1) * 16);
    for (let c = 0; c < 16; c++) row[c] = (c === i % groups ? 3 : 0) + normal() * 0.4;
    const norm = Math.hypot(...row);
    for (let c = 0; c < 16; c++) row[c]! /= norm;
  }
  return out;
}

const n = 600;
const vectors = clustered(n, 4);
const knn = exactCosineKnn(vectors, n, 16, 15);
const params = { nNeighbors: 15, minDist: 0.1, nEpochs: 60, seed: 3 };
/** The plan with its edges cut into `shares` (sharesFor gives a map this small one share). */
function planIn(shares: number): LayoutPlan {
  const plan = planLayout(vectors, n, 16, knn, params);
  expect(plan.shares.length).toBe(1);
  return { ...plan, shares: splitEdges(plan.shares[0]!, shares) };
}
const samplesPerEpoch = (edges: SgdEdges) => edges.epochsPerSample.reduce((sum, e) => sum + 1 / e, 0);

async function runToEnd(layout: { epochs: number; step(): Promise<number> | number }): Promise<number[]> {
  const seen: number[] = [];
  for (let epoch = 0; epoch < layout.epochs; ) seen.push((epoch = await layout.step()));
  return seen;
}

describe('the layout in shares of edges', () => {
  it('cuts the edges in order into shares of about equal work, never splitting one point\'s edges', () => {
    const edges = sampledEdges(fuzzySimplicialSet(knn, n), 200);
    for (const parts of [2, 3]) {
      const shares = splitEdges(edges, parts);
      expect(shares).toHaveLength(parts);
      // Together, the edges as they were, in order.
      for (const key of ['heads', 'tails', 'epochsPerSample'] as const) expect(shares.flatMap((s) => Array.from(s[key]))).toEqual(Array.from(edges[key]));
      for (let p = 1; p < parts; p++) expect(shares[p]!.heads[0]).not.toBe(shares[p - 1]!.heads.at(-1));
      const work = shares.map(samplesPerEpoch);
      const total = samplesPerEpoch(edges);
      for (const w of work) expect(Math.abs(w - total / parts) / total).toBeLessThan(0.01);
    }
  });

  it('adds up the moves of shares that ran from the same positions', () => {
    const base = Float32Array.from([1, 2, 3, 4]);
    mergeMoves(base, [Float32Array.from([1.5, 2, 3, 3]), Float32Array.from([1, 2.25, 3, 5])]);
    expect(Array.from(base)).toEqual([1.5, 2.25, 3, 4]);
  });

  it('gives a map of more than 10,000 points two shares and a smaller one one', () => {
    expect(sharesFor(336)).toBe(1);
    expect(sharesFor(10_000)).toBe(1);
    expect(sharesFor(10_001)).toBe(2);
    expect(sharesFor(1_000_000)).toBe(2);
  });

  it('with one share, lays the map out as the serial optimiser does, in place', () => {
    const plan = planIn(1);
    const serial = plan.start.slice();
    const part = shareOptimiser(plan, plan.shares[0]!, 0);
    for (let e = 0; e < plan.epochs; e++) part.step(serial, e);
    const layout = runPlanHere(plan);
    while (layout.step() < layout.epochs);
    expect(layout.coords()).toEqual(serial);
  });

  it('with two shares, keeps the groups apart and differs from one share only slightly', () => {
    const one = runPlanHere(planIn(1));
    const two = runPlanHere(planIn(2));
    while (one.step() < one.epochs);
    while (two.step() < two.epochs);
    const [a, b] = [one.coords(), two.coords()];
    expect(b).not.toEqual(a);
    // Every point's nearest on the map is of its own group (vectors i and j share a group when i ≡ j mod 4).
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestDist = Infinity;
      for (let j = 0; j < n; j++) {
        const dist = j === i ? Infinity : Math.hypot(b[2 * i]! - b[2 * j]!, b[2 * i + 1]! - b[2 * j + 1]!);
        if (dist < bestDist) [best, bestDist] = [j, dist];
      }
      expect(best % 4).toBe(i % 4);
    }
  });
});

/**
 * A stand-in for workers/layout.worker.ts in Node (which has no Web Worker): it answers the same
 * requests with the same share optimiser, asynchronously, and can crash at an epoch.
 */
class FakeLayoutWorker extends EventTarget {
  static started = 0;
  static crashAtEpoch = -1;
  private part: ReturnType<typeof shareOptimiser> | null = null;
  constructor() {
    super();
    FakeLayoutWorker.started++;
  }
  postMessage(request: LayoutRequest): void {
    setTimeout(() => {
      if (request.epoch === FakeLayoutWorker.crashAtEpoch) {
        this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'Uncaught Error: the worker died' }));
        return;
      }
      if (request.share) this.part = shareOptimiser(request.share, request.share.edges, request.share.part);
      this.part!.step(request.positions, request.epoch);
      this.dispatchEvent(new MessageEvent('message', { data: { type: 'moved', epoch: request.epoch, positions: request.positions } satisfies LayoutMessage }));
    }, 0);
  }
  terminate(): void {}
}

describe('the layout\'s second share in a worker of its own', () => {
  const withFakeWorker = async <T>(crashAtEpoch: number, work: () => Promise<T>): Promise<T> => {
    const saved = (globalThis as { Worker?: unknown }).Worker;
    (globalThis as { Worker?: unknown }).Worker = FakeLayoutWorker;
    FakeLayoutWorker.started = 0;
    FakeLayoutWorker.crashAtEpoch = crashAtEpoch;
    try {
      return await work();
    } finally {
      (globalThis as { Worker?: unknown }).Worker = saved;
    }
  };
  const here = runPlanHere(planIn(2));
  while (here.step() < here.epochs);

  it('builds the map runPlanHere builds, bit for bit, and says it ran in the worker', async () => {
    await withFakeWorker(-1, async () => {
      const layout = layoutInWorker(planIn(2));
      expect(await runToEnd(layout)).toEqual(Array.from({ length: params.nEpochs }, (_, e) => e + 1));
      expect(layout.coords()).toEqual(here.coords());
      expect(layout.inWorker).toBe(true);
      expect(layout.failure).toBeNull();
      expect(FakeLayoutWorker.started).toBe(1);
    });
  });

  it('when the worker dies mid-layout, starts again in this thread and builds the same map', async () => {
    await withFakeWorker(25, async () => {
      const layout = layoutInWorker(planIn(2));
      const epochs = await runToEnd(layout);
      // Epochs 1–25 in two workers, then 1–60 again here.
      expect(epochs.slice(0, 26)).toEqual([...Array.from({ length: 25 }, (_, e) => e + 1), 1]);
      expect(epochs.at(-1)).toBe(params.nEpochs);
      expect(layout.coords()).toEqual(here.coords());
      expect(layout.inWorker).toBe(false);
      expect(layout.failure).toMatch(/the layout worker crashed: .*the worker died/);
    });
  });

  it('when no worker can be started, lays the map out in this thread, the same map', async () => {
    const saved = (globalThis as { Worker?: unknown }).Worker;
    (globalThis as { Worker?: unknown }).Worker = class {
      constructor() {
        throw new Error('workers cannot start workers here');
      }
    };
    try {
      const layout = layoutInWorker(planIn(2));
      expect(await runToEnd(layout)).toEqual(Array.from({ length: params.nEpochs }, (_, e) => e + 1));
      expect(layout.coords()).toEqual(here.coords());
      expect(layout.inWorker).toBe(false);
      expect(layout.failure).toBe('the layout worker crashed: workers cannot start workers here');
    } finally {
      (globalThis as { Worker?: unknown }).Worker = saved;
    }
  });

  it('starts no worker for a plan of one share', async () => {
    await withFakeWorker(-1, async () => {
      const layout = layoutInWorker(planIn(1));
      await runToEnd(layout);
      const alone = layoutInThisThread(planIn(1));
      await runToEnd(alone);
      expect(layout.coords()).toEqual(alone.coords());
      expect(layout.inWorker).toBe(false);
      expect(FakeLayoutWorker.started).toBe(0);
    });
  });
});
