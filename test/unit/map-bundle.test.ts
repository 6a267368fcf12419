import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMapBundle, encodeMapBundle } from '../../src/cache/map-bundle';
import { mapKey, mapModelKey, type MapEntry } from '../../src/cache/maps';
import { corpusHash } from '../../src/corpus/ids';
import type { Corpus, Paper } from '../../src/corpus/types';
import { bundleGeometry, type MapManifest } from '../../src/cache/prebuilt';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { DEFAULT_PIPELINE_PARAMS } from '../../src/pipeline/types';
import { syntheticMapEntry } from '../support/synthetic-map';

const paper = (i: number): Paper => ({ id: `p${i}`, title: `Paper ${i}`, abstract: `About thing ${i}.`, authors: 2, organization: null, year: 2024, upvotes: null, dateText: null, date: '2024-05-01', sources: [] });

async function corpusOf(n: number): Promise<Corpus> {
  const papers = Array.from({ length: n }, (_, i) => paper(i));
  return { format: 'papermap-corpus', version: 1, hash: await corpusHash(papers), sources: [], papers };
}

async function mapOf(corpus: Corpus): Promise<MapEntry> {
  const fit = { terms: ['galaxy', 'protein', 'spin'], idf: Float32Array.from([1.5, 2, 2.5]), loadings: Float32Array.from({ length: 6 }, (_, i) => i / 10), dims: 2, weight: 0.3, centre: new Float32Array(14).fill(0.1), queryIgnores: 4 };
  return { ...syntheticMapEntry(corpus.papers.length, 16, { key: 'k' }), corpusHash: corpus.hash, corpusFit: fit, prebuilt: true };
}

const buffer = (bytes: Uint8Array) => bytes.slice().buffer;

describe('map bundles', () => {
  it('carry the corpus and the map, read back as the cache reads a map', async () => {
    const corpus = await corpusOf(7);
    const entry = await mapOf(corpus);
    const decoded = await decodeMapBundle(buffer(await encodeMapBundle(corpus, entry)));
    expect(decoded.problem).toBeNull();
    expect(decoded.corpus).toEqual(corpus);
    expect(decoded.entry!.coords).toEqual(entry.coords);
    expect(decoded.entry!.levels).toEqual(entry.levels);
    expect(decoded.entry!.corpusFit).toEqual(entry.corpusFit);
    expect(decoded.entry!.prebuilt).toBe(true);
    expect(decoded.entry!.key).toBe('k');
    // int8 vectors: within half a step of what was written.
    let worst = 0;
    for (let i = 0; i < entry.embeddings.length; i++) worst = Math.max(worst, Math.abs(decoded.entry!.embeddings[i]! - entry.embeddings[i]!));
    expect(worst).toBeLessThan(1 / 127);
  });

  it('are the same bytes for the same map (a build can be checked by rebuilding)', async () => {
    const corpus = await corpusOf(5);
    const entry = await mapOf(corpus);
    expect(await encodeMapBundle(corpus, entry)).toEqual(await encodeMapBundle(corpus, entry));
  });

  it('refuse a map of another corpus', async () => {
    const corpus = await corpusOf(5);
    await expect(encodeMapBundle(corpus, { ...(await mapOf(corpus)), corpusHash: 'other' })).rejects.toThrow(/corpus other, not/);
  });

  it('say in one sentence why damaged bytes cannot be opened', async () => {
    const corpus = await corpusOf(6);
    const bytes = await encodeMapBundle(corpus, await mapOf(corpus));
    const problem = async (edit: (b: Uint8Array) => Uint8Array) => (await decodeMapBundle(buffer(edit(bytes.slice())))).problem;
    expect(await problem(() => new TextEncoder().encode('id,title\n1,hello'))).toMatch(/not a Papermap map bundle/);
    expect(await problem((b) => b.subarray(0, 10))).toMatch(/not a Papermap map bundle/);
    expect(await problem((b) => b.subarray(0, 20))).toMatch(/truncated \(the header is cut off\)/);
    expect(await problem((b) => b.subarray(0, b.length - 1))).toMatch(/truncated or damaged/);
    expect(await problem((b) => {
      b[17] = 0x7d; // the header's JSON (after the 13-byte magic and its length) starts with "}"
      return b;
    })).toMatch(/header is not valid JSON/);
    // A paper's title changed: the corpus no longer matches its hash.
    expect(await problem((b) => {
      const at = Buffer.from(b).indexOf('Paper 3');
      b[at + 6] = 'X'.charCodeAt(0);
      return b;
    })).toMatch(/its corpus is not valid: .*does not match its hash/);
  });
});

describe('what a bundle was made from', () => {
  it('is read back from its model key, so the app files its map under the same key', () => {
    const entry = syntheticMapEntry(4, 8, { key: 'k' });
    for (const modelId of ['papermap/arxiv-320', 'org/model+xy-from-file', 'vectors-from-file', 'vectors-from-file+xy-from-file', 'xy-from-file']) {
      const { modelId: model, given } = bundleGeometry({ ...entry, modelId });
      expect(mapModelKey(model ?? DEFAULT_MODEL_ID, given)).toBe(modelId);
    }
    expect(bundleGeometry({ ...entry, modelId: 'org/model' })).toEqual({ modelId: 'org/model', given: null });
    expect(bundleGeometry({ ...entry, modelId: 'vectors-from-file' }).given!.vectors!.dims).toBe(8);
  });
});

describe('the shipped prebuilt map', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../public/maps/manifest.json', import.meta.url), 'utf8')) as MapManifest;
  const shipped = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;

  it('is the map of the shipped corpus with the default model and today\'s pipeline parameters', async () => {
    const key = mapKey(shipped.hash, DEFAULT_MODEL_ID, DEFAULT_PIPELINE_PARAMS);
    const listed = manifest.maps.find((m) => m.key === key);
    expect(listed, `public/maps/manifest.json lists no map for ${key}: run npm run build-map`).toBeDefined();
    const bytes = readFileSync(new URL(`../../public/maps/${listed!.file}`, import.meta.url));
    expect(bytes.length).toBe(listed!.bytes);
    const decoded = await decodeMapBundle(buffer(bytes));
    expect(decoded.problem).toBeNull();
    expect(decoded.corpus!.hash).toBe(shipped.hash);
    expect(decoded.entry!.n).toBe(shipped.papers.length);
    expect(decoded.entry!.key).toBe(key);
    expect(decoded.entry!.prebuilt).toBe(true);
  });
});
