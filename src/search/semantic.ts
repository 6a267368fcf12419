/** Ranking by meaning: cosine similarity of a query vector to every paper's (normalised) vector. */
import type { SearchHit } from './keyword';

export function cosineRank(embeddings: Float32Array, dims: number, query: Float32Array, limit: number): SearchHit[] {
  const n = embeddings.length / dims;
  let norm = 0;
  for (let c = 0; c < dims; c++) norm += query[c]! * query[c]!;
  if (norm === 0) return [];
  const inv = 1 / Math.sqrt(norm);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let c = 0; c < dims; c++) dot += embeddings[i * dims + c]! * query[c]!;
    scores[i] = dot * inv;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, limit).map((index) => ({ index, score: scores[index]! }));
}

/** The k papers nearest to paper i (itself excluded). */
export function nearestPapers(embeddings: Float32Array, dims: number, i: number, k: number): SearchHit[] {
  return cosineRank(embeddings, dims, embeddings.subarray(i * dims, (i + 1) * dims), k + 1).filter((h) => h.index !== i).slice(0, k);
}
