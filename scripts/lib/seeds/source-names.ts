/**
 * Readable names for the listing pages a corpus is built from, made once when the corpus is built
 * (the page ids are file names such as "001_6f5fe4551bb3efdb", which say nothing to a reader).
 * A name says what the page is and when: its heading ("Daily Papers") or, for a page without one,
 * the subject its titles share that the other pages' titles do not; then the date the page printed,
 * or else the years of its dated papers: "Daily Papers · Nov 20", "Diffusion · 2021–2024".
 * Pure: the build script and the tests share it.
 */
import { paperTerms, topicTermsOfSets } from '../../../src/math/topics/labels';

export interface PageFacts {
  /** The listing's heading as the page printed it ("Daily Papers"), or null. */
  heading: string | null;
  /** The date the page printed in its header ("Nov 20"), or null. */
  pageDate: string | null;
  /** Titles of the papers listed, in page order. */
  titles: string[];
  /** Years of the papers listed that gave one. */
  years: number[];
}

export interface SourceName {
  /** Short enough for a legend row. */
  name: string;
  /** One more sentence for a tooltip: how many papers, their years, the telling title terms. */
  detail: string;
}

/** A subject longer than this makes the name too long for a legend row: a shorter term is taken. */
const MAX_SUBJECT_CHARS = 20;

/** "2021–2024", "2024", or null when no paper gave a year. */
export function yearRange(years: readonly number[]): string | null {
  if (years.length === 0) return null;
  let min = Infinity, max = -Infinity;
  for (const y of years) [min, max] = [Math.min(min, y), Math.max(max, y)];
  return min === max ? String(min) : `${min}–${max}`;
}

/** Capitalises the first letter; words a title capitalised only for being in a title go lower case ("Diffusion, Activation" → "Diffusion, activation"). */
function sentenceCase(text: string): string {
  const lowered = text.replace(/\b(\p{Lu})(\p{Ll}+)\b/gu, (word) => word.toLowerCase());
  return lowered.charAt(0).toUpperCase() + lowered.slice(1);
}

/** Names every page (one name per page, in order; no two alike). */
export function nameSources(pages: readonly PageFacts[]): SourceName[] {
  // The pages' titles named as classes of class-based TF-IDF, as topics are: a page's terms are the
  // ones its titles use far more than the other pages' titles.
  const sets = pages.flatMap((page) => page.titles.map((title) => ({ title: paperTerms(title).title, body: [] })));
  const classes = Int32Array.from(pages.flatMap((page, k) => page.titles.map(() => k)));
  const terms = sets.length > 0 ? topicTermsOfSets(sets, classes, 4) : [];
  const termsOf = (k: number) => terms.find((t) => t.topic === k)?.terms ?? [];

  const named = pages.map((page, k) => {
    const telling = termsOf(k);
    const subject = telling.find((t) => t.length <= MAX_SUBJECT_CHARS) ?? telling[0];
    const years = yearRange(page.years);
    const what = page.heading ?? (subject ? sentenceCase(subject) : 'Listing page');
    const when = page.pageDate ?? years;
    const dated = page.years.length === page.titles.length ? '' : ` (${page.years.length} dated)`;
    const detail = [
      `${page.titles.length} paper${page.titles.length === 1 ? '' : 's'}${years ? `${dated}, from ${years}` : ''}`,
      telling.length > 0 ? `title terms: ${telling.join(', ')}` : null,
    ].filter(Boolean).join('; ');
    return { name: when ? `${what} · ${when}` : what, detail };
  });
  // Two pages alike in heading and date still get names of their own.
  const seen = new Map<string, number>();
  return named.map(({ name, detail }) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return { name: count > 1 ? `${name} (${count})` : name, detail };
  });
}
