/**
 * A computed map as IndexedDB keeps it: small metadata as plain fields, and the bulky arrays packed
 * into one binary part, the embedding vectors quantised to int8 (see quantise.ts):
 *
 *   coords float32 × 2n | topics int32 × n per level | scales float32 × n | centre float32 × dims | codes int8 × n·dims
 *
 * (4-byte parts first, so each is aligned whatever n and dims are). 408 bytes a paper at 384 dims
 * with three topic levels (the embedded model's maps, 320 + 64 dims), against 1,556 for the float32
 * arrays of the previous format.
 *
 * The part is a Blob. Measured in Chromium 156 (100,000 × 384, fresh browser, medians of 5): the
 * Blob, the same bytes as one ArrayBuffer, and separate typed arrays (structured clone) all take
 * 40.8 MB; read back and dequantised in 273 / 295 / 286 ms (the same, within noise), written in
 * 116 / 199 / 213 ms. WebKit refuses some Blob writes (private mode, and "Error preparing Blob/File
 * data" bugs), so a refused Blob is written again as an ArrayBuffer, and reading accepts either.
 */
import { TOPIC_LEVELS, type TopicLevel } from '../math/topics/topics';
import type { TopicTerms } from '../math/topics/labels';
import type { PipelineParams, PipelineResult } from '../pipeline/types';
import { dequantiseRows, quantiseRows } from './quantise';
import type { CorpusFit } from '../model/corpus-fit';

/** Bump when the shape or meaning of a stored map changes: old entries are then recomputed. */
export const MAP_SCHEMA = 4;

/** A pipeline result with what it was computed from: the map as the app uses it. */
export interface MapEntry extends PipelineResult {
  key: string;
  schema: number;
  corpusHash: string;
  modelId: string;
  params: PipelineParams;
  createdAt: string;
  /** Computed ahead of time by npm run build-map and shipped with the deploy, not in this browser. */
  prebuilt?: boolean;
}

/** A map entry as stored: the typed arrays are in `data` (layout above). */
export interface StoredMap extends Omit<MapEntry, 'embeddings' | 'coords' | 'levels'> {
  /** Each level's topic names; the topic of each paper is in `data`. */
  terms: TopicTerms[][];
  data: Blob | ArrayBuffer;
}

/** Bytes of the binary part of a map of n papers. */
export function packedBytes(n: number, dims: number, levels = TOPIC_LEVELS.length): number {
  return 4 * (2 * n + levels * n + n + dims) + n * dims;
}

export function packMap(entry: MapEntry): StoredMap {
  const { embeddings, coords, levels, quantised, ...meta } = entry;
  // A fresh result brings its rows already quantised by the worker.
  const { codes, scales, centre } = quantised ?? quantiseRows(embeddings, entry.dims, entry.n);
  const data = new Blob([coords, ...levels.map((l) => l.topics), scales, centre, codes] as BlobPart[]);
  return { ...meta, schema: MAP_SCHEMA, terms: levels.map((l) => l.terms), data };
}

/** The same entry with its binary part as one ArrayBuffer, for stores that refuse Blobs. */
export async function withBufferData(stored: StoredMap): Promise<StoredMap> {
  return { ...stored, data: stored.data instanceof Blob ? await stored.data.arrayBuffer() : stored.data };
}

/** A stored corpus fit that a query can be blended with: sizes that agree, finite numbers. */
function validFit(fit: CorpusFit, dims: number): boolean {
  const { terms, idf, loadings, centre } = fit;
  return (
    Array.isArray(terms) && idf instanceof Float32Array && loadings instanceof Float32Array && centre instanceof Float32Array && Number.isInteger(fit.dims) && fit.dims > 0 && fit.dims < dims &&
    idf.length === terms.length && loadings.length === terms.length * fit.dims && centre.length === dims - fit.dims && Number.isInteger(fit.queryIgnores) && fit.queryIgnores >= 0 && fit.queryIgnores < dims && fit.weight > 0 && fit.weight <= 1 &&
    idf.every(Number.isFinite) && loadings.every(Number.isFinite) && centre.every(Number.isFinite)
  );
}

export type Unpacked = { entry: MapEntry; problem: null } | { entry: null; problem: string };

/**
 * The map of a stored entry for a corpus of n papers, vectors dequantised to float32; or why it
 * cannot be used (an older schema, the wrong size, a truncated or unreadable binary part, numbers
 * that cannot be right), so a broken entry is recomputed rather than drawn.
 */
export async function unpackMap(value: unknown, n: number): Promise<Unpacked> {
  const problem = (why: string): Unpacked => ({ entry: null, problem: why });
  const stored = value as Partial<StoredMap> | null;
  if (!stored || typeof stored !== 'object') return problem('not a map entry');
  if (stored.schema !== MAP_SCHEMA) return problem(`schema ${String(stored.schema)} is not ${MAP_SCHEMA}`);
  if (stored.n !== n) return problem(`it has ${String(stored.n)} papers, the corpus has ${n}`);
  const dims = stored.dims;
  // 0 for a map laid out by its file without vectors.
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 0) return problem('the vectors\' dimension is missing');
  const terms = stored.terms;
  if (!Array.isArray(terms) || terms.length !== TOPIC_LEVELS.length || !terms.every(Array.isArray)) return problem('topic levels are missing');
  if (!Array.isArray(stored.warnings)) return problem('warnings are missing');
  const fit = stored.corpusFit ?? null;
  if (fit !== null && !validFit(fit, dims)) return problem('its corpus fit is malformed');
  const data = stored.data;
  const size = data instanceof Blob ? data.size : data instanceof ArrayBuffer ? data.byteLength : -1;
  if (size < 0) return problem('the binary part is missing');
  const expected = packedBytes(n, dims, terms.length);
  if (size !== expected) return problem(`the binary part has ${size} bytes, not ${expected}: it is truncated or from another format`);
  let buffer: ArrayBuffer;
  try {
    buffer = data instanceof Blob ? await data.arrayBuffer() : (data as ArrayBuffer);
  } catch (error) {
    // The browser lost the file behind the Blob (storage cleared underneath, disk error).
    return problem(`the binary part cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  if (buffer.byteLength !== expected) return problem('the binary part changed size while it was read');

  let at = 0;
  const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, length: number, bytesEach: number): T => {
    const view = make(buffer, at, length);
    at += length * bytesEach;
    return view;
  };
  const coords = take((b, o, l) => new Float32Array(b, o, l), 2 * n, 4);
  const topics = terms.map(() => take((b, o, l) => new Int32Array(b, o, l), n, 4));
  const scales = take((b, o, l) => new Float32Array(b, o, l), n, 4);
  const centre = take((b, o, l) => new Float32Array(b, o, l), dims, 4);
  const codes = take((b, o, l) => new Int8Array(b, o, l), n * dims, 1);

  for (let i = 0; i < coords.length; i++) if (!Number.isFinite(coords[i])) return problem('coordinates are not finite');
  for (let i = 0; i < n; i++) if (!(scales[i]! >= 0 && scales[i]! < Infinity)) return problem('vector scales are not finite');
  for (let c = 0; c < dims; c++) if (!Number.isFinite(centre[c])) return problem('the mean vector is not finite');
  for (let l = 0; l < topics.length; l++) {
    const ids = topics[l]!;
    const count = terms[l]!.length;
    for (let i = 0; i < n; i++) if (ids[i]! < -1 || ids[i]! >= count) return problem(`topic ids at level ${l} are out of range`);
  }

  const levels: TopicLevel[] = topics.map((ids, l) => ({ topics: ids, terms: terms[l]! }));
  const { data: _data, terms: _terms, ...meta } = stored as StoredMap;
  const embeddings = dequantiseRows({ codes, scales, centre, dims });
  return { entry: { ...meta, embeddings, coords, levels }, problem: null };
}
