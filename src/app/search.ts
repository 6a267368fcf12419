/**
 * Search: by words (an index of every paper's words, built on the first search) or by meaning (the
 * query embedded in a worker by the map's model, blended with the map's corpus fit, and ranked
 * against the map's vectors and words). Hits light up on the map and list under the box.
 */
import { colourTopics } from '../cache/maps';
import { paperText } from '../corpus/text';
import { cssColour, topicColour } from '../map/palette';
import { blendQuery } from '../model/corpus-fit';
import { buildKeywordIndex, keywordSearch, queryWords, type KeywordIndex, type SearchHit } from '../search/keyword';
import { buildLexicalIndex, type LexicalIndex } from '../search/lexical';
import { QueryEmbedder } from '../search/query-client';
import { meaningRank } from '../search/semantic';
import { MAX_ROWS, SearchBox, type SearchMode } from '../ui/search-box';
import { fileGeometry } from '../pipeline/types';
import { assetUrl, type AppState } from './state';

/** Search by meaning highlights this many nearest papers. */
const SEMANTIC_HITS = 25;
/** Above this many papers search by meaning compares vectors only: the word index would cost seconds and memory. */
const LEXICAL_MAX_PAPERS = 200_000;
/** Papers above which a word search waits for a pause in typing instead of running on every keystroke. */
const SEARCH_AS_YOU_TYPE_MAX = 50_000;

/** The current search; `compared` is false when it could not run (no searchable word, no vectors, an error), and then the map is not dimmed. */
export interface SearchState {
  query: string;
  mode: SearchMode;
  hits: SearchHit[];
  message: string | null;
  compared: boolean;
}

export interface SearchContext {
  /** Centres the map on a paper and opens it. */
  flyTo(index: number): void;
  /** The search changed (the URL is replaced, not pushed: typing is not a series of steps; the map recolours). */
  changed(): void;
}

export class SearchController {
  current: SearchState | null = null;
  private token = 0;
  private keywordIndex: KeywordIndex | null = null;
  /** Words of every paper for the lexical half of search by meaning; built on the first such search. */
  private lexicalIndex: LexicalIndex | null = null;
  private queries: QueryEmbedder | null = null;
  readonly box = new SearchBox({
    search: (query, mode) => void this.run(query, mode),
    open: (index) => this.context.flyTo(index),
    selectAll: () => this.state.selection?.selection.apply(this.current?.hits.map((h) => h.index) ?? [], 'replace'),
  });

  constructor(
    private readonly state: AppState,
    private readonly context: SearchContext,
  ) {}

  /** A new map is shown: a big one waits for a pause in typing. */
  mapShown(papers: number): void {
    this.box.keywordDelay = papers > SEARCH_AS_YOU_TYPE_MAX ? 250 : 0;
  }

  /** Another corpus: indexes and search dropped. */
  reset(): void {
    this.keywordIndex = null;
    this.lexicalIndex = null;
    this.current = null;
    this.box.set('', 'keyword');
    this.box.show({ total: 0, rows: [], message: null });
  }

  /** Another model: the query worker (which holds the old one) stops. */
  modelChanged(): void {
    this.queries?.dispose();
    this.queries = null;
  }

  /** Runs a search as the box or a URL asks; a newer search makes an older one's answer moot. */
  async run(query: string, mode: SearchMode): Promise<void> {
    const token = ++this.token;
    const { entry, corpus } = this.state;
    if (!entry || !corpus) return;
    if (query.trim() === '') {
      this.current = null;
      this.context.changed();
      this.box.show({ total: 0, rows: [], message: null });
      return;
    }
    let hits: SearchHit[] = [];
    let message: string | null = null;
    let compared = false;
    const given = this.state.given;
    if (mode === 'keyword') {
      this.keywordIndex ??= buildKeywordIndex(corpus.papers);
      hits = keywordSearch(this.keywordIndex, query);
      compared = queryWords(query).length > 0;
      if (!compared) message = 'Type a word of two or more letters.';
      else if (hits.length === 0) message = `No paper contains ${queryWords(query).map((w) => `“${w}”`).join(' and ')}.`;
    } else if (given?.vectors) {
      message = `This map's vectors came with ${this.state.name}: search by meaning needs the model that made them. Search by words instead.`;
    } else if (fileGeometry(given) === 'positions') {
      message = `This map's positions came with ${this.state.name}, so its papers were not embedded: search by meaning needs embeddings (import the file with an embedding column, or without x and y to have them computed). Search by words instead.`;
    } else {
      this.box.show({ total: 0, rows: [], message: null, busy: true });
      const modelId = this.state.modelId;
      this.queries ??= new QueryEmbedder({ modelId, modelsUrl: assetUrl('models/'), ortUrl: assetUrl('ort/') });
      try {
        const vector = await this.queries.embed(query);
        if (token !== this.token) return;
        compared = vector !== null;
        if (vector === null) message = `None of these words is known to the model (${modelId}): nothing to compare. Try other words, or search by words.`;
        else {
          // The query lands in the map's space: blended with the corpus fit the map was built with.
          const fit = entry.corpusFit ?? null;
          const queryVector = fit ? blendQuery(fit, vector, query) : vector;
          this.lexicalIndex ??= corpus.papers.length <= LEXICAL_MAX_PAPERS ? buildLexicalIndex(corpus.papers.map(paperText)) : null;
          hits = meaningRank(entry.embeddings, entry.dims, queryVector, query, this.lexicalIndex, SEMANTIC_HITS).filter((h) => h.score > 0);
        }
      } catch (error) {
        if (token !== this.token) return;
        message = `Search by meaning failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (token !== this.token) return;
    this.current = { query, mode, hits, message, compared };
    this.context.changed();
    const { topics } = colourTopics(entry);
    this.box.show({
      total: hits.length,
      message,
      rows: hits.slice(0, MAX_ROWS).map((h) => {
        const paper = corpus.papers[h.index]!;
        const score = mode === 'semantic' ? `similarity ${h.score.toFixed(2)}` : null;
        return { index: h.index, title: paper.title, meta: [this.state.topicOf(h.index).label ?? 'No clear topic', paper.dateText, score].filter(Boolean).join(' · '), colour: cssColour(topicColour(topics[h.index]!)) };
      }),
    });
  }
}
