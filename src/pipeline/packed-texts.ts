/**
 * A run's texts as they cross from one thread to another: one UTF-8 buffer and each text's end in it,
 * moved by transfer. An array of strings is copied by every postMessage (a serialised copy in the
 * sender, another in the receiver), and the sender's strings linger on its heap until a full
 * collection: at 100,000 papers, ~110 MB on the page and again in the pipeline worker. Packed, the
 * page makes each text only for the moment it is encoded, and the bytes move on, uncopied, from the
 * page to the pipeline worker and from it to the text worker.
 */

/** The texts to pack, made one at a time on demand, so no array of them is held. */
export interface TextSource {
  count: number;
  text(i: number): string;
}

export interface PackedTexts {
  /** Every text's UTF-8 bytes, one after another. */
  bytes: Uint8Array;
  /** Text i is bytes[ends[i − 1] … ends[i]) (from 0 for the first). */
  ends: Uint32Array;
}

/** A source over texts already in an array. */
export const textsOf = (texts: readonly string[]): TextSource => ({ count: texts.length, text: (i) => texts[i]! });

/**
 * Packs the texts: a first pass measures their UTF-8 bytes, so the one buffer is allocated at its size
 * and nothing but it (moved on by transfer) is left behind. Lone surrogates (never in a well-formed
 * text) become U+FFFD, as UTF-8 has no way to write them.
 */
export function packTexts(source: TextSource): PackedTexts {
  const { count } = source;
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(1 << 16);
  let size = 0;
  for (let i = 0; i < count; i++) {
    const text = source.text(i);
    // A UTF-16 unit takes at most three UTF-8 bytes.
    if (3 * text.length > scratch.length) scratch = new Uint8Array(3 * text.length);
    size += encoder.encodeInto(text, scratch).written;
  }
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(count);
  for (let i = 0, at = 0; i < count; i++) ends[i] = at += encoder.encodeInto(source.text(i), bytes.subarray(at)).written;
  return { bytes, ends };
}

/** The texts, each a string of its own. */
export function unpackTexts({ bytes, ends }: PackedTexts): string[] {
  const decoder = new TextDecoder();
  const texts = new Array<string>(ends.length);
  for (let i = 0, from = 0; i < ends.length; from = ends[i++]!) texts[i] = decoder.decode(bytes.subarray(from, ends[i]));
  return texts;
}

/** What to transfer with a message that carries packed texts. */
export const packedTransfer = ({ bytes, ends }: PackedTexts): ArrayBuffer[] => [bytes.buffer as ArrayBuffer, ends.buffer as ArrayBuffer];
