/**
 * The embedded model's fast path (workers/embed-static.ts) gives the vectors of transformers.js's
 * feature-extraction pipeline (mean pooling, normalised), bit for bit, on the shipped corpus and awkward texts,
 * reports the same texts as having no known word, and is taken only by static models.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { StaticEmbedder } from '../../workers/embed-static';
import { inSearchableMemory, searchableRows } from '../../src/math/knn/row-dots';
import { readStaticTable } from '../../src/model/static-model';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { paperText } from '../../src/corpus/text';
import type { Corpus } from '../../src/corpus/types';

const modelsDir = new URL('../../public/models/', import.meta.url).pathname;
const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;
const options = { modelId: DEFAULT_MODEL_ID, modelsUrl: pathToFileURL(modelsDir).href, ortUrl: '', device: 'wasm' as const };
const awkward = ['', 'It is, of the, and -- but: which!', 'qwxzv blorptk', 'The [MASK] token of BERT', '東京 🚀 naïve Ångström', 'graph neural networks '.repeat(600)];

describe('the static model without transformers.js', () => {
  let extractor: FeatureExtractionPipeline;
  let embedder: StaticEmbedder;
  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = modelsDir;
    extractor = (await pipeline('feature-extraction', DEFAULT_MODEL_ID, { dtype: 'fp32' })) as FeatureExtractionPipeline;
    embedder = (await StaticEmbedder.load(options))!;
  });

  /** The pipeline's vectors, with the rows that normalise to NaN (no known word) zeroed and listed, as embedAll does. */
  async function reference(texts: string[]): Promise<{ vectors: Float32Array; empty: number[] }> {
    const out = await extractor(texts, { pooling: 'mean', normalize: true });
    const dims = out.dims[1]!;
    const vectors = (out.data as Float32Array).slice();
    const empty: number[] = [];
    for (let r = 0; r < texts.length; r++) {
      const row = vectors.subarray(r * dims, (r + 1) * dims);
      if (row.some((x) => !Number.isFinite(x))) row.fill(0), empty.push(r);
    }
    return { vectors, empty };
  }

  it('is the path the embedded model takes, on the CPU', () => {
    expect(embedder).not.toBeNull();
    expect(embedder.embeddedOn).toBe('cpu');
    expect(embedder.corpusFit).toEqual({ dims: 64, queryIgnores: 64 });
  });

  it('gives the pipeline\'s vectors bit for bit on every shipped paper and on awkward texts', async () => {
    const texts = [...corpus.papers.map(paperText), ...awkward];
    const progress: number[] = [];
    const fast = await embedder.embedAll(texts, 16, (done) => progress.push(done));
    const expected = await reference(texts);
    expect(fast.dims).toBe(320);
    expect(fast.empty).toEqual(expected.empty);
    expect(fast.empty.map((i) => texts[i])).toEqual(['', 'It is, of the, and -- but: which!']);
    // Identical float32 values, not only close ones (the bound asked of the fast path was 1e-5): the same maps as before.
    const differing = fast.vectors.reduce((count, x, i) => count + (Object.is(x, expected.vectors[i]) ? 0 : 1), 0);
    expect(differing).toBe(0);
    expect(progress.at(-1)).toBe(texts.length);
  });

  it('continues a resumed run from where it stopped, with the same vectors', async () => {
    const texts = corpus.papers.slice(0, 300).map(paperText);
    const whole = await embedder.embedAll(texts, 16, () => undefined);
    const partial = { vectors: whole.vectors.slice(), dims: whole.dims, done: 100 };
    partial.vectors.fill(0, 100 * whole.dims);
    const resumed = await embedder.embedAll(texts, 16, () => undefined, partial);
    expect(resumed.vectors).toEqual(whole.vectors);
  });

  it('makes the vectors where the pipeline asks, with room for a blend; by default, a buffer that can be transferred (a query\'s)', async () => {
    const texts = corpus.papers.slice(0, 40).map(paperText);
    const plain = await embedder.embedAll(texts, 16, () => undefined);
    expect(inSearchableMemory(plain.vectors)).toBe(false);
    expect(() => structuredClone(plain.vectors, { transfer: [plain.vectors.buffer as ArrayBuffer] })).not.toThrow();
    const plainAgain = await embedder.embedAll(texts, 16, () => undefined);
    const homed = await embedder.embedAll(texts, 16, () => undefined, null, { roomPerRow: 64, allocate: searchableRows });
    expect(inSearchableMemory(homed.vectors)).toBe(true);
    expect(homed.room).toBe(64);
    expect(homed.vectors.length).toBe(texts.length * 320);
    expect(homed.vectors.buffer.byteLength).toBeGreaterThanOrEqual(texts.length * 384 * 4);
    expect(homed.vectors).toEqual(plainAgain.vectors);
  });

  it('tokenizes as transformers.js does', () => {
    for (const text of ['Sparsifying hyperdesparsification', ...awkward]) expect(embedder.tokenize(text)).toEqual(extractor.tokenizer.tokenize(text));
  });

  it('is not taken by a model without the papermap block or a graph that is not the lookup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'papermap-models-'));
    try {
      const copy = (id: string, config: object, onnx: Uint8Array) => {
        mkdirSync(join(dir, id, 'onnx'), { recursive: true });
        writeFileSync(join(dir, id, 'config.json'), JSON.stringify(config));
        for (const f of ['tokenizer.json', 'tokenizer_config.json']) writeFileSync(join(dir, id, f), readFileSync(join(modelsDir, DEFAULT_MODEL_ID, f)));
        writeFileSync(join(dir, id, 'onnx/model.onnx'), onnx);
      };
      const config = JSON.parse(readFileSync(join(modelsDir, DEFAULT_MODEL_ID, 'config.json'), 'utf8')) as { papermap?: unknown };
      const onnx = readFileSync(join(modelsDir, DEFAULT_MODEL_ID, 'onnx/model.onnx'));
      copy('org/plain', { ...config, papermap: undefined }, onnx);
      copy('org/other-graph', config, new Uint8Array(onnx.length));
      const load = (modelId: string) => StaticEmbedder.load({ ...options, modelId, modelsUrl: pathToFileURL(dir + '/').href });
      expect(await load('org/plain')).toBeNull();
      expect(await load('org/other-graph')).toBeNull();
      expect(await load('org/missing')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the int8 table and its scales out of model.onnx', () => {
    const table = readStaticTable(new Uint8Array(readFileSync(join(modelsDir, DEFAULT_MODEL_ID, 'onnx/model.onnx'))))!;
    expect([table.vocabSize, table.dims]).toEqual([35415, 320]);
    expect(table.codes.length).toBe(35415 * 320);
    // Special tokens and stop words pool to nothing: zero scale.
    expect(table.scales[0]).toBe(0);
    expect(Math.max(...table.scales)).toBeGreaterThan(0);
  });
});
