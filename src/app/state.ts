/**
 * The one copy of what is shown, which every controller reads: the corpus and its map, where they
 * came from, and how this visit got them. Controllers change it only through the App's
 * commit/show (the map) or their own fields (search, colours, open paper).
 */
import type { Corpus } from '../corpus/types';
import { colourTopics, type MapEntry } from '../cache/maps';
import type { StoredCorpus } from '../cache/corpora';
import { cssColour, topicColour } from '../map/palette';
import type { SelectionController } from '../selection/controller';
import type { GivenGeometry, Stage } from '../pipeline/types';

/** What a map is made from: a corpus, what its file gave besides text, and how the URL names it. */
export interface MapSource {
  corpus: Corpus;
  given: GivenGeometry | null;
  /** null for the shipped corpus, `local:<hash>` for an imported file, or the URL it was loaded from. */
  param: string | null;
  name: string;
}

export function sourceOf(stored: StoredCorpus): MapSource {
  return {
    corpus: stored.corpus,
    given: { vectors: stored.vectors, coords: stored.coords },
    param: stored.source.kind === 'url' ? stored.source.url : `local:${stored.hash}`,
    name: stored.name,
  };
}

export class AppState {
  corpus: Corpus | null = null;
  /** The map shown (coordinates normalised, see math/geometry/normalise.ts); null before the first one. */
  entry: MapEntry | null = null;
  /** What the corpus file gave besides text (vectors, positions), or null. */
  given: GivenGeometry | null = null;
  /** How the URL names the corpus shown: null for the shipped corpus, `local:<hash>`, or a URL. */
  param: string | null = null;
  name = 'Shipped corpus';
  /** The selection of the map shown: one controller per map. */
  selection: SelectionController | null = null;
  /** True when this visit drew the map from IndexedDB without running the pipeline. */
  cached = false;
  /** Pipeline stages that ran for the map shown. */
  ran: Stage[] = [];
  /** Milliseconds per step of this visit (corpus, cache, model, embed, …, render). */
  readonly timings: Record<string, number> = {};
  error: string | null = null;
  /** Why maps are not saved for next time, if they are not. */
  cacheProblem: string | null = null;
  /** Problems met before a map was shown (e.g. a corpus URL that failed), shown with the map. */
  readonly notes: string[] = [];

  constructor(public modelId: string) {}

  /** The source of the map shown, to build it again (another model, a rebuild). */
  source(given = this.given): MapSource | null {
    return this.corpus ? { corpus: this.corpus, given, param: this.param, name: this.name } : null;
  }

  /** The colouring topic of paper `index` on the map shown: its label (null: no clear topic) and colour. */
  topicOf(index: number): { label: string | null; colour: string } {
    const { topics, terms: allTerms } = colourTopics(this.entry!);
    const topic = topics[index]!;
    const terms = allTerms[topic];
    return { label: topic >= 0 ? terms?.label ?? `Topic ${topic + 1}` : null, colour: cssColour(topicColour(topic)) };
  }
}

export function assetUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}
