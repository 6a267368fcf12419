/**
 * How well a space, or a clustering, agrees with labels someone gave the papers (npm run eval).
 * kNN label agreement asks whether a paper's nearest neighbours share its label; NMI and the adjusted
 * Rand index compare two partitions (found topics against labels) whatever their ids are.
 */
import type { KnnGraph } from '../../../src/math/knn/knn';

export interface LabelAgreement {
  /** Mean over all points of the share of their k nearest neighbours with the same label. */
  overall: number;
  /** The same mean over the points of each label (indexed by label id; NaN for a label with no points). */
  perLabel: number[];
}

/**
 * kNN label agreement at k: for each point, the fraction of its k nearest neighbours (itself left
 * out, wherever the graph lists it) that carry its label. `labels` are ids 0 … L−1.
 */
export function knnLabelAgreement(graph: KnnGraph, labels: ArrayLike<number>, k: number): LabelAgreement {
  const n = labels.length;
  let labelCount = 0;
  for (let i = 0; i < n; i++) labelCount = Math.max(labelCount, labels[i]! + 1);
  const sums = new Float64Array(labelCount);
  const counts = new Float64Array(labelCount);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let seen = 0;
    let same = 0;
    for (let r = 0; r < graph.k && seen < k; r++) {
      const j = graph.indices[i * graph.k + r]!;
      if (j === i) continue;
      seen++;
      if (labels[j] === labels[i]) same++;
    }
    if (seen < k) throw new Error(`the neighbour graph lists fewer than ${k} neighbours besides the point itself (point ${i})`);
    const share = same / k;
    total += share;
    sums[labels[i]!]! += share;
    counts[labels[i]!]! += 1;
  }
  return { overall: n > 0 ? total / n : NaN, perLabel: Array.from(sums, (s, l) => (counts[l]! > 0 ? s / counts[l]! : NaN)) };
}

/** The agreement that neighbours drawn at random would have: the chance two distinct points share a label. */
export function chanceAgreement(labels: ArrayLike<number>): number {
  const n = labels.length;
  if (n < 2) return NaN;
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) sizes.set(labels[i]!, (sizes.get(labels[i]!) ?? 0) + 1);
  let pairs = 0;
  for (const size of sizes.values()) pairs += size * (size - 1);
  return pairs / (n * (n - 1));
}

interface Contingency {
  n: number;
  /** One entry per (a, b) pair of ids that occurs: its count and the sizes of its a-group and b-group. */
  cells: { count: number; rowSize: number; colSize: number }[];
  rowSizes: number[];
  colSizes: number[];
}

/** The contingency table of two partitions. Ids can be any integers (−1, noise, is a group like any other). */
function contingency(a: ArrayLike<number>, b: ArrayLike<number>): Contingency {
  if (a.length !== b.length) throw new Error(`partitions of different lengths (${a.length} and ${b.length})`);
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  const counts = new Map<string, { count: number; row: number; col: number }>();
  for (let i = 0; i < a.length; i++) {
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
    const key = `${a[i]} ${b[i]}`;
    const cell = counts.get(key);
    if (cell) cell.count++;
    else counts.set(key, { count: 1, row: a[i]!, col: b[i]! });
  }
  const cells = [...counts.values()].map(({ count, row, col }) => ({ count, rowSize: rows.get(row)!, colSize: cols.get(col)! }));
  return { n: a.length, cells, rowSizes: [...rows.values()], colSizes: [...cols.values()] };
}

function entropy(sizes: number[], n: number): number {
  return -sizes.reduce((h, size) => h + (size / n) * Math.log(size / n), 0);
}

/**
 * Normalised mutual information, I(a; b) / mean(H(a), H(b)) (the arithmetic normalisation, as
 * scikit-learn's default). 1 when the partitions are the same up to renaming, 0 when independent.
 */
export function normalizedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { n, cells, rowSizes, colSizes } = contingency(a, b);
  if (n === 0) return NaN;
  const ha = entropy(rowSizes, n);
  const hb = entropy(colSizes, n);
  // One group on both sides: the partitions are identical (scikit-learn's convention too).
  if (ha === 0 && hb === 0) return 1;
  const mi = cells.reduce((s, { count, rowSize, colSize }) => s + (count / n) * Math.log((count * n) / (rowSize * colSize)), 0);
  return Math.max(0, Math.min(1, mi / ((ha + hb) / 2)));
}

const pairs = (m: number) => (m * (m - 1)) / 2;

/**
 * Adjusted Rand index (Hubert & Arabie 1985): agreement of the two partitions on every pair of points,
 * corrected for chance. 1 when identical up to renaming, about 0 for unrelated partitions, negative
 * when worse than chance.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { n, cells, rowSizes, colSizes } = contingency(a, b);
  if (n === 0) return NaN;
  const index = cells.reduce((s, { count }) => s + pairs(count), 0);
  const rowPairs = rowSizes.reduce((s, m) => s + pairs(m), 0);
  const colPairs = colSizes.reduce((s, m) => s + pairs(m), 0);
  const expected = n < 2 ? 0 : (rowPairs * colPairs) / pairs(n);
  const max = (rowPairs + colPairs) / 2;
  // Both partitions trivial (all in one group, or all apart): they agree on every pair.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
