/**
 * The fast WordPiece encoder (src/model/wordpiece.ts) gives exactly the ids of transformers.js's
 * tokenizer for the embedded model, [CLS]/[SEP] and truncation included: on every shipped paper, on
 * a fixed sample of over 20,000 papers of the training shards, and on texts made to be awkward.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { preTokenize } from '../../src/model/pretokenize';
import { wordPieceEncoderFor, WordPieceEncoder, type TokenizerJson } from '../../src/model/wordpiece';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { paperText } from '../../src/corpus/text';
import { readArxiv } from '../../scripts/lib/arxiv';
import type { Corpus } from '../../src/corpus/types';

const modelDir = new URL(`../../public/models/${DEFAULT_MODEL_ID}/`, import.meta.url).pathname;
const readJson = <T,>(file: string) => JSON.parse(readFileSync(modelDir + file, 'utf8')) as T;
const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;

/** Texts made to be awkward: every rule of the normaliser, the pre-tokeniser, WordPiece and truncation. */
const EDGE_CASES = [
  '',
  '   \t\n ',
  'Café-style RÉSUMÉ: naïve Ångström façade Øresund Łódź',
  'e\u0301te\u0301 (combining accents) and ﬁnance ﬂow (ligatures), ＡＢＣ１２３ (full width)',
  '$\\alpha$-stable $\\mathcal{O}(n^{2})$ bounds \\cite{smith2020}, $\\|x\\|_2 \\leq 1$ and ${}^{13}$C-NMR',
  '東京大学の研究 中文分词 한국어 텍스트 カタカナ 𠀀𠀁 (astral ideographs)',
  'Rockets 🚀 and scientists 👩‍🔬 with flags 🇫🇷 and ❤️ variation selectors',
  'a\u0000b\u0007c\u200bd\ufeffe\u00adf\tg\u000bh\u000ci\u0085j\u2028k\u00a0l\u3000m',
  'private \ue000use\udb80\udc00 and lone \ud800surrogates\udc00 too',
  'ΣΑΣ ΟΔΟΣ. AΣ.B ΣΑΣ-ΣΑΣ İstanbul ǅemal Straße',
  'Привет мир, हिन्दी भाषा, ภาษาไทย, العربية, עברית',
  'a'.repeat(100) + ' ' + 'b'.repeat(101) + ' ' + 'supercalifragilistic'.repeat(6) + ' é'.repeat(3) + 'x'.repeat(99) + 'é',
  'qwxzv blorptk zzzzq hyperdesparsification',
  'The [MASK] token, [CLS] and [SEP] as written, [cls] in lower case, [MAS K] broken, x[UNK]y and [PAD][MASK]',
  '⊗ ⊕ ∮ ∇ ≤ ≥ ≠ → ↦ ∀ ∃ ℝ ℕ ∞ ± × ÷ ° ′ ″ ‰ § ¶ † ‡ • … ‹ › « » “ ” ‘ ’ ‚ „',
  'numbers 3.14159, 1e-10, 10^{-3}, 2x2, 3D, 4K, 5G, COVID-19, H2O, x_1, i++',
  'graph neural networks '.repeat(400),
  'token '.repeat(1021),
  'token '.repeat(1022),
  'token '.repeat(1023),
];

describe('the fast WordPiece encoder', () => {
  let tokenizer: PreTrainedTokenizer;
  let encoder: WordPieceEncoder;
  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.localModelPath = new URL('../../public/models/', import.meta.url).pathname;
    tokenizer = await AutoTokenizer.from_pretrained(DEFAULT_MODEL_ID);
    encoder = wordPieceEncoderFor(readJson<TokenizerJson>('tokenizer.json'), readJson('tokenizer_config.json'))!;
  });

  /** Ids as transformers.js's feature-extraction pipeline makes them: special tokens added, cut at model_max_length. */
  const reference = (texts: string[]) => (tokenizer(texts, { truncation: true, return_tensor: false }) as unknown as { input_ids: number[][] }).input_ids;

  const expectSameIds = (texts: string[]) => {
    const packed = encoder.encodeBatch(texts);
    const expected = reference(texts);
    const mismatches = texts.flatMap((text, t) => {
      const ids = Array.from(packed.ids.subarray(packed.offsets[t]!, packed.offsets[t + 1]!));
      return ids.join() === expected[t]!.join() ? [] : [{ text: text.slice(0, 80), ids, expected: expected[t] }];
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
  };

  it('is what the app builds for the embedded model', () => {
    expect(encoder).not.toBeNull();
    expect(encoder.vocab.length).toBe(readJson<{ vocab_size: number }>('config.json').vocab_size);
  });

  it('gives transformers.js\'s ids on every shipped paper', () => {
    expectSameIds(corpus.papers.map(paperText));
  });

  it('gives transformers.js\'s ids on the awkward texts', () => {
    expectSameIds(EDGE_CASES);
    for (const text of EDGE_CASES) expect(encoder.tokenize(text), text.slice(0, 40)).toEqual(tokenizer.tokenize(text));
  });

  it('cuts at the model\'s maximum length as transformers.js does (without [SEP])', () => {
    const packed = encoder.encodeBatch(['token '.repeat(2000), 'short']);
    expect(packed.offsets[1]).toBe(1024);
    expect(encoder.vocab[packed.ids[0]!]).toBe('[CLS]');
    expect(encoder.vocab[packed.ids[1023]!]).toBe('token');
    expect(Array.from(packed.ids.subarray(1024))).toEqual(reference(['short'])[0]);
  });

  it('gives transformers.js\'s ids on a fixed sample of 21,000+ papers of the training shards', () => {
    const papers = readArxiv();
    // Every ninth paper, and from the others those that take the slow (non-ASCII) path or hold a written special token.
    const sample = papers.filter((p, i) => i % 9 === 0 || (i % 9 === 1 && /[^\t\n\r\x20-\x7e]|\[[A-Z]+\]/.test(paperText(p)))).map(paperText);
    expect(sample.length).toBeGreaterThan(21_000);
    for (let start = 0; start < sample.length; start += 2000) expectSameIds(sample.slice(start, start + 2000));
  });

  it('reads special tokens as words when asked (the model build) and counts words as the tokenizer splits them', () => {
    const build = new WordPieceEncoder(encoder.vocab, { splitSpecialTokens: false });
    expect(build.tokenize('the [MASK] token')).toEqual(['the', '[', 'mask', ']', 'token']);
    expect(encoder.tokenize('the [MASK] token')).toEqual(['the', '[MASK]', 'token']);
    expect(preTokenize('Café-style RÉSUMÉ: 3D! 東京')).toEqual(['cafe', '-', 'style', 'resume', ':', '3d', '!', '東', '京']);
  });

  it('refuses a tokenizer it does not reproduce', () => {
    const json = readJson<TokenizerJson>('tokenizer.json');
    expect(wordPieceEncoderFor({ ...json, normalizer: { ...json.normalizer, lowercase: false } }, {})).toBeNull();
    expect(wordPieceEncoderFor({ ...json, pre_tokenizer: { type: 'Whitespace' } }, {})).toBeNull();
    expect(wordPieceEncoderFor({ ...json, model: { ...json.model, type: 'BPE' } }, {})).toBeNull();
  });
});
