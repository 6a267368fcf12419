/**
 * The k best of n scores without sorting all n: a bounded min-heap of the best seen so far,
 * O(n log k). At a million papers a full sort of the indices took most of a search's time.
 */

/** Whether score a at index i ranks below score b at index j: lower score, or equal and later index. */
function worse(scores: ArrayLike<number>, i: number, j: number): boolean {
  const a = scores[i]!, b = scores[j]!;
  return a < b || (a === b && i > j);
}

/** Indices of the k highest scores, best first; ties go to the lower index. NaN scores are skipped. */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const n = scores.length;
  const size = Math.max(0, Math.min(k, n));
  // heap[0] is the worst of the kept indices.
  const heap: number[] = [];
  const siftDown = (at: number): void => {
    for (;;) {
      const left = 2 * at + 1, right = left + 1;
      let worst = at;
      if (left < heap.length && worse(scores, heap[left]!, heap[worst]!)) worst = left;
      if (right < heap.length && worse(scores, heap[right]!, heap[worst]!)) worst = right;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst]!, heap[at]!];
      at = worst;
    }
  };
  for (let i = 0; i < n && size > 0; i++) {
    if (Number.isNaN(scores[i])) continue;
    if (heap.length < size) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!worse(scores, heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (worse(scores, heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((i, j) => (worse(scores, i, j) ? 1 : worse(scores, j, i) ? -1 : 0));
}
