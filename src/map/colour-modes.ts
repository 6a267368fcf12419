/**
 * Colouring the map by a property of the papers: topic, label (from an imported file), year, source
 * page, upvotes, or search score.
 * Categorical modes give each point a category (the legend can hide categories); continuous modes
 * use a sequential ramp. Points without the property are grey. Pure: papers and topics in, colours out.
 */
import type { CorpusSource, Paper } from '../corpus/types';
import type { TopicTerms } from '../math/topics/labels';
import { NOISE_COLOUR, topicColour } from './palette';

export type ColourMode = 'topic' | 'label' | 'year' | 'source' | 'upvotes' | 'search';
export const COLOUR_MODES: { mode: ColourMode; label: string }[] = [
  { mode: 'topic', label: 'Topic' },
  { mode: 'label', label: 'Label' },
  { mode: 'year', label: 'Year' },
  { mode: 'source', label: 'Source page' },
  { mode: 'upvotes', label: 'Upvotes' },
  { mode: 'search', label: 'Search score' },
];

type RGB = [number, number, number];

export interface LegendCategory {
  /** Category number (as in `category`), or −1 for "no value". */
  id: number;
  label: string;
  colour: RGB;
  count: number;
  /** Extra text on hover. */
  detail?: string;
}

export interface Colouring {
  /** n × 3 RGB. */
  rgb: Uint8Array;
  /** Category per point for categorical modes (−1: none); null for continuous ones. */
  category: Int32Array | null;
  legend:
    | { kind: 'categories'; items: LegendCategory[]; /** Said above the list: how many papers lack the property (and are grey). */ note?: string }
    | { kind: 'ramp'; from: string; to: string; stops: RGB[]; missing: number; missingLabel: string };
}

export type Theme = 'dark' | 'light';
/** The page's background in each theme (--bg in style.css): ramp colours must stand out from it. */
export const THEME_BACKGROUND: Record<Theme, RGB> = { dark: [15, 18, 24], light: [246, 247, 249] };

/**
 * Sequential ramps along viridis's hues (blue, teal, green, yellow), one per theme, each growing
 * lighter from end to end (so the order reads without colour vision) and keeping at least 3:1
 * contrast with its theme's background: viridis itself ends in a dark purple that vanishes on the
 * dark theme and a pale yellow that vanishes on the light one.
 */
const RAMPS: Record<Theme, RGB[]> = {
  dark: [
    [100, 110, 235],
    [40, 160, 200],
    [60, 190, 120],
    [170, 215, 60],
    [253, 231, 37],
  ],
  light: [
    [68, 1, 84],
    [59, 82, 139],
    [33, 128, 140],
    [60, 142, 70],
    [120, 140, 20],
    [170, 128, 0],
  ],
};

export function rampStops(theme: Theme): RGB[] {
  return RAMPS[theme];
}

export function ramp(t: number, stops: RGB[] = RAMPS.dark): RGB {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!, b = stops[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

function categorical(n: number, categoryOf: (i: number) => number, items: Omit<LegendCategory, 'count'>[], colourOf: (category: number) => RGB): Colouring {
  const rgb = new Uint8Array(n * 3);
  const category = new Int32Array(n);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = categoryOf(i);
    category[i] = c;
    rgb.set(c < 0 ? NOISE_COLOUR : colourOf(c), 3 * i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const listed = items.map((item) => ({ ...item, count: counts.get(item.id) ?? 0 })).filter((item) => item.count > 0);
  return { rgb, category, legend: { kind: 'categories', items: listed } };
}

function continuous(n: number, valueOf: (i: number) => number | null, labels: (min: number, max: number) => [string, string], missingLabel: string, stops: RGB[]): Colouring {
  const values = Array.from({ length: n }, (_, i) => valueOf(i));
  // A loop, not Math.min(...values): spreading a million arguments overflows the stack.
  let min = Infinity, max = -Infinity, present = 0;
  for (const v of values) {
    if (v === null) continue;
    present++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (present === 0) [min, max] = [0, 1];
  const rgb = new Uint8Array(n * 3);
  values.forEach((v, i) => rgb.set(v === null ? NOISE_COLOUR : ramp(max > min ? (v - min) / (max - min) : 1, stops), 3 * i));
  const [from, to] = labels(min, max);
  return { rgb, category: null, legend: { kind: 'ramp', from, to, stops, missing: n - present, missingLabel } };
}

export interface ColourContext {
  papers: Paper[];
  topics: Int32Array;
  topicTerms: TopicTerms[];
  /** Search score per paper index, when a search is active. */
  searchScores: Map<number, number> | null;
  /** The corpus's source pages, for their names (a page not listed shows its id). */
  sources?: readonly CorpusSource[];
  /** The theme the map is shown on: ramps keep their contrast with its background. */
  theme?: Theme;
}

export function colourBy(mode: ColourMode, { papers, topics, topicTerms, searchScores, sources: pages = [], theme = 'dark' }: ColourContext): Colouring {
  const n = papers.length;
  const stops = RAMPS[theme];
  switch (mode) {
    case 'topic':
      return categorical(
        n,
        (i) => topics[i]!,
        [...topicTerms.map((t) => ({ id: t.topic, label: t.label || `Topic ${t.topic + 1}`, colour: topicColour(t.topic), detail: t.terms.join(', ') })), { id: -1, label: 'No clear topic', colour: NOISE_COLOUR }],
        topicColour,
      );
    case 'label': {
      // Labels from the file (a category column), most frequent first: colours follow the big groups.
      const counts = new Map<string, number>();
      for (const p of papers) if (p.label) counts.set(p.label, (counts.get(p.label) ?? 0) + 1);
      const labels = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b));
      const index = new Map(labels.map((label, k) => [label, k]));
      return categorical(
        n,
        (i) => index.get(papers[i]!.label ?? '') ?? -1,
        [...labels.map((label, k) => ({ id: k, label, colour: topicColour(k) })), { id: -1, label: 'No label', colour: NOISE_COLOUR }],
        topicColour,
      );
    }
    case 'year': {
      const years = [...new Set(papers.map((p) => p.year).filter((y): y is number => y !== null))].sort((a, b) => a - b);
      const colourOfYear = (k: number) => ramp(years.length > 1 ? k / (years.length - 1) : 1, stops);
      const colouring = categorical(
        n,
        (i) => (papers[i]!.year === null ? -1 : years.indexOf(papers[i]!.year!)),
        [...years.map((y, k) => ({ id: k, label: String(y), colour: colourOfYear(k) })), { id: -1, label: 'No year given', colour: NOISE_COLOUR }],
        colourOfYear,
      );
      // Many listings print dates without a year: said first, or a mostly grey map looks broken.
      const undated = papers.reduce((count, p) => count + (p.year === null ? 1 : 0), 0);
      if (undated > 0 && colouring.legend.kind === 'categories') colouring.legend.note = `No year: ${undated.toLocaleString('en')} of ${n.toLocaleString('en')} papers (grey)`;
      return colouring;
    }
    case 'source': {
      const sources = [...new Set(papers.flatMap((p) => p.sources))].sort();
      const index = new Map(sources.map((s, k) => [s, k]));
      const page = new Map(pages.map((p) => [p.id, p]));
      return categorical(
        n,
        (i) => (papers[i]!.sources.length === 0 ? -1 : index.get(papers[i]!.sources[0]!)!),
        [
          ...sources.map((s, k) => ({ id: k, label: page.get(s)?.name ?? s, colour: topicColour(k), detail: `${page.get(s)?.detail ?? s}. A paper found on several pages has the colour of the first` })),
          { id: -1, label: 'Unknown page', colour: NOISE_COLOUR },
        ],
        topicColour,
      );
    }
    case 'upvotes':
      return continuous(
        n,
        (i) => (papers[i]!.upvotes === null ? null : Math.log1p(papers[i]!.upvotes!)),
        (min, max) => [`${Math.round(Math.expm1(min))} upvotes`, `${Math.round(Math.expm1(max))} upvotes`],
        'no upvote count',
        stops,
      );
    case 'search':
      return continuous(
        n,
        (i) => searchScores?.get(i) ?? null,
        (min, max) => [`score ${min.toFixed(2)}`, `score ${max.toFixed(2)}`],
        searchScores ? 'not a hit' : 'no search yet',
        stops,
      );
  }
}
