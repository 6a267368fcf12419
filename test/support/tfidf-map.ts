/**
 * A map of texts that needs no embedding model: TF-IDF vectors through the app's own kNN and UMAP
 * (as `npm run eval`'s baseline). Tests of topic naming use it so that they hold whatever model
 * makes the app's map.
 */
import { exactCosineKnn } from '../../src/math/knn/knn';
import { createLayout } from '../../src/math/layout/layout';
import { tfidfVectors } from '../../src/math/text/tfidf';

export function tfidfMap(texts: string[]): Float32Array {
  const { data, dims } = tfidfVectors(texts);
  const n = texts.length;
  const knn = exactCosineKnn(data, n, dims, Math.min(15, n - 1));
  const layout = createLayout(data, n, dims, knn);
  while (layout.step() < layout.epochs);
  return layout.coords();
}
