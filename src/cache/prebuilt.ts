/**
 * Prebuilt maps in the browser: the list a deploy ships (public/maps/manifest.json, written by
 * npm run build-map), found by the key the map cache uses, so a prebuilt map is used exactly where the
 * browser would otherwise compute that same map; and any bundle opened by its URL (?map=).
 */
import { decodeMapBundle, type DecodedBundle } from './map-bundle';
import type { MapEntry } from './map-format';
import type { GivenGeometry } from '../pipeline/types';

export const MANIFEST_FILE = 'manifest.json';

export interface MapManifest {
  format: 'papermap-maps';
  version: 1;
  maps: { key: string; corpusHash: string; modelId: string; papers: number; file: string; bytes: number }[];
}

/** The bundle at `url`, or why it cannot be opened (said with `name`, how the user knows it). */
export async function fetchMapBundle(url: string | URL, name: string): Promise<DecodedBundle> {
  const failed = (why: string): DecodedBundle => ({ corpus: null, entry: null, problem: `${name} ${why}` });
  let bytes: ArrayBuffer;
  try {
    const response = await fetch(url);
    if (!response.ok) return failed(`could not be fetched (HTTP ${response.status})`);
    bytes = await response.arrayBuffer();
  } catch (error) {
    return failed(`could not be fetched (${error instanceof Error ? error.message : String(error)})`);
  }
  const decoded = await decodeMapBundle(bytes);
  return decoded.problem === null ? decoded : failed(`is not usable: ${decoded.problem}`);
}

/**
 * The prebuilt map with this key under `mapsUrl`, or null when the deploy has none (no manifest, no
 * such key, or the network is down: the browser then computes the map). A listed but broken bundle is a problem to report.
 */
export async function fetchPrebuilt(mapsUrl: string, key: string): Promise<DecodedBundle | null> {
  let manifest: MapManifest;
  try {
    const response = await fetch(new URL(MANIFEST_FILE, mapsUrl));
    if (!response.ok) return null;
    manifest = (await response.json()) as MapManifest;
  } catch {
    return null;
  }
  const listed = Array.isArray(manifest?.maps) ? manifest.maps.find((m) => m?.key === key) : undefined;
  if (!listed || typeof listed.file !== 'string') return null;
  return fetchMapBundle(new URL(listed.file, mapsUrl), `The prebuilt map ${listed.file}`);
}

/**
 * What a bundle's map was made from, read from its model key (see mapModelKey): the model that ran
 * (null when the file brought vectors or only positions), and what the file gave besides its texts.
 */
export function bundleGeometry(entry: MapEntry): { modelId: string | null; given: GivenGeometry | null } {
  const [base = '', more] = entry.modelId.split('+');
  const coords = base === 'xy-from-file' || more === 'xy-from-file' ? entry.coords : null;
  if (base === 'xy-from-file') return { modelId: null, given: { vectors: null, coords } };
  if (base === 'vectors-from-file') return { modelId: null, given: { vectors: { data: entry.embeddings, dims: entry.dims }, coords } };
  return { modelId: base, given: coords ? { vectors: null, coords, embed: true } : null };
}
