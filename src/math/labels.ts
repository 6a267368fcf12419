/**
 * Names clusters from their papers with class-based TF-IDF (as BERTopic does): all papers of a
 * cluster are one class; a term scores high when many of the class's papers use it (in the title
 * counts more) and few papers of the whole corpus do. On top of that, so that names read like a
 * topic map a researcher would recognise:
 * - a name is distinctive: at least MIN_LIFT times as common inside its class as outside, and carried
 *   by a word that is neither general ("algorithm", "layer") nor common to the whole map ("learning",
 *   "neural" on a map of machine learning) unless the class is where it is common;
 * - singular and plural are one term ("activation function(s)"), shown in its more frequent form;
 * - a word or phrase nearly always seen inside a longer phrase gives way to it ("tangent kernel" to
 *   "neural tangent kernel"), and one that nearly always starts a phrase is no name ("graph neural");
 * - sibling classes never start with the same word, and a name never repeats a word.
 * Candidate terms come from ./terms (prose only: no URLs, markup, numbers or LaTeX).
 */
import { hasInnerCapital, isWeakWord, paperTerms, type PaperTerms } from './terms';

export { extractTerms, paperTerms, type PaperTerms } from './terms';

export interface TopicTerms {
  topic: number;
  size: number;
  /** Best terms first; the first is the topic's head, which no sibling's head shares a word with. */
  terms: string[];
  /** What the legend and the map show: the head term, and the second or third while the label stays short (see labelOf). */
  label: string;
}

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
/** The label adds a second term only while it stays this short: a legend row shows about 26 characters, and short labels find room on the map. */
export const MAX_LABEL_CHARS = 26;

/** Each text's distinct terms, its title's apart: a term counts once per paper, so one abstract repeating a word cannot name a topic. */
export function termSets(texts: string[]): PaperTerms[] {
  return texts.map(paperTerms);
}

export function topicTerms(texts: string[], topics: Int32Array, topTerms = 5): TopicTerms[] {
  return topicTermsOfSets(termSets(texts), topics, topTerms);
}

/**
 * Papers per class that naming reads. A bigger class is represented by evenly spaced members: its
 * top terms barely change, and a map of a million papers is named in the time ~50,000 would take.
 */
export const NAMING_SAMPLE = 2000;

/** Up to `cap` evenly spaced members of every class ≥ 0 (all members of smaller classes), ascending. */
export function sampleClasses(classes: Int32Array, cap: number): Uint32Array {
  const sizes = new Map<number, number>();
  for (const c of classes) if (c >= 0) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const seen = new Map<number, number>();
  const kept: number[] = [];
  classes.forEach((c, i) => {
    if (c < 0) return;
    const size = sizes.get(c)!;
    const k = seen.get(c) ?? 0;
    seen.set(c, k + 1);
    // Member k is kept when it starts a new one of `cap` equal steps through the class.
    if (size <= cap || Math.floor(((k + 1) * cap) / size) > Math.floor((k * cap) / size)) kept.push(i);
  });
  return Uint32Array.from(kept);
}

/**
 * Class-based TF-IDF on at most `cap` papers per class (see NAMING_SAMPLE); sizes are the full class
 * sizes. `termsOf(i)` gives paper i's distinct terms, so only sampled papers are ever read.
 */
export function sampledTopicTerms(termsOf: (index: number) => PaperTerms | string[], classes: Int32Array, topTerms = 5, cap = NAMING_SAMPLE): TopicTerms[] {
  const kept = sampleClasses(classes, cap);
  const named = topicTermsOfSets(Array.from(kept, termsOf), Int32Array.from(kept, (i) => classes[i]!), topTerms);
  const sizes = new Map<number, number>();
  for (const c of classes) if (c >= 0) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  return named.map((t) => ({ ...t, size: sizes.get(t.topic) ?? 0 }));
}

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

/** The label from a topic's terms: the head term, and the second or third when one fits MAX_LABEL_CHARS with it. */
export function labelOf(terms: string[]): string {
  const [head, ...rest] = terms;
  if (head === undefined) return '';
  const next = rest.slice(0, 2).find((t) => head.length + 2 + t.length <= MAX_LABEL_CHARS);
  return next === undefined ? head : `${head}, ${next}`;
}

interface Candidate {
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
interface TermCounts {
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

type Papers = readonly PaperTerms[];

function countTerms(papers: Papers, topics: Int32Array): TermCounts {
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
function rankCandidates({ total, sizes, inClass, weighted, docFreq, leadFreq, wordKeys }: TermCounts): Candidate[][] {
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

/** Class-based TF-IDF over precomputed term sets (see termSets; a plain list is a paper's body terms); topic −1 is left out. */
export function topicTermsOfSets(sets: readonly (PaperTerms | string[])[], topics: Int32Array, topTerms = 5): TopicTerms[] {
  const papers = sets.map((s) => (Array.isArray(s) ? { title: [], body: s } : s));
  const counts = countTerms(papers, topics);
  const ranked = rankCandidates(counts);
  const heads = siblingHeads(ranked, counts.sizes);
  const headWords = new Set(heads.flatMap((h) => h?.words ?? []));
  const chosen = ranked.map((candidates, topic) => {
    const terms: Candidate[] = heads[topic] ? [heads[topic]!] : [];
    for (const c of candidates) {
      if (terms.length >= topTerms) break;
      // Never a word twice in one name, nor a word that heads a sibling's name.
      if (terms.some((t) => t.words.some((w) => c.words.includes(w))) || c.words.some((w) => headWords.has(w))) continue;
      terms.push(c);
    }
    return terms.map((t) => t.key);
  });
  const shown = termsAsWritten(papers, topics, counts, new Set(chosen.flat()));
  return chosen.map((keys, topic) => {
    const terms = keys.map((key) => shown.get(key) ?? key);
    return { topic, size: counts.sizes[topic]!, terms, label: labelOf(terms) };
  });
}

/**
 * How each of `keys` is shown: its most frequent written form, in lower case but for words
 * capitalised in running text (see showTerm). Read only for the few keys that name topics.
 */
function termsAsWritten(papers: Papers, topics: Int32Array, { termKeys, wordKeys }: TermCounts, keys: ReadonlySet<string>): Map<string, string> {
  const words = new Set([...keys].flatMap((key) => wordKeys.get(key)!));
  const forms = new Map<string, Map<string, number>>();
  const capitals = new Map<string, Map<string, number>>();
  const count = (counts: Map<string, Map<string, number>>, key: string, value: string) => {
    const values = counts.get(key) ?? counts.set(key, new Map()).get(key)!;
    values.set(value, (values.get(value) ?? 0) + 1);
  };
  papers.forEach((paper, i) => {
    if (topics[i]! < 0) return;
    for (const [list, inTitle] of [[paper.body, false], [paper.title, true]] as const) {
      for (const term of list) {
        const { key } = termKeys.get(term)!;
        if (keys.has(key)) count(forms, key, term.toLowerCase());
        // A title capitalises every word: only capitals inside a word ("LLMs") tell anything there.
        if (!term.includes(' ') && words.has(key) && (!inTitle || hasInnerCapital(term))) count(capitals, term.toLowerCase(), term);
      }
    }
  });
  return new Map([...keys].map((key) => [key, showTerm(mostFrequent(forms.get(key)) ?? key, capitals)]));
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

/**
 * Each class's head term, no two sharing a word. The strongest claim wins: the (class, term) pair of
 * highest score × class size (the papers behind the claim) is settled first, and a class whose best
 * term clashes takes its next-best distinct one. A class left with no distinct term keeps its best
 * (null when it has no term at all).
 */
function siblingHeads(ranked: Candidate[][], sizes: number[]): (Candidate | null)[] {
  const heads: (Candidate | null)[] = ranked.map(() => null);
  const used = new Set<string>();
  const next = ranked.map(() => 0);
  const open = new Set(ranked.map((_, topic) => topic).filter((topic) => ranked[topic]!.length > 0));
  while (open.size > 0) {
    let best = -1;
    for (const topic of open) {
      const candidates = ranked[topic]!;
      while (next[topic]! < candidates.length && candidates[next[topic]!]!.words.some((w) => used.has(w))) next[topic]! += 1;
      const candidate = candidates[next[topic]!];
      if (candidate === undefined) {
        // Nothing distinct is left: the best term, shared or not, names it better than a number.
        heads[topic] = candidates[0]!;
        open.delete(topic);
        continue;
      }
      if (best < 0 || candidate.score * sizes[topic]! > ranked[best]![next[best]!]!.score * sizes[best]!) best = topic;
    }
    if (best < 0) break;
    const head = ranked[best]![next[best]!]!;
    heads[best] = head;
    for (const w of head.words) used.add(w);
    open.delete(best);
  }
  return heads;
}

/** A word is shown capitalised when at least this share of its uses in running text are ("Gaussian", "Transformers"). */
const CAPITALISED_SHARE = 2 / 3;

/**
 * A term as shown: acronyms as written ("LLMs", "ReLU"), a word capitalised in most of its uses as
 * such ("Gaussian"), else lower case; a capital never follows a lower-case word ("neural tangent
 * kernel", not "neural Tangent kernel").
 */
function showTerm(form: string, capitals: ReadonlyMap<string, Map<string, number>>): string {
  let lowerBefore = false;
  return form
    .split(' ')
    .map((word) => {
      const uses = capitals.get(word);
      const best = mostFrequent(uses);
      let shown = word;
      if (best !== undefined && hasInnerCapital(best)) shown = best;
      else if (best !== undefined && best !== word && !lowerBefore) {
        const all = [...uses!.values()].reduce((a, b) => a + b, 0);
        if (uses!.get(best)! >= CAPITALISED_SHARE * all) shown = best;
      }
      lowerBefore ||= shown === word;
      return shown;
    })
    .join(' ');
}

function mostFrequent(counts: Map<string, number> | undefined): string | undefined {
  if (!counts) return undefined;
  let best: string | undefined;
  for (const [form, n] of counts) if (best === undefined || n > counts.get(best)! || (n === counts.get(best)! && form < best)) best = form;
  return best;
}
