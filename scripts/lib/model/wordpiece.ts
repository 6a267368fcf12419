/**
 * The embedded model's WordPiece vocabulary, learned from the training abstracts, and an encoder for
 * the build: BERT's pre-tokenisation as transformers.js does it (lower-case, accents stripped, split at
 * white space and punctuation), then greedy longest-match WordPiece, one cached lookup per distinct word.
 * Frequent words get their own token; word-start pieces and "##" continuations let an unseen word
 * ("sparsifying") split into meaningful parts ("spars", "##ifying") instead of [UNK].
 */
import { SPECIAL_TOKENS } from '../../../src/model/vocab';

/** transformers.js's BertPreTokenizer: runs of non-space non-punctuation, or one punctuation mark. */
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PIECES = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');
const CONTROL = /[\u0000\ufffd\p{Cc}\p{Cf}]/gu;
/** CJK ideographs, which BERT makes words of their own (its _is_chinese_char ranges). */
const CJK = /[\u4E00-\u9FFF\u3400-\u4DBF\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\uF900-\uFAFF\u{2F800}-\u{2FA1F}]/gu;

/** BertNormalizer (clean text, lower case, strip accents) and BertPreTokenizer, as the model's tokenizer.json asks. */
export function preTokenize(text: string): string[] {
  const cleaned = text.replace(CONTROL, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : '')).replace(CJK, (c) => ` ${c} `);
  const folded = cleaned.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
  return folded.match(PIECES) ?? [];
}

export interface VocabOptions {
  /** Whole words seen at least this often get their own token (the most frequent first). */
  minWordCount: number;
  maxWords: number;
  /** Pieces shared by at least this many distinct words get a token (the most shared first). */
  minPieceWords: number;
  maxPrefixes: number;
  maxSuffixes: number;
  maxWordLength: number;
}

export const DEFAULT_VOCAB_OPTIONS: VocabOptions = { minWordCount: 3, maxWords: 30_000, minPieceWords: 3, maxPrefixes: 4000, maxSuffixes: 3000, maxWordLength: 24 };

/** The ordered vocabulary: special tokens, characters (alone and as "##"), pieces, then words; ties alphabetical. */
export function buildVocab(wordCounts: Map<string, number>, options: VocabOptions = DEFAULT_VOCAB_OPTIONS): string[] {
  const chars = new Set<string>();
  const prefixes = new Map<string, number>();
  const suffixes = new Map<string, number>();
  for (const [word, count] of wordCounts) {
    for (const ch of word) chars.add(ch);
    if (word.length < 4 || word.length > options.maxWordLength || count < 2) continue;
    for (let len = 3; len <= Math.min(7, word.length - 1); len++) prefixes.set(word.slice(0, len), (prefixes.get(word.slice(0, len)) ?? 0) + 1);
    for (let len = 2; len <= Math.min(6, word.length - 2); len++) suffixes.set('##' + word.slice(-len), (suffixes.get('##' + word.slice(-len)) ?? 0) + 1);
  }
  const best = (counts: Map<string, number>, min: number, max: number) =>
    [...counts.entries()]
      .filter(([, n]) => n >= min)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, max)
      .map(([token]) => token);
  const vocab: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(vocab);
  const add = (token: string) => {
    if (seen.has(token)) return;
    seen.add(token);
    vocab.push(token);
  };
  const sortedChars = [...chars].sort();
  sortedChars.forEach(add);
  sortedChars.forEach((ch) => add('##' + ch));
  best(prefixes, options.minPieceWords, options.maxPrefixes).forEach(add);
  best(suffixes, options.minPieceWords, options.maxSuffixes).forEach(add);
  best(new Map([...wordCounts].filter(([w]) => [...w].length <= options.maxWordLength)), options.minWordCount, options.maxWords).forEach(add);
  return vocab;
}

/** WordPiece encoding, as Hugging Face's WordPiece model does it (max 100 characters a word, else [UNK]). */
export class WordPieceEncoder {
  private readonly ids: Map<string, number>;
  private readonly cache = new Map<string, readonly number[]>();
  readonly unk: number;

  constructor(readonly vocab: readonly string[]) {
    this.ids = new Map(vocab.map((token, i) => [token, i]));
    this.unk = this.ids.get('[UNK]')!;
  }

  word(word: string): readonly number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const chars = [...word];
    let out: number[] = [];
    if (chars.length > 100) out = [this.unk];
    for (let start = 0; out[0] !== this.unk && start < chars.length; ) {
      let end = chars.length;
      let found = -1;
      for (; end > start; end--) {
        const id = this.ids.get((start > 0 ? '##' : '') + chars.slice(start, end).join(''));
        if (id !== undefined) {
          found = id;
          break;
        }
      }
      if (found < 0) out = [this.unk];
      else {
        out.push(found);
        start = end;
      }
    }
    this.cache.set(word, out);
    return out;
  }

  /** Token ids of a text, without [CLS]/[SEP]. */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const w of preTokenize(text)) for (const id of this.word(w)) out.push(id);
    return out;
  }
}
