/**
 * Instant keyword search over titles and abstracts. Every query word must appear (as a word or the
 * start of one: "diffus" finds "diffusion"); a title match counts more than an abstract match.
 */
export interface SearchHit {
  index: number;
  score: number;
}

export interface KeywordIndex {
  titles: string[];
  abstracts: string[];
}

const fold = (text: string) => text.normalize('NFKD').replace(/\p{Mn}/gu, '').toLowerCase();

export function buildKeywordIndex(papers: { title: string; abstract: string }[]): KeywordIndex {
  return { titles: papers.map((p) => fold(p.title)), abstracts: papers.map((p) => fold(p.abstract)) };
}

/** The words of a query, lower-cased and accent-folded; single characters are ignored. */
export function queryWords(query: string): string[] {
  return [...new Set(fold(query).match(/[\p{L}\p{N}]+/gu) ?? [])].filter((w) => w.length > 1);
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Hits ranked by score, best first (ties in corpus order). */
export function keywordSearch(index: KeywordIndex, query: string, limit = Infinity): SearchHit[] {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const patterns = words.map((w) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(w)}`, 'gu'));
  const hits: SearchHit[] = [];
  for (let i = 0; i < index.titles.length; i++) {
    let score = 0;
    let all = true;
    for (let w = 0; w < words.length; w++) {
      const title = index.titles[i]!, abstract = index.abstracts[i]!;
      // A plain substring test first: most papers lack most words, and it is far cheaper than the pattern.
      if (!title.includes(words[w]!) && !abstract.includes(words[w]!)) {
        all = false;
        break;
      }
      const pattern = patterns[w]!;
      const inTitle = title.match(pattern)?.length ?? 0;
      const inAbstract = abstract.match(pattern)?.length ?? 0;
      if (inTitle + inAbstract === 0) {
        all = false;
        break;
      }
      score += 3 * inTitle + Math.min(inAbstract, 5);
    }
    if (all) hits.push({ index: i, score });
  }
  hits.sort((a, b) => b.score - a.score || a.index - b.index);
  return hits.slice(0, limit);
}
