/**
 * The order a transformer model embeds papers in: longest text first, so that each batch holds texts
 * of about one length and is padded to little more than its own (in corpus order a batch of 32 real
 * arXiv abstracts is padded to 1.48× its real tokens; in this order to 1.06×). sentence-transformers'
 * `encode` sorts the same way. Ties keep corpus order, so a run resumed after a GPU failure continues
 * the same order.
 */
export function lengthOrder(texts: readonly string[]): Int32Array {
  const pieces = texts.map(pieceCount);
  const order = Int32Array.from(texts.keys());
  return order.sort((a, b) => pieces[b]! - pieces[a]! || a - b);
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Runs of letters and digits plus single other marks: what BERT's pre-tokeniser splits a text into
 * before WordPiece, so close to its token count (characters are not: long words are few tokens) and
 * free to count. An estimate for other tokenisers too; it only groups texts into batches.
 */
export function pieceCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) {
      inWord = false;
      continue;
    }
    const letter = c < 128 ? (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) : LETTER_OR_DIGIT.test(text[i]!);
    if (!letter) count++;
    else if (!inWord) count++;
    inWord = letter;
  }
  return count;
}

