/**
 * Ranking by meaning: cosine similarity of a query vector to every paper's (normalised) vector,
 * optionally with the TF-IDF cosine of the query's words beside it (hybrid search, see lexical.ts);
 * and, for a map without vectors, nearness on the map.
 */
import type { SearchHit } from './keyword';
import { addLexicalScores, type LexicalIndex } from './lexical';
import { topK } from './rank';

/**
 * Weight of the words' TF-IDF cosine beside the vectors' cosine in search by meaning. Chosen on the
 * development papers (a title finding its own abstract among 3,000 and 10,000, `npm run eval -- --dev`):
 * the static model's vectors alone find fewer than TF-IDF; with the words at twice their weight the
 * sum finds more than the TF-IDF baseline (weights 0.5–3 measured; README).
 */
export const LEXICAL_WEIGHT = 2;

function cosineScores(embeddings: Float32Array, dims: number, query: Float32Array): Float32Array | null {
  const n = embeddings.length / dims;
  let norm = 0;
  for (let c = 0; c < dims; c++) norm += query[c]! * query[c]!;
  if (norm === 0) return null;
  const inv = 1 / Math.sqrt(norm);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let c = 0; c < dims; c++) dot += embeddings[i * dims + c]! * query[c]!;
    scores[i] = dot * inv;
  }
  return scores;
}

export function cosineRank(embeddings: Float32Array, dims: number, query: Float32Array, limit: number): SearchHit[] {
  const scores = cosineScores(embeddings, dims, query);
  return scores ? topK(scores, limit).map((index) => ({ index, score: scores[index]! })) : [];
}

/**
 * Search by meaning: the vectors' cosine plus LEXICAL_WEIGHT × the words' TF-IDF cosine, divided by
 * their total weight so a score stays in [−1, 1]. Without a lexical index, the cosine alone.
 */
export function meaningRank(embeddings: Float32Array, dims: number, query: Float32Array, text: string, lexical: LexicalIndex | null, limit: number): SearchHit[] {
  const scores = cosineScores(embeddings, dims, query);
  if (!scores) return [];
  if (lexical && addLexicalScores(lexical, text, scores, LEXICAL_WEIGHT)) for (let i = 0; i < scores.length; i++) scores[i]! /= 1 + LEXICAL_WEIGHT;
  return topK(scores, limit).map((index) => ({ index, score: scores[index]! }));
}

/** The k papers nearest to paper i (itself excluded). */
export function nearestPapers(embeddings: Float32Array, dims: number, i: number, k: number): SearchHit[] {
  return cosineRank(embeddings, dims, embeddings.subarray(i * dims, (i + 1) * dims), k + 1).filter((h) => h.index !== i).slice(0, k);
}

/** The k papers nearest to paper i on the map (itself excluded), by Euclidean distance; score = −distance. */
export function nearestOnMap(coords: Float32Array, i: number, k: number): SearchHit[] {
  const n = coords.length / 2;
  const x = coords[2 * i]!, y = coords[2 * i + 1]!;
  const scores = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const dx = coords[2 * j]! - x, dy = coords[2 * j + 1]! - y;
    scores[j] = -(dx * dx + dy * dy); // squared: the order is the same, and no square root per paper
  }
  scores[i] = NaN;
  return topK(scores, k).map((index) => ({ index, score: -Math.sqrt(-scores[index]!) }));
}
