/**
 * The embedded model's WordPiece vocabulary, learned from the training abstracts. Words are counted
 * as the tokenizer sees them (src/model/wordpiece.ts, the one encoder the build and the app share).
 * Frequent words get their own token; word-start pieces and "##" continuations let an unseen word
 * ("sparsifying") split into meaningful parts ("spars", "##ifying") instead of [UNK].
 */
import { SPECIAL_TOKENS } from '../../../src/model/vocab';

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
