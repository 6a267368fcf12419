/**
 * Seeded stand-ins for sentence embeddings of a mixed corpus, for benchmarks and tests of the
 * neighbour search and layout at sizes no shipped corpus has. Like real embeddings they are unit
 * vectors with a hierarchy (broad fields of unequal size, subfields within them), a low intrinsic
 * dimension inside each subfield, and some isotropic noise, so neighbours are neither trivial
 * (well-separated blobs) nor meaningless (pure noise).
 */
import { gaussian, mulberry32 } from '../../src/math/random';

export interface SyntheticCorpus {
  vectors: Float32Array;
  n: number;
  dims: number;
  /** Field of each vector, for sanity checks. */
  fields: Int32Array;
}

const FIELDS = 24;
const SUBFIELDS = 6;
const LATENT = 8;

export function syntheticEmbeddings(n: number, dims = 384, seed = 21): SyntheticCorpus {
  const random = mulberry32(seed);
  const normal = gaussian(random);
  const unit = 1 / Math.sqrt(dims);
  const direction = (scale: number) => Float32Array.from({ length: dims }, () => normal() * unit * scale);
  const fields = Array.from({ length: FIELDS }, () => ({
    centre: direction(1),
    subfields: Array.from({ length: SUBFIELDS }, () => direction(0.75)),
    // Each field varies along its own few directions (methods, applications, …).
    latent: Array.from({ length: LATENT }, () => direction(0.4)),
  }));
  // Field sizes fall off like a Zipf law: a few big fields, a long tail of small ones.
  const weights = fields.map((_, f) => 1 / (f + 1) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const cumulative = weights.map((w) => (sum += w / total));

  const vectors = new Float32Array(n * dims);
  const labels = new Int32Array(n);
  const z = new Float64Array(LATENT);
  for (let i = 0; i < n; i++) {
    const u = random();
    let f = cumulative.findIndex((c) => u <= c);
    if (f < 0) f = FIELDS - 1;
    labels[i] = f;
    const field = fields[f]!;
    const sub = field.subfields[Math.floor(random() * SUBFIELDS)]!;
    for (let l = 0; l < LATENT; l++) z[l] = normal();
    let norm = 0;
    const row = i * dims;
    for (let c = 0; c < dims; c++) {
      let v = field.centre[c]! + sub[c]! + normal() * unit * 0.3;
      for (let l = 0; l < LATENT; l++) v += field.latent[l]![c]! * z[l]!;
      vectors[row + c] = v;
      norm += v * v;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let c = 0; c < dims; c++) vectors[row + c]! *= scale;
  }
  return { vectors, n, dims, fields: labels };
}
