/**
 * Scores every class's candidate terms by class-based TF-IDF (as BERTopic does): all papers of a
 * cluster are one class; a term scores high when many of the class's papers use it (in the title
 * counts more) and few papers of the whole corpus do. Terms are counted by key, so singular and
 * plural are one term, and only distinctive terms are kept (see rankCandidates); ./labels.ts
 * chooses the names among them and shows them as written.
 */
import { isWeakWord, type PaperTerms } from './terms';

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

/** A term as counted: its key (lower case, singular, hyphens as spaces) and the keys of its words each as a term. */
interface TermKey {
  key: string;
  wordKeys: string[];
}

/** What naming counts over the papers of every class ≥ 0. */
export interface TermCounts {
  total: number;
  sizes: number[];
  /** Per class: papers using each key, and the same weighted by where (a title counts TITLE_WEIGHT). */
  inClass: Map<string, number>[];
  weighted: Map<string, number>[];
  /** Papers of all classes using each key. */
  docFreq: Map<string, number>;
  /** Papers of all classes using each word key to start a phrase ("activation" in "activation functions"). */
  leadFreq: Map<string, number>;
  /** Every term read, by how it was written. */
  termKeys: Map<string, TermKey>;
  /** The keys of each key's words, each as a term of its own. */
  wordKeys: Map<string, string[]>;
}

export type Papers = readonly PaperTerms[];

/** Counts each term once per paper, by its key, over the papers of every class ≥ 0. */
export function countTerms(papers: Papers, topics: Int32Array): TermCounts {
  const classCount = topics.reduce((m, t) => Math.max(m, t + 1), 0);
  // Singular forms come from the words seen, so every form of a term counts as one.
  const words = new Set<string>();
  papers.forEach((p, i) => {
    if (topics[i]! < 0) return;
    for (const list of [p.title, p.body]) for (const term of list) if (!term.includes(' ')) words.add(term.toLowerCase());
  });
  const singular = singularForms(words);
  const termKeys = new Map<string, TermKey>();
  const counts: TermCounts = {
    total: 0,
    sizes: new Array<number>(classCount).fill(0),
    inClass: Array.from({ length: classCount }, () => new Map()),
    weighted: Array.from({ length: classCount }, () => new Map()),
    docFreq: new Map(),
    leadFreq: new Map(),
    termKeys,
    wordKeys: new Map(),
  };
  const keyOf = (term: string): TermKey => {
    let known = termKeys.get(term);
    if (known === undefined) {
      const key = termWords(term, singular).join(' ');
      const parts = term.split(' ');
      known = { key, wordKeys: parts.length === 1 ? [key] : parts.map((w) => keyOf(w).key) };
      termKeys.set(term, known);
      counts.wordKeys.set(key, known.wordKeys);
    }
    return known;
  };

  const weights = new Map<string, number>();
  const leads = new Set<string>();
  papers.forEach((paper, i) => {
    const topic = topics[i]!;
    if (topic < 0) return;
    counts.sizes[topic]! += 1;
    counts.total += 1;
    weights.clear();
    leads.clear();
    for (const [list, weight] of [[paper.body, 1], [paper.title, TITLE_WEIGHT]] as const) {
      for (const term of list) {
        const { key, wordKeys } = keyOf(term);
        weights.set(key, weight);
        if (wordKeys.length === 2) leads.add(wordKeys[0]!);
      }
    }
    for (const lead of leads) counts.leadFreq.set(lead, (counts.leadFreq.get(lead) ?? 0) + 1);
    const inClass = counts.inClass[topic]!, weighted = counts.weighted[topic]!;
    for (const [key, weight] of weights) {
      inClass.set(key, (inClass.get(key) ?? 0) + 1);
      weighted.set(key, (weighted.get(key) ?? 0) + weight);
      counts.docFreq.set(key, (counts.docFreq.get(key) ?? 0) + 1);
    }
  });
  return counts;
}

/** Each class's distinctive terms, best first (at most CANDIDATES). */
export function rankCandidates({ total, sizes, inClass, weighted, docFreq, leadFreq, wordKeys }: TermCounts): Candidate[][] {
  const contained = containedTerms(docFreq);
  // A term ending in a word that nearly always starts a longer phrase is a fragment of one ("graph
  // neural", "activation"), not a name.
  const fragment = (words: string[]) => (leadFreq.get(words[words.length - 1]!) ?? 0) >= CONTAINED_SHARE * docFreq.get(words[words.length - 1]!)!;
  const compared = sizes.filter((s) => s > 0).length > 1;
  return inClass.map((counts, topic) => {
    const size = sizes[topic]!;
    const outside = total - size;
    // How many times as common a key is inside the class as outside (smoothed, for keys never seen outside).
    const lift = (key: string) => (counts.get(key) ?? 0) / size / (((docFreq.get(key) ?? 0) - (counts.get(key) ?? 0) + 0.5) / (outside + 1));
    // A word can carry a name when it is not too general, and not common to the whole map unless
    // this class is where it is common.
    const telling = (word: string) => !isWeakWord(word) && ((docFreq.get(word) ?? 0) < COMMON_SHARE * total || lift(word) >= 2 * MIN_LIFT);
    const scored: Candidate[] = [];
    for (const [key, n] of counts) {
      // A term seen in a single paper says little about a whole topic.
      if (n < Math.min(2, size) || contained.has(key) || fragment(wordKeys.get(key)!)) continue;
      // Distinctive: the term, and at least one telling word of it on its own ("graph neural networks"
      // has "graph"; "deep neural networks", in a topic hardly more about depth than the rest, has none).
      const carriers = wordKeys.get(key)!.filter(telling);
      if (compared ? lift(key) < MIN_LIFT || !carriers.some((w) => lift(w) >= MIN_LIFT) : carriers.length === 0) continue;
      const share = weighted[topic]!.get(key)! / (TITLE_WEIGHT * size);
      // A phrase of words, not a hyphenated word ("finite-width" is one adjective).
      const phrase = wordKeys.get(key)!.length > 1;
      const score = share * Math.log(1 + total / docFreq.get(key)!) * (phrase ? PHRASE_BONUS : 1);
      scored.push({ key, score, words: key.split(' ') });
    }
    return scored.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1)).slice(0, CANDIDATES);
  });
}

/**
 * Keys that nearly always occur inside one longer key (in CONTAINED_SHARE of their papers or more):
 * "tangent kernel" inside "neural tangent kernel", "Kolmogorov-Arnold" inside "Kolmogorov-Arnold networks".
 */
function containedTerms(docFreq: ReadonlyMap<string, number>): Set<string> {
  const insideLonger = new Map<string, number>();
  for (const [key, df] of docFreq) {
    const words = key.split(' ');
    for (let from = 0; from < words.length; from++) {
      for (let to = from + 1; to <= words.length; to++) {
        if (to - from === words.length) continue;
        const part = words.slice(from, to).join(' ');
        if (docFreq.has(part)) insideLonger.set(part, Math.max(insideLonger.get(part) ?? 0, df));
      }
    }
  }
  const contained = new Set<string>();
  for (const [part, df] of insideLonger) if (df >= CONTAINED_SHARE * docFreq.get(part)!) contained.add(part);
  return contained;
}
