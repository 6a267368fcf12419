import { describe, expect, it } from 'vitest';
import { colourBy, ramp } from '../../src/map/colour-modes';
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
