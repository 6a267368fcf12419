/**
 * WordPiece tokens as the app reads them: the special tokens of a BERT-style vocabulary, and which
 * words of a query the model knows (the vocabulary itself is learned by scripts/lib/model/wordpiece.ts).
 */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

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
