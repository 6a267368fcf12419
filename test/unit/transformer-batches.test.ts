/**
 * Pretrained (transformer) models embed the longest texts first, batched with texts of about their
 * own length (src/model/length-order.ts): far less padding, and the same vectors as each text
 * embedded alone. Run through the app's own transformers.js path (workers/embed.ts) on
 * onnxruntime-web's WASM backend, with a tiny random-weight BERT (scripts/lib/model/random-bert.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lengthOrder, pieceCount } from '../../src/model/length-order';
import { paperText } from '../../src/corpus/text';
import { wordPieceEncoderFor, type TokenizerJson } from '../../src/model/wordpiece';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { writeRandomBert } from '../../scripts/lib/model/random-bert';
import { nodeOrtUrl, useOnnxruntimeWeb } from '../../scripts/lib/node-ort';
import type { Corpus } from '../../src/corpus/types';
import type { Embedder } from '../../workers/embedder';

const modelDir = new URL(`../../public/models/${DEFAULT_MODEL_ID}/`, import.meta.url).pathname;
const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;
const texts = corpus.papers.map(paperText);

/** Padded positions a batching costs: each batch of `order` padded to its longest of `lengths`. */
function paddedLength(lengths: ArrayLike<number>, order: ArrayLike<number>, batchSize: number): number {
  let total = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    let longest = 0;
    const end = Math.min(order.length, start + batchSize);
    for (let i = start; i < end; i++) longest = Math.max(longest, lengths[order[i]!]!);
    total += longest * (end - start);
  }
  return total;
}

describe('lengthOrder', () => {
  it('puts the longest text first, keeps corpus order among equal lengths, and is a permutation', () => {
    const order = lengthOrder(['two words', 'now: four words', 'one', 'four, five words', '', 'x-ray, a test']);
    expect(Array.from(order)).toEqual([5, 1, 3, 0, 2, 4]);
    expect(['', 'one', 'two words', 'Ångström-scale', 'x, y.', '  spaced\tout\n'].map(pieceCount)).toEqual([0, 1, 2, 3, 4, 2]);
    const all = lengthOrder(texts);
    expect([...all].sort((a, b) => a - b)).toEqual([...texts.keys()]);
    for (let i = 1; i < all.length; i++) expect(pieceCount(texts[all[i - 1]!]!)).toBeGreaterThanOrEqual(pieceCount(texts[all[i]!]!));
  });

  it('cuts the padded tokens of the shipped corpus at batch 32 to within 10% of the real ones (token counts from the real tokenizer)', () => {
    // Truncated at 512 tokens, as MiniLM-style models are.
    const encoder = wordPieceEncoderFor(JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')) as TokenizerJson, { model_max_length: 512 })!;
    const tokens = texts.map((t) => encoder.encode(t).length);
    const real = tokens.reduce((a, b) => a + b, 0);
    const inCorpusOrder = paddedLength(tokens, [...texts.keys()], 32);
    const byLength = paddedLength(tokens, lengthOrder(texts), 32);
    expect(inCorpusOrder / real).toBeGreaterThan(1.3);
    expect(byLength / real).toBeLessThan(1.1);
  });
});

describe('a transformer model embeds by length, with the vectors of each text alone', () => {
  let dir: string;
  let embedder: Embedder;
  const sample = [...texts.slice(0, 40), '', 'It is, of the, and', 'graph neural networks '.repeat(300), 'a', 'Diffusion models.'];
  beforeAll(async () => {
    await useOnnxruntimeWeb();
    dir = mkdtempSync(join(tmpdir(), 'papermap-bert-'));
    writeRandomBert(join(dir, 'test', 'tiny-bert'), modelDir, { layers: 2, hidden: 32, heads: 4, intermediate: 64, positions: 512 });
    const { TransformersEmbedder } = await import('../../workers/embed-transformers');
    embedder = await TransformersEmbedder.load({ modelId: 'test/tiny-bert', modelsUrl: pathToFileURL(dir + '/').href, ortUrl: nodeOrtUrl(), device: 'wasm' });
  }, 60_000);
  afterAll(async () => {
    await embedder?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each row is the text embedded on its own (no padding), in corpus order', async () => {
    const batched = await embedder.embedAll(sample, 8, () => {});
    const dims = batched.dims;
    expect(dims).toBe(32);
    let worst = 0;
    for (let i = 0; i < sample.length; i++) {
      const alone = await embedder.embedAll([sample[i]!], 1, () => {});
      const row = batched.vectors.subarray(i * dims, (i + 1) * dims);
      for (let j = 0; j < dims; j++) worst = Math.max(worst, Math.abs(row[j]! - alone.vectors[j]!));
    }
    expect(worst).toBeLessThan(1e-5);
  }, 60_000);

  it('a run resumed part-way (as after a GPU failure) gives the vectors of the uninterrupted run', async () => {
    const whole = await embedder.embedAll(sample, 8, () => {});
    const order = lengthOrder(sample);
    const done = 16;
    const partial = new Float32Array(whole.vectors.length);
    for (const i of order.subarray(0, done)) partial.set(whole.vectors.subarray(i * whole.dims, (i + 1) * whole.dims), i * whole.dims);
    const progress: number[] = [];
    const resumed = await embedder.embedAll(sample, 8, (d) => progress.push(d), { vectors: partial, dims: whole.dims, done });
    expect(progress[0]).toBe(24);
    expect(resumed.vectors).toEqual(whole.vectors);
    expect(resumed.empty).toEqual(whole.empty);
  }, 60_000);
});
