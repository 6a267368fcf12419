import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer, env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { buildVocab, preTokenize, SPECIAL_TOKENS } from '../../src/model/vocab';
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

describe('the embedded model through transformers.js', () => {
  let extractor: FeatureExtractionPipeline;
  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = modelsDir;
    extractor = (await pipeline('feature-extraction', DEFAULT_MODEL_ID, { dtype: 'fp32' })) as FeatureExtractionPipeline;
  });

  it('splits an unseen word into known pieces instead of [UNK]', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(DEFAULT_MODEL_ID);
    const tokens = tokenizer.tokenize('hyperdesparsification');
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens).not.toContain('[UNK]');
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

  it('places papers on the same subject closer than papers on different subjects', async () => {
    const forward = corpus.papers.filter((p) => /forward-forward/i.test(p.title)).slice(0, 3);
    const diffusion = corpus.papers.filter((p) => /diffusion/i.test(p.title)).slice(0, 3);
    expect(forward.length).toBe(3);
    const texts = [...forward, ...diffusion].map((p) => `${p.title}. ${p.abstract}`);
    const out = (await extractor(texts, { pooling: 'mean', normalize: true })).data as Float32Array;
    const d = out.length / 6;
    const cos = (a: number, b: number) => Array.from({ length: d }, (_, c) => out[a * d + c]! * out[b * d + c]!).reduce((s, x) => s + x);
    const within = (cos(0, 1) + cos(0, 2) + cos(1, 2) + cos(3, 4) + cos(3, 5) + cos(4, 5)) / 6;
    const across = [0, 1, 2].flatMap((a) => [3, 4, 5].map((b) => cos(a, b))).reduce((s, x) => s + x) / 9;
    expect(within).toBeGreaterThan(across + 0.2);
  });
});

describe('known words of a query', () => {
  it('keeps whole words and words with a real stem, drops fragments and specials', async () => {
    const { knownWords } = await import('../../src/model/vocab');
    expect(knownWords(['[CLS]', 'diffusion', 'spars', '##ifying', 'qw', '##x', '##z', '!', '[SEP]'])).toEqual(['diffusion', 'sparsifying']);
    expect(knownWords(['bl', '##orp'])).toEqual([]);
  });
});
