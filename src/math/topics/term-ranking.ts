/**
 * Scores every class's candidate terms by class-based TF-IDF (as BERTopic does): all papers of a
 * cluster are one class; a term scores high when many of the class's papers use it (in the title
 * counts more) and few papers of the whole corpus do. Terms are counted by key, so singular and
 * plural are one term, and only distinctive terms are kept (see rankCandidates); ./labels.ts
 * chooses the names among them and shows them as written.
 */
import { isWeakWord } from './terms';
import type { NumberedTerms } from './term-table';

/** A term must be at least this many times as common (share of papers) inside its class as outside. */
export const MIN_LIFT = 2;
/**
 * A word used by at least this share of all papers is common to the whole map ("learning", "neural"
 * on a map of machine learning): it tells a class apart only if the class uses it far more than the
 * rest (2 × MIN_LIFT times as often, as "diffusion" on a map of diffusion models and graphs).
 */
export const COMMON_SHARE = 1 / 3;
/** A title's use of a term counts this many times a body's: titles say what a paper is about. */
export const TITLE_WEIGHT = 2;
/**
 * "Nearly always": a term seen inside a longer one in this share of its papers gives way to it, and a
 * word starting a phrase in this share of its papers is a fragment on its own.
 */
const CONTAINED_SHARE = 0.8;
/** Phrases read better as names than single words. */
const PHRASE_BONUS = 1.5;
/** Ranked candidates kept per class (heads are chosen among them). */
const CANDIDATES = 60;

const IRREGULAR_PLURALS: Record<string, string> = {
  matrices: 'matrix',
  vertices: 'vertex',
  indices: 'index',
  criteria: 'criterion',
  phenomena: 'phenomenon',
  hypotheses: 'hypothesis',
  analyses: 'analysis',
};

/**
 * The singular of each lower-case word that has one among `words` ("networks" → "network",
 * "policies" → "policy", "patches" → "patch", "caches" → "cache"). A plural whose singular never
 * occurs stays as it is, so "series" or "physics" are not cut to non-words.
 */
export function singularForms(words: Iterable<string>): Map<string, string> {
  const vocabulary = new Set(words);
  const singular = new Map<string, string>();
  for (const word of vocabulary) {
    if (word.length < 4 || word.endsWith('ss')) continue;
    const candidates = [IRREGULAR_PLURALS[word], word.replace(/ies$/, 'y'), word.replace(/es$/, ''), word.replace(/s$/, '')];
    const found = candidates.find((c) => c !== undefined && c !== word && vocabulary.has(c));
    if (found) singular.set(word, found);
  }
  return singular;
}

/** The words a term is compared by: lower case, singular, hyphenated words split ("Kolmogorov-Arnold networks" → kolmogorov arnold network). */
function termWords(term: string, singular: ReadonlyMap<string, string>): string[] {
  return term
    .toLowerCase()
    .split(' ')
    .flatMap((w) => (singular.get(w) ?? w).split('-'));
}

/** A term ranked for a class: its key and the key's words. */
export interface Candidate {
  key: string;
  score: number;
  words: string[];
}

/**
 * What naming counts over the papers of every class ≥ 0. Terms and keys are numbered as first read,
 * and everything after the reading counts in typed arrays by number: a map of 100,000 papers reads
 * ten million terms, which string-keyed maps counted in a minute a level.
 */
export interface TermCounts {
  total: number;
  sizes: number[];
  /** Every term read, as written, and the number of its key (lower case, singular, hyphens as spaces). */
  terms: string[];
  termKey: Int32Array;
  /** Every key, its number by text, and the keys of its words each as a term. */
  keys: string[];
  keyIndex: Map<string, number>;
  keyWords: number[][];
  /** Papers of all classes using each key; using each word key to start a phrase ("activation" in "activation functions"). */
  docFreq: Int32Array;
  leadFreq: Int32Array;
  /** Per class: the keys its papers use, in how many papers, and the same weighted by where (a title counts TITLE_WEIGHT). */
  classKeys: Int32Array[];
  inClass: Int32Array[];
  weighted: Int32Array[];
  /** The terms of each counted paper as read (numbers), body then title: paper p's are `read[start[p]..start[p + 1])`, its title's from `titleStart[p]`. */
  read: Int32Array;
  start: Int32Array;
  titleStart: Int32Array;
}

/**
 * Counts each term once per paper, by its key, over the papers of every class ≥ 0. Papers come
 * numbered (./term-table.ts), a phrase with its words' numbers: a term's key is made once per level,
 * when first read, and no term is looked up by its text.
 */
export function countTerms(papers: NumberedTerms, topics: Int32Array): TermCounts {
  const { terms: allTerms, ids, start: paperStart, words: phraseWords, wordStart } = papers;
  const classCount = topics.reduce((m, t) => Math.max(m, t + 1), 0);
  const counted: number[] = [];
  for (let i = 0; 2 * i + 2 < paperStart.length; i++) if (topics[i]! >= 0) counted.push(i);
  // Singular forms come from the words seen, so every form of a term counts as one.
  const words = new Set<string>();
  const seen = new Uint8Array(allTerms.length);
  for (const i of counted) {
    for (let o = paperStart[2 * i]!; o < paperStart[2 * i + 2]!; o++) {
      const id = ids[o]!;
      if (seen[id]) continue;
      seen[id] = 1;
      if (!allTerms[id]!.includes(' ')) words.add(allTerms[id]!.toLowerCase());
    }
  }
  const singular = singularForms(words);

  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const keyWords: number[][] = [];
  const keyNumber = (key: string): number => {
    let k = keyIndex.get(key);
    if (k === undefined) {
      k = keys.push(key) - 1;
      keyIndex.set(key, k);
    }
    return k;
  };
  // Terms are numbered again as first read here, so that the level's arrays hold only what it reads.
  const terms: string[] = [];
  const termKeys: number[] = [];
  /** The keys of each term's words, each as a term (a phrase's leading word is counted from these). */
  const termWordKeys: number[][] = [];
  const register = (term: string, wordKeys: number[] | null): number => {
    // A phrase's key is its words' keys in a row.
    const key = keyNumber(wordKeys ? wordKeys.map((w) => keys[w]).join(' ') : termWords(term, singular).join(' '));
    const t = terms.push(term) - 1;
    termKeys[t] = key;
    termWordKeys[t] = wordKeys ?? [key];
    // Two ways of writing one key ("Kolmogorov-Arnold networks", "Kolmogorov Arnold networks"): the last read speaks for it.
    keyWords[key] = termWordKeys[t]!;
    return t;
  };
  const local = new Int32Array(allTerms.length).fill(-1);
  const termNumber = (id: number): number => {
    let t = local[id]!;
    if (t < 0) {
      let wordKeys: number[] | null = null;
      if (wordStart[id + 1]! > wordStart[id]!) {
        wordKeys = [];
        for (let o = wordStart[id]!; o < wordStart[id + 1]!; o++) wordKeys.push(termKeys[termNumber(phraseWords[o]!)]!);
      }
      local[id] = t = register(allTerms[id]!, wordKeys);
    }
    return t;
  };

  // Every counted paper's terms as numbers, read once: its body's, then its title's.
  const start = new Int32Array(counted.length + 1);
  const titleStart = new Int32Array(counted.length);
  let total = 0;
  for (const i of counted) total += paperStart[2 * i + 2]! - paperStart[2 * i]!;
  const read = new Int32Array(total);
  let used = 0;
  counted.forEach((i, p) => {
    start[p] = used;
    for (let o = paperStart[2 * i + 1]!; o < paperStart[2 * i + 2]!; o++) read[used++] = termNumber(ids[o]!);
    titleStart[p] = used;
    for (let o = paperStart[2 * i]!; o < paperStart[2 * i + 1]!; o++) read[used++] = termNumber(ids[o]!);
  });
  start[counted.length] = used;
  const termKey = Int32Array.from(termKeys);

  const nKeys = keys.length;
  const docFreq = new Int32Array(nKeys);
  const leadFreq = new Int32Array(nKeys);
  const sizes = new Array<number>(classCount).fill(0);
  // Scratch by key: the last paper that used it (dedupes a paper's uses), its weight there, and the class's counts.
  const seenIn = new Int32Array(nKeys).fill(-1);
  const leadIn = new Int32Array(nKeys).fill(-1);
  const weightIn = new Uint8Array(nKeys);
  const classUses = new Int32Array(nKeys);
  const classWeight = new Int32Array(nKeys);
  const members: number[][] = Array.from({ length: classCount }, () => []);
  counted.forEach((i, p) => members[topics[i]!]!.push(p));
  const classKeys: Int32Array[] = [], inClass: Int32Array[] = [], weighted: Int32Array[] = [];
  for (let c = 0; c < classCount; c++) {
    const used: number[] = [];
    for (const p of members[c]!) {
      const distinct: number[] = [];
      for (let o = start[p]!; o < start[p + 1]!; o++) {
        const k = termKey[read[o]!]!;
        const weight = o >= titleStart[p]! ? TITLE_WEIGHT : 1;
        if (seenIn[k] !== p) {
          seenIn[k] = p;
          weightIn[k] = weight;
          distinct.push(k);
        } else if (weight > weightIn[k]!) weightIn[k] = weight;
        const wordKeys = termWordKeys[read[o]!]!;
        if (wordKeys.length === 2 && leadIn[wordKeys[0]!] !== p) {
          leadIn[wordKeys[0]!] = p;
          leadFreq[wordKeys[0]!]! += 1;
        }
      }
      for (const k of distinct) {
        if (classUses[k] === 0) used.push(k);
        classUses[k]! += 1;
        classWeight[k]! += weightIn[k]!;
        docFreq[k]! += 1;
      }
    }
    sizes[c] = members[c]!.length;
    classKeys.push(Int32Array.from(used));
    inClass.push(Int32Array.from(used, (k) => classUses[k]!));
    weighted.push(Int32Array.from(used, (k) => classWeight[k]!));
    for (const k of used) {
      classUses[k] = 0;
      classWeight[k] = 0;
    }
  }
  return { total: counted.length, sizes, terms, termKey, keys, keyIndex, keyWords, docFreq, leadFreq, classKeys, inClass, weighted, read, start, titleStart };
}

/** Each class's distinctive terms, best first (at most CANDIDATES). */
export function rankCandidates(counts: TermCounts): Candidate[][] {
  const { total, sizes, keys, keyWords, docFreq, leadFreq, classKeys, inClass, weighted } = counts;
  const contained = containedTerms(counts);
  // A term ending in a word that nearly always starts a longer phrase is a fragment of one ("graph
  // neural", "activation"), not a name.
  const fragment = (words: number[]) => {
    const last = words[words.length - 1]!;
    return docFreq[last]! > 0 && leadFreq[last]! >= CONTAINED_SHARE * docFreq[last]!;
  };
  const compared = sizes.filter((s) => s > 0).length > 1;
  const uses = new Int32Array(keys.length);
  const weak = new Int8Array(keys.length).fill(-1);
  return classKeys.map((used, topic) => {
    const size = sizes[topic]!;
    const outside = total - size;
    used.forEach((k, j) => (uses[k] = inClass[topic]![j]!));
    // How many times as common a key is inside the class as outside (smoothed, for keys never seen outside).
    const lift = (k: number) => uses[k]! / size / ((docFreq[k]! - uses[k]! + 0.5) / (outside + 1));
    // A word can carry a name when it is not too general, and not common to the whole map unless
    // this class is where it is common.
    const telling = (w: number) => {
      if (weak[w] === -1) weak[w] = isWeakWord(keys[w]!) ? 1 : 0;
      return weak[w] === 0 && (docFreq[w]! < COMMON_SHARE * total || lift(w) >= 2 * MIN_LIFT);
    };
    const scored: Candidate[] = [];
    used.forEach((k, j) => {
      const n = inClass[topic]![j]!;
      // A term seen in a single paper says little about a whole topic.
      if (n < Math.min(2, size) || contained[k] || fragment(keyWords[k]!)) return;
      // Distinctive: the term, and at least one telling word of it on its own ("graph neural networks"
      // has "graph"; "deep neural networks", in a topic hardly more about depth than the rest, has none).
      const carriers = keyWords[k]!.filter(telling);
      if (compared ? lift(k) < MIN_LIFT || !carriers.some((w) => lift(w) >= MIN_LIFT) : carriers.length === 0) return;
      const share = weighted[topic]![j]! / (TITLE_WEIGHT * size);
      // A phrase of words, not a hyphenated word ("finite-width" is one adjective).
      const phrase = keyWords[k]!.length > 1;
      const score = share * Math.log(1 + total / docFreq[k]!) * (phrase ? PHRASE_BONUS : 1);
      scored.push({ key: keys[k]!, score, words: keys[k]!.split(' ') });
    });
    for (const k of used) uses[k] = 0;
    return scored.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1)).slice(0, CANDIDATES);
  });
}

/**
 * Keys that nearly always occur inside one longer key (in CONTAINED_SHARE of their papers or more):
 * "tangent kernel" inside "neural tangent kernel", "Kolmogorov-Arnold" inside "Kolmogorov-Arnold networks".
 * Only keys in two papers or more can name a topic (unless a class has one paper), and only such a
 * longer key can hold one of them, so the rest are not read.
 */
function containedTerms({ keys, keyIndex, docFreq, sizes }: TermCounts): Uint8Array {
  const least = sizes.some((s) => s === 1) ? 1 : 2;
  const insideLonger = new Int32Array(keys.length);
  keys.forEach((key, k) => {
    const df = docFreq[k]!;
    if (df < least || !key.includes(' ')) return;
    const words = key.split(' ');
    for (let from = 0; from < words.length; from++) {
      for (let to = from + 1; to <= words.length; to++) {
        if (to - from === words.length) continue;
        const part = keyIndex.get(words.slice(from, to).join(' '));
        if (part !== undefined && docFreq[part]! > 0) insideLonger[part] = Math.max(insideLonger[part]!, df);
      }
    }
  });
  return Uint8Array.from(insideLonger, (df, k) => (df > 0 && df >= CONTAINED_SHARE * docFreq[k]! ? 1 : 0));
}
