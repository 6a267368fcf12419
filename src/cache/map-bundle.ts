/**
 * A prebuilt map as one static file (`npm run build-map` writes it; the app opens it without
 * computing anything): the corpus and its computed map in the stored format of map-format.ts.
 *
 *   "PAPERMAP-MAP\n" | u32 header bytes | header JSON | zero padding to 8 | map data | corpus-fit arrays
 *
 * The header holds the corpus (as corpus.json has it) and the map's metadata; the binary part is the
 * cache's own packed arrays (positions, topics, int8 vectors), then the corpus fit's float32 arrays.
 * Decoding checks everything the cache checks, and that the map belongs to the corpus it came with.
 */
import { validateCorpus } from '../corpus/load';
import type { Corpus } from '../corpus/types';
import type { CorpusFit } from '../model/corpus-fit';
import { MAP_SCHEMA, packedBytes, packMap, unpackMap, type MapEntry, type StoredMap } from './map-format';

const MAGIC = 'PAPERMAP-MAP\n';
export const BUNDLE_EXTENSION = '.papermap';

/** The corpus fit without its arrays, which travel in the binary part. */
type FitHeader = Omit<CorpusFit, 'idf' | 'loadings' | 'centre'>;

interface BundleHeader {
  format: 'papermap-map';
  version: 1;
  corpus: Corpus;
  map: Omit<StoredMap, 'data' | 'corpusFit'> & { corpusFit: FitHeader | null };
}

export type DecodedBundle = { corpus: Corpus; entry: MapEntry; problem: null } | { corpus: null; entry: null; problem: string };

/** The bundle's bytes. `entry` must be a map of `corpus` (its corpusHash), with its quantised rows or its vectors. */
export async function encodeMapBundle(corpus: Corpus, entry: MapEntry): Promise<Uint8Array> {
  if (entry.corpusHash !== corpus.hash) throw new Error(`the map is of corpus ${entry.corpusHash}, not ${corpus.hash}`);
  const { data, corpusFit, ...meta } = packMap(entry);
  const fitArrays = corpusFit ? [corpusFit.idf, corpusFit.loadings, corpusFit.centre] : [];
  const fitHeader: FitHeader | null = corpusFit ? { terms: corpusFit.terms, dims: corpusFit.dims, weight: corpusFit.weight, queryIgnores: corpusFit.queryIgnores } : null;
  const header: BundleHeader = { format: 'papermap-map', version: 1, corpus, map: { ...meta, corpusFit: fitHeader } };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = align8(MAGIC.length + 4 + json.length);
  const mapBytes = new Uint8Array(data instanceof Blob ? await data.arrayBuffer() : data);
  const out = new Uint8Array(start + mapBytes.length + fitArrays.reduce((sum, a) => sum + a.byteLength, 0));
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  out.set(mapBytes, start);
  let at = start + mapBytes.length;
  for (const array of fitArrays) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += array.byteLength;
  }
  return out;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** The corpus and map of a bundle, or one sentence saying why the bytes are not a usable one. */
export async function decodeMapBundle(bytes: ArrayBuffer): Promise<DecodedBundle> {
  const problem = (why: string): DecodedBundle => ({ corpus: null, entry: null, problem: why });
  const head = new Uint8Array(bytes, 0, Math.min(bytes.byteLength, MAGIC.length));
  if (new TextDecoder().decode(head) !== MAGIC) return problem('it is not a Papermap map bundle (it does not start with PAPERMAP-MAP)');
  if (bytes.byteLength < MAGIC.length + 4) return problem('it is truncated (no header)');
  const length = new DataView(bytes).getUint32(MAGIC.length, true);
  const start = align8(MAGIC.length + 4 + length);
  if (start > bytes.byteLength) return problem('it is truncated (the header is cut off)');
  let header: BundleHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes, MAGIC.length + 4, length))) as BundleHeader;
  } catch {
    return problem('its header is not valid JSON');
  }
  if (header?.format !== 'papermap-map' || header.version !== 1) return problem(`its header is not a version 1 map bundle (format ${String(header?.format)}, version ${String(header?.version)})`);
  let corpus: Corpus;
  try {
    corpus = await validateCorpus(header.corpus);
  } catch (error) {
    return problem(`its corpus is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
  const meta = header.map;
  if (!meta || typeof meta !== 'object') return problem('its map is missing');
  if (meta.corpusHash !== corpus.hash) return problem('its map was computed for another corpus than the one it carries');
  if (meta.schema !== MAP_SCHEMA) return problem(`its map is in format ${String(meta.schema)}, and this version of Papermap reads ${MAP_SCHEMA}: build it again with npm run build-map`);
  const n = corpus.papers.length;
  const dims = Number.isInteger(meta.dims) && meta.dims >= 0 ? meta.dims : 0;
  const levels = Array.isArray(meta.terms) ? meta.terms.length : 0;
  const mapLength = packedBytes(n, dims, levels);
  const fit = meta.corpusFit;
  const fitFloats = fit ? (Array.isArray(fit.terms) ? fit.terms.length : 0) * (1 + (Number.isInteger(fit.dims) ? fit.dims : 0)) + dims - (Number.isInteger(fit.dims) ? fit.dims : 0) : 0;
  if (bytes.byteLength !== start + mapLength + 4 * fitFloats) return problem(`it has ${bytes.byteLength} bytes, not the ${start + mapLength + 4 * fitFloats} its header describes: it is truncated or damaged`);
  let corpusFit: CorpusFit | null = null;
  if (fit) {
    // Copied out: float32 views need 4-byte alignment, which the bundle guarantees only for its start.
    const floats = new Float32Array(bytes.slice(start + mapLength));
    const t = fit.terms.length;
    corpusFit = { ...fit, idf: floats.slice(0, t), loadings: floats.slice(t, t + t * fit.dims), centre: floats.slice(t + t * fit.dims) };
  }
  const unpacked = await unpackMap({ ...meta, corpusFit, data: bytes.slice(start, start + mapLength) }, n);
  if (unpacked.problem !== null) return problem(`its map is not usable: ${unpacked.problem}`);
  return { corpus, entry: unpacked.entry, problem: null };
}
