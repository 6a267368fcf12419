/**
 * The embedded model's tokenizer, written to give exactly the ids that transformers.js's tokenizer
 * gives for its tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] … [SEP]), several
 * times faster: one implementation for the app (workers/embed-static.ts) and for the model build
 * (scripts/build-model.ts). test/unit/wordpiece.test.ts checks the ids against transformers.js on
 * the shipped corpus, 21,000+ papers of the training shards and texts made to be awkward.
 *
 * What it does, in transformers.js's order:
 * 1. the literal special tokens ("[MASK]" …) are cut out of the raw text and kept as they are;
 * 2. each other section is normalised: control characters dropped, CJK ideographs spaced, lower
 *    case, accents stripped (NFD, combining marks removed). A section of printable ASCII needs only
 *    the lower case: the fast path, which most abstracts take;
 * 3. words are runs of characters that are neither white space nor punctuation; each punctuation
 *    mark is a word of its own;
 * 4. each word is split by greedy longest match in a trie of the vocabulary ("##" marks a
 *    continuation); a word with a piece the vocabulary lacks, or over 100 characters, is one [UNK];
 * 5. [CLS] … [SEP] around it, cut to the model's maximum length (the cut drops [SEP], as transformers.js does).
 * Ids go into one growing Int32Array; no string is made per token or per word. There is no per-word
 * cache: walking a word down the trie is the lookup a cache would make (a hash probe per character)
 * and allocates nothing, where a cache needs the word as a string first.
 * Steps 2 and 3 are ./pretokenize.ts and the trie of step 4 is ./vocab-trie.ts; the rest is here.
 */
import { bertNormalise, splitWords, WordSpans } from './pretokenize';
import { VocabTrie } from './vocab-trie';
import { SPECIAL_TOKENS } from './vocab';

/** Token ids of many texts, flat: text t is ids[offsets[t]] … ids[offsets[t + 1] − 1]. */
export interface PackedTokens {
  ids: Int32Array;
  offsets: Int32Array;
}

export interface WordPieceOptions {
  /** Longest encoded text, [CLS] and [SEP] included (tokenizer_config.json's model_max_length); longer ones are cut. */
  maxLength?: number;
  /** Words longer than this (in code points) are one [UNK] (tokenizer.json's max_input_chars_per_word). */
  maxInputCharsPerWord?: number;
  /**
   * Read "[MASK]", "[CLS]" … written in a text as those special tokens, as transformers.js does
   * (default). The model build reads them as words: the model was trained on them that way.
   */
  splitSpecialTokens?: boolean;
}

export class WordPieceEncoder {
  private readonly trie: VocabTrie;
  /** The trie node of "##", where continuation pieces start; −1 when the vocabulary has none. */
  private readonly continuation: number;
  private readonly unk: number;
  private readonly cls: number;
  private readonly sep: number;
  private readonly specials: { text: string; id: number }[];
  private readonly maxLength: number;
  private readonly maxChars: number;
  private readonly spans = new WordSpans();
  private out = new Int32Array(1 << 16);
  private length = 0;

  constructor(
    readonly vocab: readonly string[],
    options: WordPieceOptions = {},
  ) {
    this.trie = new VocabTrie(vocab);
    this.continuation = this.trie.walk('##');
    const id = (token: string) => {
      const node = this.trie.walk(token);
      const found = node >= 0 ? this.trie.tokenAt[node]! : -1;
      if (found < 0) throw new Error(`the vocabulary has no ${token}`);
      return found;
    };
    [this.unk, this.cls, this.sep] = [id('[UNK]'), id('[CLS]'), id('[SEP]')];
    this.specials = options.splitSpecialTokens === false ? [] : SPECIAL_TOKENS.filter((t) => this.trie.walk(t) >= 0).map((text) => ({ text, id: id(text) }));
    this.maxLength = options.maxLength ?? Infinity;
    this.maxChars = options.maxInputCharsPerWord ?? 100;
  }

  /** Token ids of a text without [CLS]/[SEP] and uncut (what the model build trains on). */
  encode(text: string): number[] {
    this.length = 0;
    this.encodeText(text);
    return Array.from(this.out.subarray(0, this.length));
  }

  /** Token ids of texts[from … to − 1] as the model sees them: [CLS] … [SEP], cut to the maximum length. */
  encodeBatch(texts: readonly string[], from = 0, to = texts.length): PackedTokens {
    const offsets = new Int32Array(to - from + 1);
    this.length = 0;
    for (let t = from; t < to; t++) {
      const start = this.length;
      this.push(this.cls);
      this.encodeText(texts[t]!);
      this.push(this.sep);
      this.length = Math.min(this.length, start + this.maxLength);
      offsets[t - from + 1] = this.length;
    }
    return { ids: this.out.slice(0, this.length), offsets };
  }

  /** The tokens of a text, without [CLS]/[SEP] (transformers.js's tokenizer.tokenize). */
  tokenize(text: string): string[] {
    return this.encode(text).map((id) => this.vocab[id]!);
  }

  /** Appends a text's ids: special tokens written in it as they are, the rest normalised and split. */
  private encodeText(text: string): void {
    let from = 0;
    for (let at = this.nextSpecial(text, 0); at; at = this.nextSpecial(text, from)) {
      if (at.index > from) this.encodeSection(text.slice(from, at.index));
      this.push(at.id);
      from = at.index + at.length;
    }
    this.encodeSection(from === 0 ? text : text.slice(from));
  }

  /** The first special token written in the text at or after `from` (none overlap, so the first found is the match). */
  private nextSpecial(text: string, from: number): { index: number; length: number; id: number } | null {
    if (this.specials.length === 0 || text.indexOf('[', from) < 0) return null;
    let best: { index: number; length: number; id: number } | null = null;
    for (const { text: token, id } of this.specials) {
      const index = text.indexOf(token, from);
      if (index >= 0 && (!best || index < best.index)) best = { index, length: token.length, id };
    }
    return best;
  }

  private encodeSection(section: string): void {
    if (section.length === 0) return;
    const text = bertNormalise(section);
    const { spans } = this;
    splitWords(text, spans);
    for (let w = 0; w < spans.count; w++) this.encodeWord(text, spans.starts[w]!, spans.ends[w]!, spans.chars[w]!);
  }

  /** Greedy longest-match WordPiece of text[start … end − 1]; the whole word is [UNK] if any piece is missing. */
  private encodeWord(text: string, start: number, end: number, chars: number): void {
    if (chars > this.maxChars) return this.push(this.unk);
    const { trie } = this;
    const mark = this.length;
    for (let pos = start, root = 0; pos < end; root = this.continuation) {
      let best = -1;
      let bestEnd = pos;
      for (let i = pos, node = root; i < end && node >= 0; i++) {
        node = trie.child(node, text.charCodeAt(i));
        if (node >= 0 && trie.tokenAt[node]! >= 0) (best = trie.tokenAt[node]!), (bestEnd = i + 1);
      }
      if (best < 0) {
        this.length = mark;
        return this.push(this.unk);
      }
      this.push(best);
      pos = bestEnd;
    }
  }

  private push(id: number): void {
    if (this.length === this.out.length) {
      const next = new Int32Array(this.out.length * 2);
      next.set(this.out);
      this.out = next;
    }
    this.out[this.length++] = id;
  }
}

/** The parts of a tokenizer.json (Hugging Face tokenizers' format) that decide how it encodes. */
export interface TokenizerJson {
  added_tokens?: { content: string; normalized?: boolean; lstrip?: boolean; rstrip?: boolean }[];
  normalizer?: { type?: string; clean_text?: boolean; handle_chinese_chars?: boolean; lowercase?: boolean; strip_accents?: boolean | null };
  pre_tokenizer?: { type?: string };
  post_processor?: { type?: string; single?: unknown[] };
  truncation?: unknown;
  model?: { type?: string; vocab?: Record<string, number>; continuing_subword_prefix?: string; unk_token?: string; max_input_chars_per_word?: number };
}

const CLS_A_SEP = JSON.stringify([{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }]);

/**
 * The encoder for a tokenizer.json when it is exactly what WordPieceEncoder reproduces (BERT's
 * uncased normaliser and pre-tokeniser, "##" WordPiece, [CLS] A [SEP], special tokens matched as
 * written); null otherwise. `config`: its tokenizer_config.json (model_max_length).
 */
export function wordPieceEncoderFor(tokenizer: TokenizerJson, config: { model_max_length?: number }): WordPieceEncoder | null {
  const { normalizer: norm, model, post_processor: post } = tokenizer;
  const bertNormaliser = norm?.type === 'BertNormalizer' && norm.clean_text === true && norm.handle_chinese_chars === true && norm.lowercase === true && norm.strip_accents !== false;
  const wordPiece = model?.type === 'WordPiece' && model.continuing_subword_prefix === '##' && model.unk_token === '[UNK]' && model.vocab;
  const template = post?.type === 'TemplateProcessing' && JSON.stringify(post.single) === CLS_A_SEP;
  const plainAdded = (tokenizer.added_tokens ?? []).every((t) => !t.normalized && !t.lstrip && !t.rstrip && /^\[[A-Z]+\]$/.test(t.content));
  if (!bertNormaliser || tokenizer.pre_tokenizer?.type !== 'BertPreTokenizer' || !wordPiece || !template || !plainAdded || tokenizer.truncation) return null;
  const vocab: string[] = [];
  for (const [token, id] of Object.entries(model.vocab!)) vocab[id] = token;
  if (vocab.length !== Object.keys(model.vocab!).length || vocab.includes(undefined as unknown as string)) return null;
  return new WordPieceEncoder(vocab, { maxLength: config.model_max_length, maxInputCharsPerWord: model.max_input_chars_per_word });
}
