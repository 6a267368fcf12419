/**
 * Names clusters from their papers with class-based TF-IDF (as BERTopic does): all text of a cluster
 * is one document; a term scores high when it is frequent in that cluster and rare across clusters.
 * Terms are words and two-word phrases; stop words and abstract boilerplate never count.
 */
import { LABEL_STOPWORDS } from './stopwords';

export interface TopicTerms {
  topic: number;
  size: number;
  /** Best terms first. */
  terms: string[];
  /** A short human label: the top two or three terms. */
  label: string;
}

/** Content words and the two-word phrases they form inside a sentence fragment. */
export function extractTerms(text: string): string[] {
  const words = text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}-]+/u)
    .map((w) => w.replace(/^-+|-+$/g, ''));
  const terms: string[] = [];
  let previous: string | null = null;
  for (const word of words) {
    const keep = word.length > 2 && !LABEL_STOPWORDS.has(word) && !/^\d+$/.test(word);
    if (!keep) {
      previous = null;
      continue;
    }
    terms.push(word);
    if (previous) terms.push(`${previous} ${word}`);
    previous = word;
  }
  return terms;
}

/** Each text's distinct terms: a term counts once per paper, so one abstract repeating a word cannot name a topic. */
export function termSets(texts: string[]): string[][] {
  return texts.map((text) => [...new Set(extractTerms(text))]);
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
export function sampledTopicTerms(termsOf: (index: number) => string[], classes: Int32Array, topTerms = 5, cap = NAMING_SAMPLE): TopicTerms[] {
  const kept = sampleClasses(classes, cap);
  const named = topicTermsOfSets(Array.from(kept, termsOf), Int32Array.from(kept, (i) => classes[i]!), topTerms);
  const sizes = new Map<number, number>();
  for (const c of classes) if (c >= 0) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  return named.map((t) => ({ ...t, size: sizes.get(t.topic) ?? 0 }));
}

/** Class-based TF-IDF over precomputed term sets (see termSets); topic −1 is left out. */
export function topicTermsOfSets(sets: string[][], topics: Int32Array, topTerms = 5): TopicTerms[] {
  const clusterCount = topics.reduce((m, t) => Math.max(m, t + 1), 0);
  const counts = Array.from({ length: clusterCount }, () => new Map<string, number>());
  const sizes = new Array<number>(clusterCount).fill(0);
  const total = new Map<string, number>();
  sets.forEach((terms, i) => {
    const topic = topics[i]!;
    if (topic < 0) return;
    sizes[topic]! += 1;
    for (const term of terms) {
      counts[topic]!.set(term, (counts[topic]!.get(term) ?? 0) + 1);
      total.set(term, (total.get(term) ?? 0) + 1);
    }
  });
  const averageTerms = counts.reduce((s, c) => s + [...c.values()].reduce((a, b) => a + b, 0), 0) / Math.max(1, clusterCount);
  return counts.map((termCounts, topic) => {
    const clusterTotal = [...termCounts.values()].reduce((a, b) => a + b, 0) || 1;
    const scored = [...termCounts.entries()]
      // A term seen in a single paper says little about a whole topic.
      .filter(([, n]) => n >= Math.min(2, sizes[topic]!))
      .map(([term, n]) => {
        const phraseBonus = term.includes(' ') ? 1.5 : 1;
        return [term, (n / clusterTotal) * Math.log(1 + averageTerms / total.get(term)!) * phraseBonus] as const;
      })
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const terms: string[] = [];
    for (const [term] of scored) {
      // Skip a word already inside a chosen phrase, and a phrase made of chosen words.
      if (terms.some((t) => t.split(' ').includes(term) || term.split(' ').includes(t))) continue;
      terms.push(term);
      if (terms.length === topTerms) break;
    }
    return { topic, size: sizes[topic]!, terms, label: terms.slice(0, terms[0]?.includes(' ') ? 2 : 3).join(', ') };
  });
}
