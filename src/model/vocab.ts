/**
 * WordPiece vocabulary for the embedded model: frequent whole words, plus word-start pieces and
 * "##" continuation pieces learnt from the fitting text (WordNet and the corpus), so that an unseen
 * word ("sparsifying") still splits into meaningful parts ("spars", "##ifying") instead of [UNK].
 */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/**
 * Lower-cased, accent-stripped words and single punctuation marks: close to BERT's basic tokenizer,
 * used only to choose vocabulary candidates (the fitted vectors come from the real tokenizer's output).
 */
export function preTokenize(text: string): string[] {
  const folded = text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
  return folded.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
}

export interface VocabOptions {
  /** Whole words seen at least this often get their own token. */
  minWordCount: number;
  /** Pieces shared by at least this many distinct words get a token. */
  minPieceWords: number;
  maxWordLength: number;
  /** At most this many whole words (the most frequent), and this many pieces (the most shared). */
  maxWords?: number;
  maxPieces?: number;
}

export const DEFAULT_VOCAB_OPTIONS: VocabOptions = { minWordCount: 2, minPieceWords: 3, maxWordLength: 24, maxWords: 22000, maxPieces: 5000 };

/** Builds the ordered vocabulary: special tokens, characters, pieces, then words (ties broken alphabetically). */
export function buildVocab(texts: string[], options: VocabOptions = DEFAULT_VOCAB_OPTIONS): string[] {
  const wordCounts = new Map<string, number>();
  for (const text of texts) for (const w of preTokenize(text)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);

  const chars = new Set<string>();
  const prefixWords = new Map<string, number>();
  const suffixWords = new Map<string, number>();
  for (const word of wordCounts.keys()) {
    for (const ch of word) chars.add(ch);
    if (word.length < 4 || word.length > options.maxWordLength) continue;
    for (let len = 3; len <= Math.min(7, word.length - 1); len++) {
      const prefix = word.slice(0, len);
      prefixWords.set(prefix, (prefixWords.get(prefix) ?? 0) + 1);
    }
    for (let len = 2; len <= Math.min(6, word.length - 2); len++) {
      const suffix = '##' + word.slice(word.length - len);
      suffixWords.set(suffix, (suffixWords.get(suffix) ?? 0) + 1);
    }
  }

  const byCountThenName = (counts: Map<string, number>, min: number) =>
    [...counts.entries()]
      .filter(([, n]) => n >= min)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([token]) => token);

  const vocab: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(vocab);
  const add = (token: string) => {
    if (!seen.has(token)) {
      seen.add(token);
      vocab.push(token);
    }
  };
  const sortedChars = [...chars].sort();
  sortedChars.forEach(add);
  sortedChars.forEach((ch) => add('##' + ch));
  // Word-start pieces take 60% of the piece budget, "##" continuations 40%.
  const maxPieces = options.maxPieces ?? Infinity;
  byCountThenName(prefixWords, options.minPieceWords).slice(0, Math.ceil(maxPieces * 0.6)).forEach(add);
  byCountThenName(suffixWords, options.minPieceWords).slice(0, Math.floor(maxPieces * 0.4)).forEach(add);
  byCountThenName(wordCounts, options.minWordCount)
    .filter((w) => w.length <= options.maxWordLength)
    .slice(0, options.maxWords ?? Infinity)
    .forEach(add);
  return vocab;
}

/**
 * Words of a WordPiece token sequence that the model knows: a whole-word token, or a word whose
 * first piece is a real stem (4+ characters, as "spars" in "spars ##ifying"). A word that only
 * splits into short fragments ("qw ##x ##z") is unknown: its vector would be noise.
 */
export function knownWords(tokens: string[]): string[] {
  const words: string[][] = [];
  for (const token of tokens) {
    if (token.startsWith('##') && words.length > 0) words[words.length - 1]!.push(token);
    else words.push([token]);
  }
  return words
    .filter(([first, ...rest]) => /[\p{L}\p{N}]/u.test(first!) && !(SPECIAL_TOKENS as readonly string[]).includes(first!) && (rest.length === 0 ? first!.length >= 2 : first!.length >= 4))
    .map((pieces) => pieces.map((p, i) => (i === 0 ? p : p.slice(2))).join(''));
}
