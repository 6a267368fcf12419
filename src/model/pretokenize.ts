/**
 * The text side of the embedded model's tokenizer, before WordPiece: BertNormalizer and
 * BertPreTokenizer exactly as transformers.js applies them (steps 2 and 3 in ./wordpiece.ts). Word
 * boundaries come out as offsets into the normalised text, so no string is made per word.
 */

/** transformers.js's PUNCTUATION_REGEX: Unicode punctuation and every ASCII symbol. */
const PUNCTUATION = /[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]/u;
/** BertNormalizer.clean_text drops NUL, U+FFFD, control (but \t \n \r), format, private-use and lone surrogate characters. */
const DROPPED = /[\0\ufffd\p{Cf}\p{Co}\p{Cs}]|[^\P{Cc}\t\n\r]/gu;
/** transformers.js spaces CJK ideographs one UTF-16 unit at a time, so only the BMP ranges count. */
const CJK = /[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF]/g;
const MARKS = /\p{Mn}/gu;
/** Printable ASCII and \t \n \r: normalising such a text is lower-casing it. */
const PLAIN_ASCII = /^[\t\n\r\u0020-\u007E]*$/;

/** BertNormalizer (clean_text, handle_chinese_chars, lowercase, strip_accents) exactly as transformers.js applies it. */
export function bertNormalise(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase();
  const cleaned = text.replace(DROPPED, '').replace(/\s/g, ' ');
  return cleaned.replace(CJK, ' $& ').toLowerCase().normalize('NFD').replace(MARKS, '');
}

const enum CharClass {
  Unknown = 0,
  Space,
  Punctuation,
  Word,
}

function classify(char: string): CharClass {
  return /^\s$/u.test(char) ? CharClass.Space : PUNCTUATION.test(char) ? CharClass.Punctuation : CharClass.Word;
}

/** Classes of UTF-16 units (BMP characters), filled as they are met; astral characters in a map. */
const bmpClass = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) bmpClass[c] = classify(String.fromCharCode(c));
const astralClass = new Map<number, CharClass>();

function classOfUnit(unit: number): CharClass {
  return (bmpClass[unit] ||= classify(String.fromCharCode(unit)));
}

function classOfAstral(codePoint: number): CharClass {
  let c = astralClass.get(codePoint);
  if (c === undefined) astralClass.set(codePoint, (c = classify(String.fromCodePoint(codePoint))));
  return c;
}

/**
 * Word boundaries of a normalised text (BertPreTokenizer), reused from text to text: word w is
 * units starts[w] … ends[w] − 1 and has chars[w] code points.
 */
export class WordSpans {
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  chars = new Int32Array(1024);
  count = 0;

  add(start: number, end: number, chars: number): void {
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.chars[this.count++] = chars;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    for (const key of ['starts', 'ends', 'chars'] as const) {
      const next = new Int32Array(size);
      next.set(this[key]);
      this[key] = next;
    }
  }
}

/** Splits a normalised text into words: runs of non-space non-punctuation, and single punctuation marks. */
export function splitWords(text: string, spans: WordSpans): void {
  spans.count = 0;
  let start = -1;
  let chars = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let width = 1;
    let c: CharClass;
    const low = unit >= 0xd800 && unit <= 0xdbff ? text.charCodeAt(i + 1) : 0;
    if (low >= 0xdc00 && low <= 0xdfff) {
      width = 2;
      c = classOfAstral(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
    } else {
      c = unit < 0x80 ? (bmpClass[unit] as CharClass) : classOfUnit(unit);
    }
    if (c === CharClass.Word) {
      if (start < 0) (start = i), (chars = 0);
      chars++;
    } else {
      if (start >= 0) spans.add(start, i, chars), (start = -1);
      if (c === CharClass.Punctuation) spans.add(i, i + width, 1);
    }
    i += width - 1;
  }
  if (start >= 0) spans.add(start, text.length, chars);
}

/** The words of a text as the tokenizer sees them, before WordPiece (the model build counts them). */
export function preTokenize(text: string): string[] {
  const normalised = bertNormalise(text);
  const spans = new WordSpans();
  splitWords(normalised, spans);
  return Array.from({ length: spans.count }, (_, w) => normalised.slice(spans.starts[w], spans.ends[w]));
}
