/**
 * Exports of a selection: CSV (PapaParse: quoting of commas, quotes and newlines done right), JSON,
 * and BibTeX-like @misc entries with LaTeX's special characters escaped. Pure functions.
 */
import Papa from 'papaparse';
import type { Paper } from '../corpus/types';

export interface ExportRow extends Paper {
  topic: string | null;
}

const CSV_FIELDS = ['id', 'title', 'abstract', 'dateText', 'date', 'year', 'authors', 'organization', 'upvotes', 'sources', 'topic', 'label', 'url'] as const;

/**
 * CSV of the rows. Cells that a spreadsheet would run as a formula (starting with = + - @ or a tab)
 * get a leading ' (PapaParse's escapeFormulae): titles come from untrusted files.
 */
export function toCsv(rows: ExportRow[]): string {
  return Papa.unparse(
    {
      fields: [...CSV_FIELDS],
      data: rows.map((r) => CSV_FIELDS.map((f) => (f === 'sources' ? r.sources.join(';') : (r[f] ?? '')))),
    },
    { newline: '\n', escapeFormulae: true },
  );
}

/** A citation key BibTeX accepts: ids from files may hold spaces, commas or braces. */
export function bibtexKey(id: string): string {
  return id.replace(/[^A-Za-z0-9_:.-]+/g, '-').replace(/^-+|-+$/g, '') || 'paper';
}

export function toJson(rows: ExportRow[], meta: { corpusHash: string; model: string }): string {
  return JSON.stringify({ format: 'papermap-selection', version: 1, ...meta, count: rows.length, papers: rows }, null, 2);
}

/** A value for a braced BibTeX field: LaTeX specials escaped, whitespace (newlines too) collapsed. */
export function bibtexEscape(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}%&$#_~^]/g, (ch) => {
      switch (ch) {
        case '\\':
          return '\\textbackslash{}';
        case '~':
          return '\\textasciitilde{}';
        case '^':
          return '\\textasciicircum{}';
        default:
          return '\\' + ch;
      }
    });
}

export function toBibtex(rows: ExportRow[]): string {
  return rows
    .map((r) => {
      const fields: [string, string][] = [
        ['title', r.title],
        ['abstract', r.abstract],
      ];
      if (r.year !== null) fields.push(['year', String(r.year)]);
      if (r.date) fields.push(['date', r.date]);
      if (r.organization) fields.push(['organization', r.organization]);
      if (r.url) fields.push(['url', r.url]);
      const note = [r.authors !== null ? `${r.authors} authors` : null, r.topic ? `topic: ${r.topic}` : null, r.sources.length ? `listed on ${r.sources.join(', ')}` : null]
        .filter(Boolean)
        .join('; ');
      if (note) fields.push(['note', note]);
      const body = fields.map(([k, v]) => `  ${k} = {${bibtexEscape(v)}}`).join(',\n');
      return `@misc{${bibtexKey(r.id)},\n${body}\n}`;
    })
    .join('\n\n') + '\n';
}

/** Titles, one per line, for the clipboard. */
export function titleList(rows: ExportRow[]): string {
  return rows.map((r) => r.title.replace(/\s+/g, ' ')).join('\n');
}
