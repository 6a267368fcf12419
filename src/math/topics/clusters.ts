/**
 * Density-based clusters on the 2D map, with no fixed number of clusters: persistence-based
 * mode seeking (as in ToMATo) on a smoothed density grid. Every density peak starts a cluster; when
 * two clusters meet at a saddle, the lower one is merged into the other unless its peak rises at least
 * `persistence` × the map's highest density above that saddle. Clusters separated by empty space never
 * meet, so small islands stay their own topic. Small clusters become noise (−1).
 */
export interface ClusterOptions {
  /** The kernel width is `bandwidthScale` × the median distance from a point to its k-th neighbour. */
  scaleNeighbours: number;
  bandwidthScale: number;
  /** Upper bound on grid cells along the longer side of the map. */
  maxGridSize: number;
  /** A peak must stand this fraction of the highest density above its saddle to stay its own cluster. */
  persistence: number;
  minClusterSize: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = { scaleNeighbours: 10, bandwidthScale: 0.7, maxGridSize: 512, persistence: 0.06, minClusterSize: 5 };

const SCALE_SAMPLE = 2000;
/** Above this many papers, topics keep the size they have at this many (see densityGrid). */
const DENSE_PAPERS = 5000;

/**
 * Median distance from a point to its k-th nearest neighbour: the local scale of the map, so the
 * kernel adapts to how tightly the layout packs points. Estimated on an evenly strided sample.
 */
export function neighbourScale(coords: Float32Array, n: number, k: number): number {
  const m = Math.min(n, SCALE_SAMPLE);
  const stride = n / m;
  // In a sample of m of n points, the k-th neighbour of the full set is about the (k·m/n)-th.
  const kk = Math.max(1, Math.min(m - 1, Math.round((k * m) / n)));
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const a = Math.floor(i * stride);
    xs[i] = coords[2 * a]!;
    ys[i] = coords[2 * a + 1]!;
  }
  const kth = new Float64Array(m);
  const nearest = new Float64Array(kk + 1);
  const scratch = new Float64Array(m);
  for (let i = 0; i < m; i++) kth[i] = kthDistance(xs, ys, i, nearest, scratch);
  // Neighbour distances grow as √k in 2D: correct for the rounding of k·m/n to a whole kk.
  return kth.sort()[Math.floor(m / 2)]! * Math.sqrt((k * m) / (n * kk));
}

/**
 * The kk-th smallest distance from sample point i to the sample (itself, 0, counted first), as
 * sorting all m distances gave it: a first pass keeps the kk + 1 smallest squared distances (kk is
 * a handful; `nearest` holds them), a second takes the distance of every point within rounding of the last of them and
 * sorts those few. Sorting all m for every point made this most of naming's clustering.
 */
function kthDistance(xs: Float64Array, ys: Float64Array, i: number, nearest: Float64Array, scratch: Float64Array): number {
  const kk = nearest.length - 1;
  nearest.fill(Infinity);
  const x = xs[i]!;
  const y = ys[i]!;
  for (let j = 0; j < xs.length; j++) {
    const dx = xs[j]! - x;
    const dy = ys[j]! - y;
    const d2 = dx * dx + dy * dy;
    if (d2 >= nearest[kk]!) continue;
    let at = kk;
    for (; at > 0 && nearest[at - 1]! > d2; at--) nearest[at] = nearest[at - 1]!;
    nearest[at] = d2;
  }
  // Math.hypot and the squared sum can order near-ties differently by an ulp: take every candidate.
  const within = nearest[kk]! * (1 + 1e-9);
  let count = 0;
  for (let j = 0; j < xs.length; j++) {
    const dx = xs[j]! - x;
    const dy = ys[j]! - y;
    if (dx * dx + dy * dy <= within) scratch[count++] = Math.hypot(x - xs[j]!, y - ys[j]!);
  }
  return scratch.subarray(0, count).sort()[kk]!;
}

/** Histogram of the points on a grid, blurred by a separable Gaussian. */
function densityGrid(coords: Float32Array, n: number, options: ClusterOptions) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, coords[2 * i]!);
    maxX = Math.max(maxX, coords[2 * i]!);
    minY = Math.min(minY, coords[2 * i + 1]!);
    maxY = Math.max(maxY, coords[2 * i + 1]!);
  }
  const extent = Math.max(maxX - minX, maxY - minY) || 1;
  // Past DENSE_PAPERS, k grows with n: the kernel then keeps its width on the map instead of
  // shrinking as points crowd in, so a denser map gets the same topics rather than ever smaller ones.
  const k = Math.max(options.scaleNeighbours, Math.round((options.scaleNeighbours * n) / DENSE_PAPERS));
  const bandwidth = options.bandwidthScale * neighbourScale(coords, n, Math.min(k, n - 1)) || extent / 50;
  // Cells of about a third of the kernel width resolve it; the bound keeps huge maps affordable.
  const size = Math.max(16, Math.min(options.maxGridSize, Math.ceil((3 * extent) / bandwidth)));
  const cellOf = (i: number) => {
    const gx = Math.min(size - 1, Math.floor(((coords[2 * i]! - minX) / extent) * size));
    const gy = Math.min(size - 1, Math.floor(((coords[2 * i + 1]! - minY) / extent) * size));
    return gy * size + gx;
  };
  const hist = new Float64Array(size * size);
  const cells = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    cells[i] = cellOf(i);
    hist[cells[i]!]! += 1;
  }
  const sigma = Math.max(0.5, (bandwidth / extent) * size);
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, t) => Math.exp(-((t - radius) ** 2) / (2 * sigma * sigma)));
  const blur = (src: Float64Array, horizontal: boolean) => {
    const out = new Float64Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let sum = 0;
        for (let t = -radius; t <= radius; t++) {
          const xx = horizontal ? x + t : x;
          const yy = horizontal ? y : y + t;
          if (xx < 0 || yy < 0 || xx >= size || yy >= size) continue;
          sum += src[yy * size + xx]! * kernel[t + radius]!;
        }
        out[y * size + x] = sum;
      }
    }
    return out;
  };
  return { size, cells, density: blur(blur(hist, true), false) };
}

export function densityClusters(coords: Float32Array, n: number, options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS): Int32Array {
  const labels = new Int32Array(n).fill(-1);
  if (n === 0) return labels;
  const { size, cells, density } = densityGrid(coords, n, options);
  // Cells by density, highest first; empty cells (density 0) never join a cluster, so are left out.
  const order: number[] = [];
  for (let c = 0; c < size * size; c++) if (density[c]! > 0) order.push(c);
  order.sort((a, b) => density[b]! - density[a]! || a - b);

  // Union–find over grid cells; each root remembers its peak density.
  const parent = new Int32Array(size * size).fill(-1);
  const peak = new Float64Array(size * size);
  const find = (c: number): number => {
    while (parent[c] !== c) {
      parent[c] = parent[parent[c]!]!;
      c = parent[c]!;
    }
    return c;
  };
  const threshold = options.persistence * density[order[0]!]!;
  // The distinct clusters around a cell, highest peak first (then lowest id): at most 8.
  const roots = new Int32Array(8);
  for (const cell of order) {
    const value = density[cell]!;
    const x = cell % size;
    const y = (cell - x) / size;
    let count = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if ((dx === 0 && dy === 0) || xx < 0 || yy < 0 || xx >= size || yy >= size) continue;
        const nb = yy * size + xx;
        if (parent[nb] === -1) continue;
        const root = find(nb);
        let seen = false;
        for (let r = 0; r < count && !seen; r++) seen = roots[r] === root;
        if (seen) continue;
        let at = count++;
        for (; at > 0 && (peak[roots[at - 1]!]! < peak[root]! || (peak[roots[at - 1]!]! === peak[root]! && roots[at - 1]! > root)); at--) roots[at] = roots[at - 1]!;
        roots[at] = root;
      }
    }
    if (count === 0) {
      parent[cell] = cell;
      peak[cell] = value;
      continue;
    }
    // Join the highest neighbouring cluster; merge the others into it if they are not persistent.
    const top = roots[0]!;
    parent[cell] = top;
    for (let r = 1; r < count; r++) {
      if (peak[roots[r]!]! - value < threshold) parent[roots[r]!] = top;
    }
  }

  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = cells[i]!;
    if (parent[c] === -1) continue;
    const root = find(c);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  }
  // Ids by size, largest first, so colours and legends are stable for the same map.
  const clusters = [...members.values()]
    .filter((list) => list.length >= options.minClusterSize)
    .sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  clusters.forEach((list, id) => list.forEach((i) => (labels[i] = id)));
  return labels;
}
