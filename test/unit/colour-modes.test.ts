import { describe, expect, it } from 'vitest';
import { colourBy, ramp, rampStops, THEME_BACKGROUND, type Theme } from '../../src/map/colour-modes';
import { NOISE_COLOUR } from '../../src/map/palette';
import type { Paper } from '../../src/corpus/types';

const paper = (over: Partial<Paper>): Paper => ({ id: 'p', title: 't', abstract: 'a', authors: null, organization: null, dateText: null, date: null, year: null, upvotes: null, sources: ['s1'], ...over });
const papers = [paper({ year: 2020, upvotes: 1 }), paper({ year: 2024, upvotes: 99, sources: ['s2'] }), paper({}), paper({ year: 2020 })];
const context = { papers, topics: Int32Array.from([0, 0, 1, -1]), topicTerms: [{ topic: 0, size: 2, terms: ['a'], label: 'A' }, { topic: 1, size: 1, terms: ['b'], label: 'B' }], searchScores: null };

describe('colour modes', () => {
  it('labels from a file are categories, most frequent first; papers without one are grey', () => {
    const labelled = [paper({ label: 'speech' }), paper({ label: 'graphs' }), paper({ label: 'graphs' }), paper({})];
    const c = colourBy('label', { ...context, papers: labelled });
    expect(c.legend.kind === 'categories' && c.legend.items.map((i) => [i.label, i.count])).toEqual([['graphs', 2], ['speech', 1], ['No label', 1]]);
    expect(Array.from(c.category!)).toEqual([1, 0, 0, -1]);
    expect(Array.from(c.rgb.slice(9, 12))).toEqual(NOISE_COLOUR);
  });

  it('years are ordered categories on a sequential ramp; no year is grey', () => {
    const c = colourBy('year', context);
    expect(c.legend.kind === 'categories' && c.legend.items.map((i) => [i.label, i.count])).toEqual([['2020', 2], ['2024', 1], ['No year given', 1]]);
    expect(Array.from(c.category!)).toEqual([0, 1, -1, 0]);
    expect(Array.from(c.rgb.slice(6, 9))).toEqual(NOISE_COLOUR);
    expect(Array.from(c.rgb.slice(3, 6))).toEqual(ramp(1));
  });

  it('says how many papers have no year, since they leave the map grey', () => {
    const c = colourBy('year', context);
    expect(c.legend.kind === 'categories' && c.legend.note).toBe('No year: 1 of 4 papers (grey)');
    const dated = colourBy('year', { ...context, papers: papers.filter((p) => p.year !== null) });
    expect(dated.legend.kind === 'categories' && dated.legend.note).toBeUndefined();
  });

  it('years take the ramp of the theme they are shown on', () => {
    const c = colourBy('year', { ...context, theme: 'light' });
    expect(Array.from(c.rgb.slice(3, 6))).toEqual(ramp(1, rampStops('light')));
    expect(Array.from(c.rgb.slice(0, 3))).toEqual(ramp(0, rampStops('light')));
  });

  it('every ramp colour stands out from its theme\'s background (3:1), and the ramps grow lighter from end to end', () => {
    // WCAG relative luminance and contrast ratio.
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const contrast = (a: number[], b: number[]) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    for (const theme of ['dark', 'light'] as Theme[]) {
      let previous = -1;
      for (let k = 0; k <= 20; k++) {
        const colour = ramp(k / 20, rampStops(theme));
        expect(contrast(colour, THEME_BACKGROUND[theme]), `${theme} ${k / 20}`).toBeGreaterThanOrEqual(3);
        // Never darker than the colour before (but for rounding to whole RGB values).
        expect(luminance(colour)).toBeGreaterThan(previous - 0.001);
        previous = luminance(colour);
      }
    }
  });

  it('source pages show their names; a page without one shows its id', () => {
    const sources = [{ id: 's1', name: 'Daily Papers · Nov 20', detail: '4 papers', layout: 'blocks' as const, pageDate: 'Nov 20', records: 4 }];
    const c = colourBy('source', { ...context, sources });
    expect(c.legend.kind === 'categories' && c.legend.items.map((i) => [i.label, i.count])).toEqual([['Daily Papers · Nov 20', 3], ['s2', 1]]);
  });

  it('topics keep their palette and list the unassigned papers', () => {
    const c = colourBy('topic', context);
    expect(c.legend.kind === 'categories' && c.legend.items.map((i) => i.label)).toEqual(['A', 'B', 'No clear topic']);
  });

  it('upvotes use a ramp over their (log) range and count the papers without a count', () => {
    const c = colourBy('upvotes', context);
    expect(c.category).toBeNull();
    expect(c.legend).toMatchObject({ kind: 'ramp', from: '1 upvotes', to: '99 upvotes', missing: 2 });
  });

  it('search scores colour only the hits', () => {
    const c = colourBy('search', { ...context, searchScores: new Map([[1, 1], [3, 0.5]]) });
    expect(Array.from(c.rgb.slice(0, 3))).toEqual(NOISE_COLOUR);
    expect(Array.from(c.rgb.slice(3, 6))).toEqual(ramp(1));
    expect(Array.from(c.rgb.slice(9, 12))).toEqual(ramp(0));
  });
});
