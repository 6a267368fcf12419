/**
 * Topics at several levels of detail, as DataMapPlot shows them: broad areas when zoomed out, finer
 * topics when zoomed in. Each level is a density clustering of the map at its own kernel width,
 * named by class-based TF-IDF; the middle level colours the map.
 */
import { DEFAULT_CLUSTER_OPTIONS, densityClusters, type ClusterOptions } from './clusters';
import { NAMING_SAMPLE, paperTerms, sampleClasses, sampledTopicTerms, type PaperTerms, type TermSource, type TopicTerms } from './labels';
import { numberTerms, type NumberedTerms } from './term-table';

export interface TopicLevel {
  /** Topic of each paper at this level, −1 for none. */
  topics: Int32Array;
  terms: TopicTerms[];
}

/** Coarse to fine. */
export const TOPIC_LEVELS: readonly ClusterOptions[] = [
  { ...DEFAULT_CLUSTER_OPTIONS, bandwidthScale: 1, persistence: 0.12 },
  DEFAULT_CLUSTER_OPTIONS,
  { ...DEFAULT_CLUSTER_OPTIONS, bandwidthScale: 0.5, scaleNeighbours: 5 },
];

/** The level whose topics colour the map and fill the legend. */
export const COLOUR_LEVEL = 1;

/** Paper i's terms, read from its text when first asked for and kept: naming reads only the papers it samples, each once across levels. */
export function termsReadOnce(texts: readonly string[]): (index: number) => PaperTerms {
  const sets: (PaperTerms | undefined)[] = new Array(texts.length);
  return (i) => (sets[i] ??= paperTerms(texts[i]!));
}

/** `terms`: the papers' terms (termsReadOnce, or every paper's numbered by another worker: ./term-table.ts). */
export function topicLevels(coords: Float32Array, n: number, terms: TermSource, levels: readonly ClusterOptions[] = TOPIC_LEVELS): TopicLevel[] {
  const clusterings = levels.map((options) => densityClusters(coords, n, options));
  const numbered = numberOnce(terms, clusterings, n);
  return clusterings.map((topics) => ({ topics, terms: sampledTopicTerms(numbered, topics) }));
}

/**
 * topicLevels with the finest level, which samples the most papers, named by `nameBeside` (another
 * worker, which read the terms) while this thread names the others; where it gives null, here too.
 * The same levels as topicLevels: the same functions on the same terms.
 */
export async function topicLevelsBeside(coords: Float32Array, n: number, terms: TermSource, nameBeside: (topics: Int32Array) => Promise<TopicTerms[]> | null, levels: readonly ClusterOptions[] = TOPIC_LEVELS): Promise<TopicLevel[]> {
  const clusterings = levels.map((options) => densityClusters(coords, n, options));
  const finest = clusterings.length - 1;
  const beside = nameBeside(clusterings[finest]!);
  const numbered = numberOnce(terms, beside ? clusterings.slice(0, finest) : clusterings, n);
  const named = clusterings.map((topics, level) => (beside && level === finest ? null : sampledTopicTerms(numbered, topics)));
  if (beside) named[finest] = await beside;
  return clusterings.map((topics, level) => ({ topics, terms: named[level]! }));
}

/** Terms read as naming asks are numbered once for all levels, which sample mostly the same papers. */
function numberOnce(terms: TermSource, clusterings: Int32Array[], n: number): NumberedTerms {
  return typeof terms === 'function' ? numberSampled(terms, clusterings, n) : terms;
}

const NO_TERMS: PaperTerms = { title: [], body: [] };

/** The terms of every paper that some level's naming samples, numbered; the other papers have none. */
function numberSampled(terms: (index: number) => PaperTerms | string[], clusterings: Int32Array[], n: number): NumberedTerms {
  const sampled = new Uint8Array(n);
  for (const topics of clusterings) for (const i of sampleClasses(topics, NAMING_SAMPLE)) sampled[i] = 1;
  return numberTerms(Array.from({ length: n }, (_, i) => (sampled[i] ? terms(i) : NO_TERMS)));
}
