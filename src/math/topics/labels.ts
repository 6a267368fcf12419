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
 * The scores and the first three rules are ./term-ranking.ts; this module picks each class's name
 * among the ranked terms (the last rule) and writes it as the papers do. Candidate terms come from
 * ./terms (prose only: no URLs, markup, numbers or LaTeX).
 */
import { hasInnerCapital, paperTerms, type PaperTerms } from './terms';
import { countTerms, rankCandidates, type Candidate, type TermCounts } from './term-ranking';
import { numberTerms, selectPapers, type NumberedTerms } from './term-table';

export { extractTerms, paperTerms, type PaperTerms } from './terms';

export interface TopicTerms {
  topic: number;
  size: number;
  /** Best terms first; the first is the topic's head, which no sibling's head shares a word with. */
  terms: string[];
  /** What the legend and the map show: the head term, and the second or third while the label stays short (see labelOf). */
  label: string;
}

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
 * Where naming reads papers' terms: a function giving paper i's (paperTerms, or a plain list of body
 * terms), called only for the papers sampled; or every paper's terms already numbered (./term-table.ts).
 */
export type TermSource = ((index: number) => PaperTerms | string[]) | NumberedTerms;

/**
 * Class-based TF-IDF on at most `cap` papers per class (see NAMING_SAMPLE); sizes are the full class
 * sizes. Only the sampled papers' terms are read.
 */
export function sampledTopicTerms(source: TermSource, classes: Int32Array, topTerms = 5, cap = NAMING_SAMPLE): TopicTerms[] {
  const kept = sampleClasses(classes, cap);
  const papers = typeof source === 'function' ? numberTerms(Array.from(kept, source)) : selectPapers(source, kept);
  const named = namedTopics(papers, Int32Array.from(kept, (i) => classes[i]!), topTerms);
  const sizes = new Map<number, number>();
  for (const c of classes) if (c >= 0) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  return named.map((t) => ({ ...t, size: sizes.get(t.topic) ?? 0 }));
}

/** The label from a topic's terms: the head term, and the second or third when one fits MAX_LABEL_CHARS with it. */
export function labelOf(terms: string[]): string {
  const [head, ...rest] = terms;
  if (head === undefined) return '';
  const next = rest.slice(0, 2).find((t) => head.length + 2 + t.length <= MAX_LABEL_CHARS);
  return next === undefined ? head : `${head}, ${next}`;
}

/** Class-based TF-IDF over precomputed term sets (see termSets; a plain list is a paper's body terms); topic −1 is left out. */
export function topicTermsOfSets(sets: readonly (PaperTerms | string[])[], topics: Int32Array, topTerms = 5): TopicTerms[] {
  return namedTopics(numberTerms(sets), topics, topTerms);
}

function namedTopics(papers: NumberedTerms, topics: Int32Array, topTerms: number): TopicTerms[] {
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
  const shown = termsAsWritten(counts, new Set(chosen.flat()));
  return chosen.map((keys, topic) => {
    const terms = keys.map((key) => shown.get(key) ?? key);
    return { topic, size: counts.sizes[topic]!, terms, label: labelOf(terms) };
  });
}

/**
 * How each of `names` (keys) is shown: its most frequent written form, in lower case but for words
 * capitalised in running text (see showTerm). Read only for the few keys that name topics.
 */
function termsAsWritten({ terms, termKey, keys, keyIndex, keyWords, read, start, titleStart }: TermCounts, names: ReadonlySet<string>): Map<string, string> {
  const named = new Uint8Array(keyWords.length);
  const word = new Uint8Array(keyWords.length);
  for (const key of names) {
    const k = keyIndex.get(key)!;
    named[k] = 1;
    for (const w of keyWords[k]!) word[w] = 1;
  }
  const forms = new Map<string, Map<string, number>>();
  const capitals = new Map<string, Map<string, number>>();
  const count = (counts: Map<string, Map<string, number>>, key: string, value: string) => {
    const values = counts.get(key) ?? counts.set(key, new Map()).get(key)!;
    values.set(value, (values.get(value) ?? 0) + 1);
  };
  for (let p = 0; p + 1 < start.length; p++) {
    for (let o = start[p]!; o < start[p + 1]!; o++) {
      const t = read[o]!, k = termKey[t]!;
      if (!named[k] && !word[k]) continue;
      const term = terms[t]!;
      if (named[k]) count(forms, keys[k]!, term.toLowerCase());
      // A title capitalises every word: only capitals inside a word ("LLMs") tell anything there.
      if (word[k] && !term.includes(' ') && (o < titleStart[p]! || hasInnerCapital(term))) count(capitals, term.toLowerCase(), term);
    }
  }
  return new Map([...names].map((key) => [key, showTerm(mostFrequent(forms.get(key)) ?? key, capitals)]));
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
