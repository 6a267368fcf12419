/** One paper as the map knows it. Fields the source did not give are null, never guessed. */
export interface Paper {
  /** Stable id: derived from the normalised title, so it survives re-ordering and re-builds. */
  id: string;
  title: string;
  abstract: string;
  /** Number of authors shown on the listing ("• 4 authors"). */
  authors: number | null;
  /** Organisation shown instead of an author count on some listings ("apple Apple"). */
  organization: string | null;
  /** Publication date exactly as the page printed it ("Dec 9, 2022", "Mar 21"). */
  dateText: string | null;
  /** ISO date (YYYY-MM-DD) when the page gave a year, else null. */
  date: string | null;
  year: number | null;
  upvotes: number | null;
  /** Ids of the listing pages this paper appeared on, sorted (for an imported file: its name). */
  sources: string[];
  /** Link to the paper, from an imported file's url column. Absent in the shipped corpus. */
  url?: string | null;
  /** A label the user's file gave (category, topic, class). Absent in the shipped corpus. */
  label?: string | null;
}

export interface CorpusSource {
  id: string;
  /**
   * What the page is and when, for people ("Daily Papers · Nov 20"; see source-names.ts). Absent in
   * corpora built before names were given: the id stands in.
   */
  name?: string;
  /** A sentence more about the page, for a tooltip. */
  detail?: string;
  layout: ListingLayout;
  /** Date printed in the page header ("Nov 20"), if any. */
  pageDate: string | null;
  records: number;
}

export type ListingLayout = 'blocks' | 'lines';

export interface Corpus {
  format: 'papermap-corpus';
  version: 1;
  /** SHA-256 of the canonical JSON of `papers`: the cache key of everything computed from them. */
  hash: string;
  sources: CorpusSource[];
  papers: Paper[];
}
