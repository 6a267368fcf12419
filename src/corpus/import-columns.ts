/**
 * The column map of an import: which column of the user's file feeds each field of a paper, and the
 * first guess at it from the columns' names (the page shows the guess and lets the user change it).
 */

/** Which column of the file feeds each field of a paper; null means none. */
export interface ColumnMap {
  title: string | null;
  /** The abstract (or summary, body…): what the map embeds after the title. */
  text: string | null;
  id: string | null;
  date: string | null;
  url: string | null;
  label: string | null;
  /** Precomputed embeddings: an array of numbers, or a JSON array in a text cell. */
  vector: string | null;
  x: string | null;
  y: string | null;
  authors: string | null;
  organization: string | null;
  upvotes: string | null;
}

export type ColumnField = keyof ColumnMap;

/** Usual column names per field, best first, compared without case, spaces or punctuation. */
const COLUMN_NAMES: Record<ColumnField, string[]> = {
  title: ['title', 'papertitle', 'name', 'displayname'],
  text: ['abstract', 'text', 'summary', 'description', 'body', 'content', 'abstracttext'],
  id: ['id', 'paperid', 'arxivid', 'arxiv', 'doi', 'uid', 'corpusid', 'pmid'],
  date: ['date', 'published', 'publisheddate', 'publicationdate', 'pubdate', 'publishedat', 'year', 'publicationyear', 'created', 'createdat', 'submitted', 'updatedate', 'updated'],
  url: ['url', 'link', 'pdf', 'pdfurl', 'absurl', 'href'],
  label: ['label', 'category', 'primarycategory', 'topic', 'class', 'categories', 'field', 'fieldsofstudy', 'subject', 'venue'],
  vector: ['embedding', 'vector', 'embeddings', 'vectors', 'emb'],
  x: ['x', 'umapx', 'projectionx'],
  y: ['y', 'umapy', 'projectiony'],
  authors: ['authors', 'author', 'authorcount', 'nauthors', 'numauthors'],
  organization: ['organization', 'organisation', 'org', 'affiliation', 'institution'],
  upvotes: ['upvotes', 'votes', 'likes', 'stars'],
};

export const COLUMN_FIELDS = Object.keys(COLUMN_NAMES) as ColumnField[];

const squash = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Picks a column for each field by its usual names; a column feeds at most one field. */
export function guessColumns(columns: string[]): ColumnMap {
  const byName = new Map<string, string>();
  for (const column of columns) if (!byName.has(squash(column))) byName.set(squash(column), column);
  const taken = new Set<string>();
  const map = Object.fromEntries(COLUMN_FIELDS.map((f) => [f, null])) as unknown as ColumnMap;
  for (const field of COLUMN_FIELDS) {
    for (const name of COLUMN_NAMES[field]) {
      const column = byName.get(name);
      if (column !== undefined && !taken.has(column)) {
        map[field] = column;
        taken.add(column);
        break;
      }
    }
  }
  return map;
}
