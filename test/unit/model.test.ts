import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer, env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { knownWords, SPECIAL_TOKENS } from '../../src/model/vocab';
import { buildVocab } from '../../scripts/lib/model/wordpiece';
import { preTokenize } from '../../src/model/pretokenize';
import { cooccurrence, prunedPpmi } from '../../scripts/lib/model/ppmi';
import { DEFAULT_FIT_OPTIONS, fitTokenVectors, isContentToken, type FitOptions } from '../../scripts/lib/model/fit';
import { dequantiseTable, quantiseTable } from '../../scripts/lib/model/onnx';
import { archiveOf, splitByPaper, type ArxivPaper } from '../../scripts/lib/arxiv';
import { blendWithFit, fitCorpus } from '../../src/model/corpus-fit';
import { DEFAULT_MODEL_ID, isValidModelId } from '../../src/model/models';
import type { Corpus } from '../../src/corpus/types';

const modelsDir = new URL('../../public/models/', import.meta.url).pathname;
const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;

describe('vocabulary', () => {
  const counts = (texts: string[]) => {
    const m = new Map<string, number>();
    for (const t of texts) for (const w of preTokenize(t)) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  };
  const options = { minWordCount: 2, maxWords: 100, minPieceWords: 1, maxPrefixes: 100, maxSuffixes: 100, maxWordLength: 24 };

  it('puts the special tokens first and is deterministic', () => {
    const texts = ['Graph neural networks for graphs.', 'Neural graph networks, again: graphs!'];
    const vocab = buildVocab(counts(texts), options);
    expect(vocab.slice(0, 5)).toEqual([...SPECIAL_TOKENS]);
    expect(vocab).toEqual(buildVocab(counts(texts), options));
    expect(vocab).toContain('graphs');
    expect(vocab).toContain('##s');
    expect(new Set(vocab).size).toBe(vocab.length);
  });

  it('keeps only the most frequent words when capped', () => {
    const vocab = buildVocab(counts(['galaxy galaxy galaxy star star comet']), { ...options, minWordCount: 1, minPieceWords: 99, maxWords: 2 });
    expect(vocab).toContain('galaxy');
    expect(vocab).toContain('star');
    expect(vocab).not.toContain('comet');
  });

  it('pre-tokenises like BERT: lower case, accents stripped, punctuation split off', () => {
    expect(preTokenize('Café-style RÉSUMÉ: 3D!')).toEqual(['cafe', '-', 'style', 'resume', ':', '3d', '!']);
  });

  it('accepts hub-style model ids and refuses paths', () => {
    expect(isValidModelId(DEFAULT_MODEL_ID)).toBe(true);
    expect(isValidModelId('Xenova/all-MiniLM-L6-v2')).toBe(true);
    expect(isValidModelId('../etc/passwd')).toBe(false);
    expect(isValidModelId('a/b/c')).toBe(false);
  });
});

describe('the training corpus split', () => {
  const paper = (id: string, category: string): ArxivPaper => ({ id, title: id, abstract: id, categories: [category], date: '' });
  const papers = Array.from({ length: 600 }, (_, i) => paper(`2501.${String(i).padStart(5, '0')}`, ['cs.CV', 'math.AP', 'quant-ph'][i % 3]!));

  it('is disjoint, complete, stratified by primary category, and the same every time', () => {
    const { train, dev } = splitByPaper(papers, 0.2);
    expect(train.length + dev.length).toBe(600);
    expect(new Set([...train, ...dev].map((p) => p.id)).size).toBe(600);
    for (const c of ['cs.CV', 'math.AP', 'quant-ph']) expect(dev.filter((p) => p.categories[0] === c).length).toBe(40);
    expect(splitByPaper([...papers].reverse(), 0.2).dev.map((p) => p.id).sort()).toEqual(dev.map((p) => p.id).sort());
  });

  it('names archives from categories', () => {
    expect(['cs.CV', 'cond-mat.mtrl-sci', 'quant-ph', 'astro-ph.GA'].map(archiveOf)).toEqual(['cs', 'cond-mat', 'quant-ph', 'astro-ph']);
  });
});

describe('fitting', () => {
  it('counts pairs within the window both ways, nearer pairs weighing more', () => {
    const counts = cooccurrence([Int32Array.from([0, 1, 2, 1])], 3, 2);
    expect(counts[0 * 3 + 1]).toBeCloseTo(1);
    expect(counts[0 * 3 + 2]).toBeCloseTo(0.5);
    expect(counts[1 * 3 + 2]).toBeCloseTo(2);
    expect(counts[2 * 3 + 1]).toBeCloseTo(2);
    expect(counts[1 * 3 + 1]).toBe(0);
  });

  it('keeps positive PMI only, symmetric, each row cut to its strongest entries', () => {
    const seqs = [[0, 1], [0, 1], [2, 3], [0, 3], [0, 1], [2, 3]].map((s) => Int32Array.from(s));
    const m = prunedPpmi(cooccurrence(seqs, 4, 1), 4, 1, 1);
    const at = (r: number, c: number) => {
      for (let e = m.rowStart[r]!; e < m.rowStart[r + 1]!; e++) if (m.cols[e] === c) return m.values[e]!;
      return 0;
    };
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(at(r, c)).toBeCloseTo(at(c, r));
    expect(at(0, 1)).toBeGreaterThan(0);
    expect(at(1, 2)).toBe(0);
  });

  const vocab = [...SPECIAL_TOKENS, 'the', 'star', 'galaxy', 'telescope', 'protein', 'enzyme', 'cell', '##s', '2024'];
  const id = (t: string) => vocab.indexOf(t);
  const texts = [
    ['star', 'galaxy', 'telescope'],
    ['the', 'galaxy', 'star', '2024'],
    ['telescope', 'star', 'the'],
    ['protein', 'enzyme', 'cell'],
    ['enzyme', 'the', 'cell'],
    ['cell', 'protein', 'the', '##s'],
  ].map((words, i) => ({ ids: words.map(id), category: i < 3 ? 0 : 1 }));
  const options: FitOptions = { ...DEFAULT_FIT_OPTIONS, generalDims: 3, fieldDims: 1, window: 3, keepPerRow: 10, fieldSample: 10, iterations: 4, seed: 1 };

  it('is deterministic, and gives stop words, numbers, specials and unseen pieces zero vectors', () => {
    const { table, dims } = fitTokenVectors(texts, vocab, 2, options);
    expect(table).toEqual(fitTokenVectors(texts, vocab, 2, options).table);
    const row = (t: string) => Array.from(table.subarray(id(t) * dims, (id(t) + 1) * dims));
    for (const t of ['the', '[CLS]', '[UNK]', '2024']) expect(row(t).every((x) => x === 0), t).toBe(true);
    expect(row('galaxy').some((x) => x !== 0)).toBe(true);
    expect(isContentToken('##s')).toBe(true);
  });

  it('puts words of one field closer than words of two', () => {
    const { table, dims } = fitTokenVectors(texts, vocab, 2, options);
    const cos = (a: string, b: string) => {
      const u = table.subarray(id(a) * dims, (id(a) + 1) * dims);
      const v = table.subarray(id(b) * dims, (id(b) + 1) * dims);
      return u.reduce((s, x, j) => s + x * v[j]!, 0) / Math.hypot(...u) / Math.hypot(...v);
    };
    expect(cos('galaxy', 'telescope')).toBeGreaterThan(cos('galaxy', 'enzyme') + 0.5);
    expect(cos('protein', 'cell')).toBeGreaterThan(cos('protein', 'star') + 0.5);
  });

  it('quantises the table to int8 rows within half a step', () => {
    const table = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i) * (i % 8 === 0 ? 0 : 1));
    const q = quantiseTable(table, 5, 8);
    const back = dequantiseTable(q);
    for (let t = 0; t < 5; t++) for (let j = 0; j < 8; j++) expect(Math.abs(back[t * 8 + j]! - table[t * 8 + j]!)).toBeLessThanOrEqual(q.scales[t]! / 2 + 1e-7);
  });
});

describe('the embedded model through transformers.js', () => {
  let extractor: FeatureExtractionPipeline;
  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = modelsDir;
    extractor = (await pipeline('feature-extraction', DEFAULT_MODEL_ID, { dtype: 'fp32' })) as FeatureExtractionPipeline;
  });
  const embed = async (texts: string[]) => {
    const out = await extractor(texts, { pooling: 'mean', normalize: true });
    const d = out.dims[1]!;
    return texts.map((_, i) => (out.data as Float32Array).slice(i * d, (i + 1) * d));
  };
  const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, j) => s + x * b[j]!, 0);

  it('splits an unseen word into known pieces instead of [UNK]', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(DEFAULT_MODEL_ID);
    const tokens = tokenizer.tokenize('hyperdesparsification');
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens).not.toContain('[UNK]');
    expect(knownWords(tokenizer.tokenize('qwxzv blorptk'))).toEqual([]);
  });

  it('gives unit-length vectors of the declared size', async () => {
    const config = JSON.parse(readFileSync(`${modelsDir}${DEFAULT_MODEL_ID}/config.json`, 'utf8'));
    const output = await extractor(['Diffusion models for image synthesis.', 'Pruning neural networks.'], { pooling: 'mean', normalize: true });
    expect(output.dims).toEqual([2, config.hidden_size]);
    const v = output.data as Float32Array;
    for (let r = 0; r < 2; r++) {
      const row = v.slice(r * config.hidden_size, (r + 1) * config.hidden_size);
      expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    }
  });

  it('pools a text of stop words and punctuation to the zero vector', async () => {
    const out = await extractor(['It is, of the, and -- but: which!'], { pooling: 'mean', normalize: false });
    expect(Array.from(out.data as Float32Array).every((x) => x === 0)).toBe(true);
  });

  it('knows scientific words from outside the shipped corpus: related words are closer than unrelated ones', async () => {
    const [galaxy, telescope, enzyme, protein, diffusion, denoising, graph] = await embed(['galaxy', 'telescope', 'enzyme', 'protein', 'diffusion', 'denoising', 'graph']);
    expect(cos(galaxy!, telescope!)).toBeGreaterThan(cos(galaxy!, enzyme!) + 0.5);
    expect(cos(enzyme!, protein!)).toBeGreaterThan(cos(enzyme!, telescope!) + 0.5);
    expect(cos(diffusion!, denoising!)).toBeGreaterThan(cos(diffusion!, graph!) + 0.3);
  });

  it('places papers on the same subject closer than papers on different subjects, on the map\'s vectors (fitted to the corpus)', async () => {
    const texts = corpus.papers.map((p) => `${p.title}. ${p.abstract}`);
    const out = await extractor(texts, { pooling: 'mean', normalize: true });
    const dims = out.dims[1]!;
    const model = { vectors: out.data as Float32Array, dims };
    const fit = fitCorpus(texts, model)!;
    const blended = blendWithFit(fit, model.vectors, dims, texts);
    const width = dims + fit.dims;
    const forward = corpus.papers.flatMap((p, i) => (/forward-forward/i.test(p.title) ? [i] : [])).slice(0, 3);
    const diffusion = corpus.papers.flatMap((p, i) => (/diffusion/i.test(p.title) ? [i] : [])).slice(0, 3);
    expect(forward.length).toBe(3);
    const v = [...forward, ...diffusion].map((i) => blended.subarray(i * width, (i + 1) * width));
    const group = (i: number) => (i < 3 ? 0 : 1);
    for (let i = 0; i < 6; i++) {
      const nearest = [0, 1, 2, 3, 4, 5].filter((j) => j !== i).sort((a, b) => cos(v[i]!, v[b]!) - cos(v[i]!, v[a]!))[0]!;
      expect(group(nearest), `nearest paper to ${i}`).toBe(group(i));
    }
  });
});

describe('known words of a query', () => {
  it('keeps whole words and words with a real stem, drops fragments and specials', () => {
    expect(knownWords(['[CLS]', 'diffusion', 'spars', '##ifying', 'qw', '##x', '##z', '!', '[SEP]'])).toEqual(['diffusion', 'sparsifying']);
    expect(knownWords(['bl', '##orp'])).toEqual([]);
  });
});
