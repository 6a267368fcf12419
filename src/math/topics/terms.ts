/**
 * The candidate names in a paper's text: content words and the 2–3-word phrases they form inside a
 * sentence fragment. What is not prose never becomes a term: URLs, e-mail addresses, file and domain
 * names, HTML and markdown (links, badges, code), LaTeX, numbers and version strings. Imported
 * corpora (software READMEs, notes) are full of these, and their link and badge text would otherwise
 * name topics.
 */
import { LABEL_STOPWORDS } from '../text/stopwords';

/** One paper's distinct candidate terms as written; title terms weigh more than body terms. */
export interface PaperTerms {
  title: string[];
  body: string[];
}

/** Longest phrase a term may be, in words. */
export const MAX_PHRASE_WORDS = 3;

/**
 * Words that are common to research writing in any field, or to software READMEs: they say nothing
 * about what one topic is (on top of LABEL_STOPWORDS, which the embedding model shares).
 */
const GENERIC_WORDS = new Set(
  `able ability abilities accurate accurately additionally address addresses addressing advantage advantages
  allow allows allowing alternative approximately aim aims apply applied applying arbitrary attempt available
  benefit benefits better best beyond broad capable case cases challenge challenges challenging compare
  compared comparison comparable competitive complex comprehensive conduct conducted consider considered
  considering consistently contribution contributions crucial current currently demonstrating describe
  described designed designing desirable develop developed developing direct directly due easily
  easy effect effects effectively efficient efficiently empirical empirically enable enables enabling enhance
  enhanced enhances enhancing ensure especially essential evaluate evaluated even evidence example
  examples exhibit exhibits explore explores exploring extend extended extends extensively fact fail fails
  finally focus following fully fundamental general generally good great greatly help helps high higher
  highly however ideas importance important improve improved improvement improvements improves improving
  include includes including increase increased increases increasing independent insight insights instead
  interesting introduce investigate investigates issue issues key known lack large larger largely lead leads
  leverage leverages leveraging like likely limited limitation limitations low lower main maintain
  maintaining major may might mostly much need needs notably observe observed obtain obtained offer offers
  outperform outperforming outperforms overall particular particularly perform performed performing performs
  possible potential practical practice previous previously primarily prior promising
  provided providing purpose range rather real reduce reduced reduces reducing regarding
  related relatively remain remains report reported require required requires requiring research
  researchers respectively resulting reveal reveals scenarios second setting settings
  shows similar simple simply single small smaller specific specifically standard strong strategy strategies
  substantial substantially success successful successfully suggest suggests superior surprising
  surprisingly systematic technique techniques terms theoretical theoretically three towards toward
  throughout typically understand unified unlike useful usually variety verify versatile within without
  whereas wide widely work works yield yields zero state-of-the-art sota
  install installation installing usage license licensed mit readme contributing
  contributors contribute please note todo see click here link links badge badges version versions
  release releases download downloads copyright getting started quick start quickstart`.split(/\s+/).filter(Boolean),
);

/**
 * Words too general to name a topic alone, though they make good phrases with a telling word
 * ("diffusion process", "activation functions", "time series"). Singular, lower case, hyphens as spaces.
 */
const WEAK_WORDS = new Set(
  `algorithm feature layer output input step process limit component representation phase unit function
  system problem property value structure level set error rate cost space time information parameter
  analysis application mechanism module operation behavior behaviour capability capacity quality accuracy
  efficiency scale size number order type kind form part factor tool solution sample instance variant
  linear trainable soft selective additional adding diverse approximate generalized real world
  pre trained large scale high quality fast faster end user deep`.split(/\s+/).filter(Boolean),
);

/** A word (singular, lower case) that can be part of a name but is no name on its own. */
export function isWeakWord(key: string): boolean {
  return key.split(' ').every((part) => WEAK_WORDS.has(part));
}

/**
 * Parts of web addresses, markup and file names that are never prose (words such as "HTML" or "JSON"
 * are: they name things; an address or a file name is dropped whole, dot and all, before this).
 */
const WEB_WORDS = new Set(
  `https www com org net io edu gov href src img alt div span nbsp amp quot md txt png jpg jpeg gif ico svg
  gz zip tar exe mjs jsx tsx htm yml`.split(/\s+/).filter(Boolean),
);

/** Never part of a term: stop words, abstract boilerplate, generic research words, web noise. */
export function isNameless(lower: string): boolean {
  return LABEL_STOPWORDS.has(lower) || GENERIC_WORDS.has(lower) || WEB_WORDS.has(lower);
}

/**
 * Breaks between fragments. A term never spans one, so removed markup can never glue the words
 * around it into a phrase.
 */
const BREAK = ' \n ';

/**
 * What is not prose, each rule with a character it cannot match without, so that plain abstracts (most
 * texts) skip it: rules run in order, markup before the addresses inside it.
 */
const MARKUP_RULES: readonly { needs: string; pattern: RegExp; keep?: string }[] = [
  // Code: fenced blocks and inline spans.
  { needs: '`', pattern: /```[\s\S]*?(?:```|$)/g },
  { needs: '`', pattern: /`[^`\n]*`/g },
  // LaTeX: display and inline math, then commands such as \alpha or \mathbb.
  { needs: '$', pattern: /\$\$[\s\S]*?\$\$/g },
  { needs: '$', pattern: /\$[^$\n]{1,200}\$/g },
  { needs: '\\', pattern: /\\\(.*?\\\)|\\\[.*?\\\]/g },
  { needs: '\\', pattern: /\\[a-zA-Z]+\*?/g },
  // HTML comments, tags (alt text included) and entities.
  { needs: '<', pattern: /<!--[\s\S]*?-->/g },
  { needs: '<', pattern: /<[^<>\n]*>/g },
  { needs: '&', pattern: /&#?\w+;/g },
  // Markdown images and badges go whole; a link keeps its text, without its target.
  { needs: '](', pattern: /!\[[^\]\n]*\]\([^)\n]*\)/g },
  { needs: '](', pattern: /\[([^\]\n]*)\]\([^)\n]*\)/g, keep: `${BREAK}$1${BREAK}` },
  { needs: ']:', pattern: /^\s*\[[^\]\n]+\]:\s*\S+/gm },
  // Addresses: URLs, e-mail, @handles.
  { needs: '://', pattern: /\b(?:https?|ftp|file):\/\/\S+/gi },
  { needs: 'www.', pattern: /\bwww\.\S+/gi },
  { needs: '@', pattern: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g },
  { needs: '@', pattern: /(^|\s)@[\w-]+/g, keep: `$1${BREAK}` },
];

/** A dot with a letter or digit on each side: inside a domain, file name, version, decimal or "e.g.". */
const INNER_DOT = /[\p{L}\p{N}]\.[\p{L}\p{N}]/gu;

/** The text without its whitespace-delimited words that have an inner dot (see INNER_DOT). */
function dropDottedWords(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(INNER_DOT)) {
    if (match.index < from) continue;
    let start = match.index;
    while (start > from && !/\s/.test(text[start - 1]!)) start--;
    let end = match.index + match[0].length;
    while (end < text.length && !/\s/.test(text[end]!)) end++;
    out += text.slice(from, start) + BREAK;
    from = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** LaTeX's accent commands and the combining marks they stand for. */
const LATEX_ACCENTS: Record<string, string> = { '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307', u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328' };
/** An accented letter as arXiv abstracts write it: \"o, \"{o}, {\"o}, \v{c}, \c c. */
const LATEX_ACCENT = /\{?\\(["'`^~=.]|[uvHck](?=[{\s]))\s*\{?([A-Za-z])\}?\}?/g;

/** "Schr\"odinger" as "Schrödinger": an accent command must not cut a word in two. */
export function latexAccents(text: string): string {
  return text.includes('\\') ? text.replace(LATEX_ACCENT, (_, accent: string, letter: string) => (letter + LATEX_ACCENTS[accent]!).normalize('NFC')) : text;
}

/** Text with everything that is not prose replaced by fragment breaks (link text is kept, as prose). */
export function stripMarkup(text: string): string {
  let clean = latexAccents(text);
  for (const { needs, pattern, keep } of MARKUP_RULES) if (clean.includes(needs)) clean = clean.replace(pattern, keep ?? BREAK);
  // Anything with a dot inside a word: domains, file names, versions, decimals, "e.g.".
  return dropDottedWords(clean);
}

/** A word token: letters and digits, joined by inner hyphens or apostrophes ("state-of-the-art", "model's"). */
const TOKEN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** A number, a "3d" or "4-bit", a version ("v2"): numbers never name a topic, nor do parts of them. */
function isNumberLike(lower: string): boolean {
  return lower.split('-').some((part) => /^\p{N}/u.test(part)) || /^v\d/.test(lower);
}

/** "LLMs", "ReLU", "ViT", "ImageNet-trained": capitals inside a word, which no title or sentence start explains. */
export function hasInnerCapital(word: string): boolean {
  return word.split('-').some((part) => /\p{Lu}/u.test(part.slice(1)));
}

/**
 * The word as a term shows it: acronyms and inner capitals as written, a capitalised word in running
 * text ("Gaussian", "PyTorch") as written, else lower case (a title's or a sentence's first capital is
 * only style).
 */
function surface(word: string, capitalsMeanSomething: boolean): string {
  if (hasInnerCapital(word)) return word;
  if (capitalsMeanSomething && /^\p{Lu}/u.test(word)) return word;
  return word.toLowerCase();
}

/** A word that can be part of a term, as shown; null when it cannot (and breaks the fragment). */
function termWord(token: string, capitalsMeanSomething: boolean): string | null {
  const word = token.replace(/['’]s$/i, '');
  const lower = word.toLowerCase();
  if (/['’]/.test(word) || isNumberLike(lower) || isNameless(lower)) return null;
  // Two-letter words are function words, except acronyms written as such ("AI", "RL").
  if (lower.length < 3 && !(lower.length === 2 && word === word.toUpperCase() && /^\p{L}+$/u.test(word))) return null;
  return surface(word, capitalsMeanSomething);
}

/** termWord's answers, for the few thousand distinct tokens a corpus repeats (the check costs more than the lookup). */
const termWordCache = [new Map<string, string | null>(), new Map<string, string | null>()] as const;
const TERM_WORD_CACHE_SIZE = 200_000;

function cachedTermWord(token: string, capitalsMeanSomething: boolean): string | null {
  const cache = termWordCache[capitalsMeanSomething ? 1 : 0];
  let word = cache.get(token);
  if (word === undefined) {
    if (cache.size >= TERM_WORD_CACHE_SIZE) cache.clear();
    cache.set(token, (word = termWord(token, capitalsMeanSomething)));
  }
  return word;
}

/** Characters between two words that end a sentence, and characters that keep two words in one fragment. */
const SENTENCE_END = /[.!?:\n]/;
const SAME_FRAGMENT = /^[ \t]*$/;

/**
 * Terms of one stretch of text, as written (see surface()), in reading order: each word, then the
 * phrases ending at it. `titleCase` says the text capitalises every word, so capitals mean nothing.
 */
function termsOfText(text: string, titleCase: boolean): string[] {
  const clean = stripMarkup(text.normalize('NFKC'));
  const terms: string[] = [];
  // The last words of the current fragment, oldest first (at most MAX_PHRASE_WORDS).
  const run: string[] = [];
  let end = 0;
  let sentenceStart = true;
  for (const match of clean.matchAll(TOKEN)) {
    const gap = match.index === end ? '' : clean.slice(end, match.index);
    end = match.index + match[0].length;
    // Only spaces between two words keep them in one fragment.
    if (gap !== '' && !SAME_FRAGMENT.test(gap)) {
      run.length = 0;
      if (SENTENCE_END.test(gap)) sentenceStart = true;
    }
    const word = cachedTermWord(match[0], !titleCase && !sentenceStart);
    sentenceStart = false;
    if (word === null) {
      run.length = 0;
      continue;
    }
    if (run.length === MAX_PHRASE_WORDS) run.shift();
    run.push(word);
    terms.push(word);
    let phrase = word;
    for (let k = run.length - 2; k >= 0; k--) terms.push((phrase = `${run[k]} ${phrase}`));
  }
  return terms;
}

/**
 * Longest title we look for. paperText() joins title and abstract with ". ": the first sentence is
 * the title, unless it is so long that the text has none.
 */
const MAX_TITLE_CHARS = 300;

/** The title and the body of a text made by paperText() (title + ". " + abstract). */
export function splitTitle(text: string): { title: string; body: string } {
  const end = text.search(/[.?!]\s/);
  if (end >= 0 && end <= MAX_TITLE_CHARS) return { title: text.slice(0, end + 1), body: text.slice(end + 2) };
  // A single short sentence is a title alone; a long first sentence means the text has no title.
  return end < 0 && text.length <= MAX_TITLE_CHARS ? { title: text, body: '' } : { title: '', body: text };
}

/** A paper's distinct terms, its title's apart (they weigh more when topics are named). */
export function paperTerms(text: string): PaperTerms {
  const { title, body } = splitTitle(text);
  return { title: [...new Set(termsOfText(title, true))], body: [...new Set(termsOfText(body, false))] };
}

/** Every term of a text, lower-cased, in reading order (a word, then the phrases ending at it). */
export function extractTerms(text: string): string[] {
  return termsOfText(text, true).map((t) => t.toLowerCase());
}
