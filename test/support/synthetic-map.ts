/**
 * Seeded synthetic maps for the cache's tests and benchmark: clustered unit vectors shaped like
 * sentence embeddings (topics, subtopics within them, papers spread unevenly around those), and a
 * whole map entry around them. Plain code with no Node or DOM dependency: it also runs in the page.
 */
import { MAP_SCHEMA, type MapEntry } from '../../src/cache/map-format';
import { DEFAULT_PIPELINE_PARAMS } from '../../src/pipeline/types';
import { mulberry32 } from '../../src/math/random';

/** The project's seeded generator (mulberry32), under the name the cache's tests and benchmark use. */
export const seededRandom = mulberry32;

function gaussians(random: () => number, out: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    // Box–Muller: two normal numbers from two uniform ones.
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const a = 2 * Math.PI * random();
    out[i] = r * Math.cos(a);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

export interface ClusterShape {
  topics?: number;
  subtopicsPerTopic?: number;
  /** Added to every row's first component before normalising: the direction real embeddings share. */
  shared?: number;
  seed?: number;
}

/**
 * n × dims unit rows: each row is a topic centre plus one of its subtopics plus noise of a size drawn
 * per row, so near neighbours sit at different distances, as they do in real embeddings.
 */
export function clusteredUnitVectors(n: number, dims: number, shape: ClusterShape = {}): Float32Array {
  const random = seededRandom(shape.seed ?? 1);
  const topics = shape.topics ?? 20;
  const perTopic = shape.subtopicsPerTopic ?? 8;
  const centres = gaussians(random, new Float32Array(topics * dims));
  const subtopics = gaussians(random, new Float32Array(topics * perTopic * dims));
  const noise = new Float32Array(dims);
  const vectors = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const topic = Math.floor(random() * topics);
    const sub = topic * perTopic + Math.floor(random() * perTopic);
    const spread = 0.4 + 0.8 * random();
    gaussians(random, noise);
    let norm = 0;
    for (let c = 0; c < dims; c++) {
      const x = centres[topic * dims + c]! + 0.7 * subtopics[sub * dims + c]! + spread * noise[c]! + (c === 0 ? (shape.shared ?? 0) : 0);
      vectors[i * dims + c] = x;
      norm += x * x;
    }
    const inverse = 1 / Math.sqrt(norm);
    for (let c = 0; c < dims; c++) vectors[i * dims + c]! *= inverse;
  }
  return vectors;
}

/** A map entry of n papers as the pipeline would produce it (the numbers are arbitrary but sound). */
export function syntheticMapEntry(n: number, dims: number, options: { key?: string; corpusHash?: string; modelId?: string; seed?: number } = {}): MapEntry {
  const seed = options.seed ?? 1;
  const random = seededRandom(seed + 1);
  const coords = new Float32Array(2 * n);
  for (let i = 0; i < coords.length; i++) coords[i] = 20 * random() - 10;
  const levels = [4, 12, 30].map((count) => ({
    topics: Int32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? -1 : i % count)),
    terms: Array.from({ length: count }, (_, topic) => ({ topic, size: Math.ceil(n / count), terms: [`term${topic}`, `word${topic}`], label: `term${topic}, word${topic}` })),
  }));
  return {
    key: options.key ?? 'synthetic',
    schema: MAP_SCHEMA,
    corpusHash: options.corpusHash ?? 'synthetic-corpus',
    modelId: options.modelId ?? 'synthetic/model',
    params: DEFAULT_PIPELINE_PARAMS,
    n,
    dims,
    embeddings: clusteredUnitVectors(n, dims, { seed }),
    coords,
    levels,
    device: 'wasm',
    fallback: null,
    warnings: [],
    timings: { embed: 1000, knn: 100, layout: 1000, topics: 100 },
    createdAt: '2026-01-01T00:00:00Z',
  };
}
