import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer, env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { buildVocab, knownWords, preTokenize, SPECIAL_TOKENS } from '../../src/model/vocab';
import { cooccurrenceCounts, fitTokenVectors, positivePmi, type FitOptions } from '../../src/model/fit';
import { parseWordNetData, wordNetContexts } from '../../src/model/wordnet';
import { DEFAULT_MODEL_ID, isValidModelId } from '../../src/model/models';
import type { Corpus } from '../../src/corpus/types';

const modelsDir = new URL('../../public/models/', import.meta.url).pathname;
const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;

describe('vocabulary', () => {
  it('puts the special tokens first and is deterministic', () => {
    const texts = ['Graph neural networks for graphs.', 'Neural graph networks, again: graphs!'];
    const vocab = buildVocab(texts, { minWordCount: 2, minPieceWords: 1, maxWordLength: 24 });
    expect(vocab.slice(0, 5)).toEqual([...SPECIAL_TOKENS]);
    expect(vocab).toEqual(buildVocab(texts, { minWordCount: 2, minPieceWords: 1, maxWordLength: 24 }));
    expect(vocab).toContain('graphs');
    expect(vocab).toContain('##s');
    expect(new Set(vocab).size).toBe(vocab.length);
  });

  it('keeps only the most frequent words when capped', () => {
    const vocab = buildVocab(['galaxy galaxy galaxy star star comet'], { minWordCount: 1, minPieceWords: 99, maxWordLength: 24, maxWords: 2 });
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

describe('WordNet contexts', () => {
  // Three synsets in the database's own line format (wninput(5WN)), with a licence line to skip.
  const nouns = [
    '  1 This software and database is being provided to you, the LICENSEE, by Princeton University',
    '00000100 05 n 01 astronomy 0 001 ~ 00000200 n 0000 | the branch of physics that studies celestial bodies',
    '00000200 05 n 02 galaxy 0 extragalactic_nebula 0 002 @ 00000300 n 0000 ;c 00000100 n 0000 | a collection of star systems; "the Milky Way is a galaxy"',
    '00000300 05 n 01 collection 0 000 | several things grouped together',
  ].join('\n');

  it('parses words, pointers and glosses', () => {
    const synsets = parseWordNetData(nouns);
    expect(synsets.map((s) => s.key)).toEqual(['n00000100', 'n00000200', 'n00000300']);
    expect(synsets[1]).toMatchObject({ words: ['galaxy', 'extragalactic nebula'], gloss: 'a collection of star systems; "the Milky Way is a galaxy"' });
    expect(synsets[1]!.pointers).toEqual([
      { symbol: '@', target: 'n00000300' },
      { symbol: ';c', target: 'n00000100' },
    ]);
  });

  it('puts a synset beside the words of its hypernym and topic domain, not its hyponyms', () => {
    const [astronomy, galaxy] = wordNetContexts({ noun: nouns });
    expect(galaxy).toBe('galaxy, extragalactic nebula ; a collection of star systems; "the Milky Way is a galaxy" ; collection ; astronomy');
    expect(astronomy).not.toContain('galaxy');
  });
});

describe('fitting', () => {
  it('counts each pair of distinct tokens within the window, both ways', () => {
    const rows = cooccurrenceCounts([Int32Array.from([0, 1, 2, 1])], 3, 2);
    expect([...rows[0]!.cols]).toEqual([1, 2]);
    expect([...rows[0]!.values]).toEqual([1, 1]);
    expect([...rows[1]!.cols]).toEqual([0, 2]);
    expect([...rows[1]!.values]).toEqual([1, 2]);
  });

  it('keeps only positive PMI: tokens seen together more than chance', () => {
    const counts = cooccurrenceCounts([Int32Array.from([0, 1]), Int32Array.from([0, 1]), Int32Array.from([2, 3]), Int32Array.from([0, 3])], 4, 1);
    const pmi = positivePmi(counts, 1);
    expect([...pmi[1]!.cols]).toEqual([0]);
    expect(pmi[1]!.values[0]).toBeGreaterThan(0);
  });

  const vocab = [...SPECIAL_TOKENS, 'the', 'star', 'galaxy', 'telescope', 'protein', 'enzyme', 'cell', '##s'];
  const id = (t: string) => vocab.indexOf(t);
  const texts = [
    ['star', 'galaxy', 'telescope'],
    ['the', 'galaxy', 'star'],
    ['telescope', 'star', 'the'],
    ['protein', 'enzyme', 'cell'],
    ['enzyme', 'the', 'cell'],
    ['cell', 'protein', 'the'],
  ].map((words) => words.map(id));
  const options: FitOptions = { generalDims: 2, corpusDims: 2, corpusWeight: 0.5, window: 3, smoothing: 0.75, sif: 1e-3, iterations: 4, seed: 1 };

  it('is deterministic, and gives stop words, specials and unseen tokens zero vectors', () => {
    const table = fitTokenVectors(texts, texts.slice(0, 4), vocab, options);
    expect(table).toEqual(fitTokenVectors(texts, texts.slice(0, 4), vocab, options));
    const dims = options.generalDims + options.corpusDims;
    const row = (t: string) => Array.from(table.subarray(id(t) * dims, (id(t) + 1) * dims));
    for (const t of ['the', '[CLS]', '[UNK]', '##s']) expect(row(t).every((x) => x === 0)).toBe(true);
    expect(row('galaxy').some((x) => x !== 0)).toBe(true);
  });

  it('puts words that share contexts closer than words that never meet', () => {
    const table = fitTokenVectors(texts, [], vocab, { ...options, corpusDims: 0 });
    const dims = options.generalDims;
    const cos = (a: string, b: string) => {
      const u = table.subarray(id(a) * dims, (id(a) + 1) * dims);
      const v = table.subarray(id(b) * dims, (id(b) + 1) * dims);
      return u.reduce((s, x, j) => s + x * v[j]!, 0) / Math.hypot(...u) / Math.hypot(...v);
    };
    expect(cos('galaxy', 'telescope')).toBeGreaterThan(cos('galaxy', 'enzyme') + 0.5);
    expect(cos('protein', 'cell')).toBeGreaterThan(cos('protein', 'star') + 0.5);
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

  it('knows words from outside the corpus: related words are closer than unrelated ones', async () => {
    const [galaxy, telescope, enzyme, protein, inflation, prices] = await embed(['galaxy', 'telescope', 'enzyme', 'protein', 'inflation', 'prices']);
    expect(cos(galaxy!, telescope!)).toBeGreaterThan(cos(galaxy!, enzyme!) + 0.2);
    expect(cos(enzyme!, protein!)).toBeGreaterThan(cos(enzyme!, inflation!) + 0.2);
    expect(cos(inflation!, prices!)).toBeGreaterThan(cos(inflation!, telescope!) + 0.2);
  });

  it('places papers on the same subject closer than papers on different subjects', async () => {
    const forward = corpus.papers.filter((p) => /forward-forward/i.test(p.title)).slice(0, 3);
    const diffusion = corpus.papers.filter((p) => /diffusion/i.test(p.title)).slice(0, 3);
    expect(forward.length).toBe(3);
    const v = await embed([...forward, ...diffusion].map((p) => `${p.title}. ${p.abstract}`));
    const group = (i: number) => (i < 3 ? 0 : 1);
    for (let i = 0; i < 6; i++) {
      const nearest = [0, 1, 2, 3, 4, 5].filter((j) => j !== i).sort((a, b) => cos(v[i]!, v[b]!) - cos(v[i]!, v[a]!))[0]!;
      expect(group(nearest), `nearest paper to ${i}`).toBe(group(i));
    }
    const within = (cos(v[0]!, v[1]!) + cos(v[0]!, v[2]!) + cos(v[1]!, v[2]!) + cos(v[3]!, v[4]!) + cos(v[3]!, v[5]!) + cos(v[4]!, v[5]!)) / 6;
    const across = [0, 1, 2].flatMap((a) => [3, 4, 5].map((b) => cos(v[a]!, v[b]!))).reduce((s, x) => s + x) / 9;
    // Every text shares the common direction of English, so cosines sit high: compare, don't threshold.
    expect(within).toBeGreaterThan(across + 0.1);
  });
});

describe('known words of a query', () => {
  it('keeps whole words and words with a real stem, drops fragments and specials', () => {
    expect(knownWords(['[CLS]', 'diffusion', 'spars', '##ifying', 'qw', '##x', '##z', '!', '[SEP]'])).toEqual(['diffusion', 'sparsifying']);
    expect(knownWords(['bl', '##orp'])).toEqual([]);
  });
});
