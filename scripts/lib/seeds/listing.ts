/**
 * Parser for the raw text dumps of paper listing pages (data/seeds/*.txt).
 *
 * Two page layouts occur:
 *  - "blocks": paragraphs separated by blank lines: title, abstract, then an optional footer
 *    ("  • 4 authors" or an organisation line, "·", "Dec 9, 2022 3" = date and upvotes);
 *  - "lines": no blank lines, titles and abstracts alternate line by line.
 * Both start with page chrome ("Get trending papers…", "Subscribe", a page date) that is not a paper.
 */
import type { ListingLayout, Paper } from '../../../src/corpus/types';

/** A paper as one page printed it (ids and sources are given when pages are merged). */
export type ListingRecord = Pick<Paper, 'title' | 'abstract' | 'authors' | 'organization' | 'dateText' | 'date' | 'year' | 'upvotes'>;

export interface ParsedListing {
  layout: ListingLayout;
  /** Which listing the page is, from its chrome ("Daily Papers"), or null. */
  heading: string | null;
  pageDate: string | null;
  records: ListingRecord[];
  /** Paragraphs or lines that could not be read as part of a paper, kept so nothing is lost silently. */
  skipped: string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?';
/** "Dec 9, 2022", "Dec 9, 2022 3", "Mar 21", "Mar 21 2". */
const DATE_LINE = new RegExp(`^${MONTH} (\\d{1,2})(?:, (\\d{4}))?(?: (\\d+))?$`);
const PAGE_DATE = new RegExp(`^${MONTH} \\d{1,2}(?:, \\d{4})?$`);
const AUTHORS_LINE = /^•\s*(\d+)\s+authors?$/;
const CHROME_LINES = new Set([
  'new',
  'subscribe',
  'daily papers',
  'byak and the research community',
  'get trending papers in your email inbox!',
  'get trending papers in your email inbox once a day!',
]);
/** Chrome lines that say which listing a page is, and the heading they give it. */
const HEADINGS: Record<string, string> = {
  'daily papers': 'Daily Papers',
  // The Daily Papers byline: a page dumped without its heading still has it.
  'byak and the research community': 'Daily Papers',
};
/** Whitespace as people read it: NBSP and friends become spaces, runs collapse, CRLF becomes LF. */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n');
}

/** A count printed on the page ("4 authors", upvotes); digits past what a number holds exactly are not one. */
function count(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

export interface ParsedDate {
  dateText: string;
  date: string | null;
  year: number | null;
  upvotes: number | null;
}

/** Reads a footer date line; the trailing number, when present, is the upvote count. */
export function parseDateLine(line: string): ParsedDate | null {
  const m = DATE_LINE.exec(line.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!.toLowerCase()) + 1;
  const day = Number(m[2]);
  const year = m[3] ? Number(m[3]) : null;
  const upvotes = m[4] !== undefined ? count(m[4]) : null;
  const dateText = year !== null ? `${m[1]} ${day}, ${year}` : `${m[1]} ${day}`;
  let date: string | null = null;
  if (year !== null && isValidDay(year, month, day)) {
    date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return { dateText, date, year, upvotes };
}

function isValidDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

interface Footer {
  authors: number | null;
  organization: string | null;
  date: ParsedDate | null;
}

/** A footer paragraph: an author count or organisation line, a "·" separator, a date line. */
export function parseFooter(paragraph: string): Footer | null {
  const lines = paragraph.split('\n').filter((l) => l !== '');
  const dot = lines.indexOf('·');
  if (dot < 0 || lines.length > 3) return null;
  const who = lines.slice(0, dot).join(' ');
  const date = dot + 1 < lines.length ? parseDateLine(lines[dot + 1]!) : null;
  if (dot + 1 < lines.length && !date) return null;
  const authors = AUTHORS_LINE.exec(who);
  if (authors) return { authors: count(authors[1]!), organization: null, date };
  if (who === '') return { authors: null, organization: null, date };
  // "apple Apple": an organisation's handle then its display name.
  const words = who.split(' ');
  const organization = words.length > 1 && words[0]!.toLowerCase() === words[0] ? words.slice(1).join(' ') : who;
  return { authors: null, organization, date };
}

function isChrome(line: string): boolean {
  return CHROME_LINES.has(line.toLowerCase());
}

/** Drops the page chrome at the top; returns the page's heading and header date if they were printed. */
function stripChrome(lines: string[]): { body: string[]; heading: string | null; pageDate: string | null } {
  let i = 0;
  let pageDate: string | null = null;
  let heading: string | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || isChrome(line)) {
      heading ??= HEADINGS[line.toLowerCase()] ?? null;
      continue;
    }
    if (PAGE_DATE.test(line) && pageDate === null) {
      pageDate = line;
      continue;
    }
    break;
  }
  const body = lines.slice(i);
  // The "lines" dump glues the Subscribe button to the first title: "SubscribeMesa: A Memory-saving…".
  if (body.length > 0) body[0] = body[0]!.replace(/^Subscribe(?=\p{Lu}|\d)/u, '');
  return { body, heading, pageDate };
}

export function detectLayout(text: string): ListingLayout {
  const lines = normaliseText(text).split('\n');
  const nonEmpty = lines.filter((l) => l !== '').length;
  const blank = lines.length - nonEmpty;
  // Block pages have about one blank line per paragraph; line pages have next to none.
  return blank * 4 >= nonEmpty ? 'blocks' : 'lines';
}

function emptyRecord(title: string, abstract: string): ListingRecord {
  return { title, abstract, authors: null, organization: null, dateText: null, date: null, year: null, upvotes: null };
}

/** A title is one short line; anything long or multi-line belongs to an abstract. */
function looksLikeTitle(paragraph: string): boolean {
  return !paragraph.includes('\n') && paragraph.length <= 300;
}

function parseBlocks(body: string[]): { records: ListingRecord[]; skipped: string[] } {
  const paragraphs = body.join('\n').split(/\n{2,}/).map((p) => p.trim()).filter((p) => p !== '');
  const records: ListingRecord[] = [];
  const skipped: string[] = [];
  let current: ListingRecord | null = null;
  let pendingTitle: string | null = null;
  for (const paragraph of paragraphs) {
    const footer = parseFooter(paragraph);
    if (footer) {
      if (current && current.dateText === null && current.authors === null && current.organization === null) {
        current.authors = footer.authors;
        current.organization = footer.organization;
        if (footer.date) Object.assign(current, footer.date);
      } else {
        skipped.push(paragraph);
      }
      continue;
    }
    if (pendingTitle !== null) {
      current = emptyRecord(pendingTitle, paragraph.replace(/\n/g, ' '));
      records.push(current);
      pendingTitle = null;
    } else if (looksLikeTitle(paragraph)) {
      pendingTitle = paragraph;
    } else if (current) {
      // A blank line inside an abstract: the paragraph continues it.
      current.abstract += ' ' + paragraph.replace(/\n/g, ' ');
    } else {
      skipped.push(paragraph);
    }
  }
  if (pendingTitle !== null) skipped.push(pendingTitle);
  return { records, skipped };
}

function parseLines(body: string[]): { records: ListingRecord[]; skipped: string[] } {
  const lines = body.filter((l) => l !== '');
  const records: ListingRecord[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const title = lines[i]!;
    const abstract = lines[i + 1];
    if (abstract === undefined || !looksLikeTitle(title)) {
      skipped.push(title);
      continue;
    }
    records.push(emptyRecord(title, abstract));
  }
  return { records, skipped };
}

/** Parses one raw listing page into paper records, in page order. */
export function parseListing(text: string): ParsedListing {
  const normalised = normaliseText(text);
  const layout = detectLayout(normalised);
  const { body, heading, pageDate } = stripChrome(normalised.split('\n'));
  const { records, skipped } = layout === 'blocks' ? parseBlocks(body) : parseLines(body);
  return { layout, heading, pageDate, records, skipped };
}
