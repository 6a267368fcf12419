/**
 * What keeps a million-paper map usable: hover answered from the grid index, topic naming and
 * selection terms on bounded samples, topics that keep their size as a map gets denser, and dots
 * that shrink and fade with density.
 */
import { describe, expect, it } from 'vitest';
import { nearestPoint } from '../../src/map/hover';
import { pointStyle, scatterLayers, warmUpLayers, PointAttributes } from '../../src/map/scatter-layers';
import { buildGridIndex } from '../../src/math/geometry/grid-index';
import { NAMING_SAMPLE, sampleClasses, sampledTopicTerms, termSets, topicTermsOfSets } from '../../src/math/topics/labels';
import { densityClusters } from '../../src/math/topics/clusters';
import { gaussian, mulberry32 } from '../../src/math/random';
import { colourBy } from '../../src/map/colour-modes';
import type { Paper } from '../../src/corpus/types';

/** n points in `blobs` Gaussian blobs on a circle of radius 20; the blob of each point. */
function blobs(n: number, count: number, seed = 1): { coords: Float32Array; blob: Int32Array } {
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const coords = new Float32Array(2 * n);
  const blob = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = i % count;
    blob[i] = b;
    coords[2 * i] = 20 * Math.cos((2 * Math.PI * b) / count) + normal();
    coords[2 * i + 1] = 20 * Math.sin((2 * Math.PI * b) / count) + normal();
  }
  return { coords, blob };
}

describe('hover on the CPU', () => {
  const coords = new Float32Array([0, 0, 1, 0, 1.5, 0, 10, 10, 1, 0]);
  const grid = buildGridIndex(coords, 5, 1);

  it('answers the point whose centre is nearest within the radius, or nothing', () => {
    expect(nearestPoint(grid, coords, 0.1, 0, 0.5)).toBe(0);
    expect(nearestPoint(grid, coords, 1.4, 0.1, 0.5)).toBe(2);
    expect(nearestPoint(grid, coords, 5, 5, 0.5)).toBeNull();
    expect(nearestPoint(grid, coords, 10.3, 10, 0.5)).toBe(3);
  });

  it('gives two points in one place to the later one, which is drawn on top, and skips hidden points', () => {
    expect(nearestPoint(grid, coords, 1, 0, 0.5)).toBe(4);
    expect(nearestPoint(grid, coords, 1, 0, 0.5, (i) => i !== 4)).toBe(1);
  });

  it('agrees with a scan of every point on a dense map', () => {
    const { coords: many } = blobs(20_000, 5);
    const index = buildGridIndex(many, 20_000);
    const random = mulberry32(3);
    for (let t = 0; t < 200; t++) {
      const x = 50 * random() - 25, y = 50 * random() - 25, r = 0.05 + random() * 0.5;
      let best: number | null = null, bestD = r * r;
      for (let i = 0; i < 20_000; i++) {
        const d = (many[2 * i]! - x) ** 2 + (many[2 * i + 1]! - y) ** 2;
        if (d <= bestD) [best, bestD] = [i, d];
      }
      expect(nearestPoint(index, many, x, y, r)).toBe(best);
    }
  });
});

describe('naming on samples', () => {
  it('samples at most `cap` evenly spaced members of each class and keeps small classes whole', () => {
    const classes = Int32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i < 990 ? 1 : -1));
    const kept = sampleClasses(classes, 30);
    expect(kept.filter((i) => classes[i] === 0)).toHaveLength(30);
    expect(kept.filter((i) => classes[i] === 1)).toHaveLength(30);
    expect(kept.some((i) => classes[i] === -1)).toBe(false);
    // Evenly spaced: the members kept from class 0 step through it by 30.
    expect(Array.from(kept.filter((i) => classes[i] === 0)).slice(0, 3)).toEqual([29, 59, 89]);
    expect(Array.from(sampleClasses(classes, 1000))).toEqual(Array.from({ length: 990 }, (_, i) => i));
  });

  it('names classes as the full count does when none is larger than the sample, with full sizes when they are', () => {
    const texts = Array.from({ length: 60 }, (_, i) => (i % 2 ? 'graph neural networks on molecules' : 'diffusion models for image synthesis'));
    const topics = Int32Array.from({ length: 60 }, (_, i) => i % 2);
    const sets = termSets(texts);
    expect(sampledTopicTerms((i) => sets[i]!, topics)).toEqual(topicTermsOfSets(sets, topics));
    const small = sampledTopicTerms((i) => sets[i]!, topics, 5, 10);
    expect(small.map((t) => t.size)).toEqual([30, 30]);
    expect(small[0]!.terms.join(' ')).toContain('diffusion');
    expect(small[1]!.terms.join(' ')).toContain('graph');
  });

  it('reads only the sampled papers', () => {
    const topics = new Int32Array(NAMING_SAMPLE * 10);
    const read = new Set<number>();
    sampledTopicTerms((i) => (read.add(i), ['word']), topics);
    expect(read.size).toBe(NAMING_SAMPLE);
  });
});

describe('topics at density', () => {
  it('finds about the blobs as topics at 50,000 and at 200,000 points, not hundreds of ever finer pieces', () => {
    // (Before the kernel kept its width past 5,000 papers: 421 and 88 topics for these six blobs.)
    for (const n of [50_000, 200_000]) {
      const { coords, blob } = blobs(n, 6);
      const topics = densityClusters(coords, n);
      const found = new Set(topics);
      found.delete(-1);
      expect(found.size, `${n} points`).toBeGreaterThanOrEqual(5);
      expect(found.size, `${n} points`).toBeLessThanOrEqual(8);
      // Each topic lies within one blob.
      for (const t of found) {
        const members = new Set<number>();
        topics.forEach((x, i) => x === t && members.add(blob[i]!));
        expect(members.size).toBe(1);
      }
    }
  });
});

describe('point style', () => {
  it('keeps large outlined dots for a few hundred papers and fine, faint ones for a million', () => {
    const screen = 1280 * 800;
    expect(pointStyle(336, screen)).toEqual({ radius: 4.5, opacity: 1, stroked: true });
    const dense = pointStyle(1_000_000, screen);
    expect(dense.radius).toBe(1);
    expect(dense.stroked).toBe(false);
    expect(dense.opacity).toBeLessThan(0.5);
    expect(pointStyle(100_000, screen).opacity).toBeGreaterThan(dense.opacity);
  });
});

describe('the map before its first data', () => {
  it('draws one invisible point and one invisible label with the layers the map will use, so their shaders compile while the pipeline works', () => {
    const warm = warmUpLayers();
    const colours = { text: [232, 234, 240, 255] as [number, number, number, number], background: [15, 18, 24, 230] as [number, number, number, number] };
    const real = scatterLayers({ data: { coords: new Float32Array(4), colours: new Uint8Array(8), focus: null }, attributes: new PointAttributes(), labels: [], colours, style: pointStyle(2, 1e6), zoom: 0, fitZoom: 0 });
    // The same layers (ids and kinds) as a map's: deck.gl keeps a layer's compiled programs when the same id comes back.
    expect(warm.map((l) => [l.id, l.constructor.name])).toEqual(real.map((l) => [l.id, l.constructor.name]));
    const [points, labels] = warm as [(typeof warm)[number], (typeof warm)[number]];
    expect((points.props.data as { length: number }).length).toBe(1);
    expect(points.props.opacity).toBe(0);
    expect(Array.from((points.props.data as { attributes: { getFillColor: { value: Uint8Array } } }).attributes.getFillColor.value)).toEqual([0, 0, 0, 0]);
    expect(labels.props.data).toHaveLength(1);
    expect((labels.props as unknown as { getColor: number[]; outlineColor: number[] }).getColor[3]).toBe(0);
    expect((labels.props as unknown as { outlineColor: number[] }).outlineColor[3]).toBe(0);
  });
});

describe('colouring a million papers', () => {
  it('colours by upvotes without spreading a million values into Math.min', () => {
    const base: Paper = { id: 'p', title: 't', abstract: 'a', authors: null, organization: null, dateText: null, date: null, year: null, upvotes: null, sources: [] };
    const papers = Array.from({ length: 1_000_000 }, (_, i) => (i % 3 === 0 ? base : { ...base, upvotes: i % 1000 }));
    const c = colourBy('upvotes', { papers, topics: new Int32Array(papers.length), topicTerms: [], searchScores: null });
    expect(c.legend).toMatchObject({ kind: 'ramp', from: '0 upvotes', to: '999 upvotes', missing: 333_334 });
  });
});
