import 'fake-indexeddb/auto';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { modeOf, Selection } from '../../src/selection/store';
import { bibtexEscape, bibtexKey, titleList, toBibtex, toCsv, toJson, type ExportRow } from '../../src/selection/export';
import { openDatabase } from '../../src/cache/db';
import { SavedSelections, resolveIds } from '../../src/cache/selections';

describe('the selection store', () => {
  it('replaces, adds (Shift) and subtracts (Alt), notifying once per change', () => {
    const selection = new Selection(10);
    let changes = 0;
    selection.subscribe(() => changes++);
    selection.apply([1, 2, 3], 'replace');
    selection.apply([3, 4], 'add');
    expect(Array.from(selection.indices())).toEqual([1, 2, 3, 4]);
    selection.apply([2, 9], 'subtract');
    expect(Array.from(selection.indices())).toEqual([1, 3, 4]);
    selection.apply([7], 'replace');
    expect(Array.from(selection.indices())).toEqual([7]);
    selection.toggle(7);
    expect(selection.size).toBe(0);
    expect(changes).toBe(5);
    selection.clear();
    expect(changes).toBe(5);
  });

  it('a gesture with Shift adds, with Alt subtracts (Alt wins when both are held), and without either replaces', () => {
    expect(modeOf({ add: false, subtract: false })).toBe('replace');
    expect(modeOf({ add: true, subtract: false })).toBe('add');
    expect(modeOf({ add: false, subtract: true })).toBe('subtract');
    expect(modeOf({ add: true, subtract: true })).toBe('subtract');
  });

  it('ignores indices outside the corpus', () => {
    const selection = new Selection(3);
    selection.apply([-1, 1, 3, 99], 'replace');
    expect(Array.from(selection.indices())).toEqual([1]);
  });
});

const awkward: ExportRow = {
  id: 'p1',
  title: 'Commas, "quotes", {braces} and 100% of $math_x^2 & #tags',
  abstract: 'Line one,\nline "two"\r\nand a back\\slash ~ tilde.\tTabbed. Ünïcödé — “curly” 数学',
  authors: 3,
  organization: null,
  dateText: 'Mar 21',
  date: null,
  year: null,
  upvotes: 2,
  sources: ['000_a', '004_b'],
  topic: 'diffusion, image',
};
const plain: ExportRow = { ...awkward, id: 'p2', title: 'Plain', abstract: 'Plain.', authors: null, year: 2024, date: '2024-03-21', upvotes: null, sources: [], topic: null };

describe('exports', () => {
  it('CSV round-trips awkward characters and every field', () => {
    const parsed = Papa.parse<Record<string, string>>(toCsv([awkward, plain]), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.map((r) => r.id)).toEqual(['p1', 'p2']);
    expect(parsed.data[0]!.title).toBe(awkward.title);
    expect(parsed.data[0]!.abstract).toBe(awkward.abstract);
    expect(parsed.data[0]!.sources).toBe('000_a;004_b');
    expect(parsed.data[0]!.upvotes).toBe('2');
    expect(parsed.data[1]!.year).toBe('2024');
    expect(parsed.data[1]!.authors).toBe('');
  });

  it('CSV defuses cells a spreadsheet would run as formulas', () => {
    const formulas = ['=HYPERLINK("http://evil.example")', '+1+1', '-2+3', '@SUM(A1)'].map((title, k) => ({ ...plain, id: `f${k}`, title }));
    const parsed = Papa.parse<Record<string, string>>(toCsv(formulas), { header: true, skipEmptyLines: true });
    expect(parsed.data.map((r) => r.title)).toEqual(formulas.map((f) => `'${f.title}`));
  });

  it('JSON round-trips the papers exactly', () => {
    const parsed = JSON.parse(toJson([awkward, plain], { corpusHash: 'h', model: 'm' }));
    expect(parsed).toMatchObject({ format: 'papermap-selection', count: 2, corpusHash: 'h', model: 'm' });
    expect(parsed.papers).toEqual([awkward, plain]);
  });

  it('BibTeX escapes LaTeX specials and keeps braces balanced', () => {
    expect(bibtexEscape('a{b}c % $ & # _ ~ ^ \\')).toBe('a\\{b\\}c \\% \\$ \\& \\# \\_ \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
    const bib = toBibtex([awkward, plain]);
    const entries = bib.trim().split(/\n\n(?=@misc\{)/);
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      // Unescaped braces open and close every field; escaped ones are text.
      const structural = entry.replace(/\\[{}]/g, '').replace(/\\text\w+\{\}/g, '');
      expect(structural.split('{').length).toBe(structural.split('}').length);
    }
    const title = /title = \{(.*)\},/.exec(entries[0]!)![1]!;
    const unescape = (s: string) =>
      s.replace(/\\textbackslash\{\}/g, '\\').replace(/\\textasciitilde\{\}/g, '~').replace(/\\textasciicircum\{\}/g, '^').replace(/\\([{}%&$#_])/g, '$1');
    expect(unescape(title)).toBe(awkward.title);
    const abstract = /abstract = \{(.*)\},/.exec(entries[0]!)![1]!;
    expect(unescape(abstract)).toBe(awkward.abstract.replace(/\s+/g, ' '));
    expect(entries[0]).toMatch(/^@misc\{p1,/);
    expect(bibtexKey('10.1000/x y,{z}')).toBe('10.1000-x-y-z');
    expect(entries[1]).toMatch(/year = \{2024\}/);
  });

  it('lists titles one per line', () => {
    expect(titleList([awkward, plain]).split('\n')).toEqual([awkward.title, 'Plain']);
  });
});

describe('saved selections', () => {
  it('saves, lists newest first, renames and deletes', async () => {
    const db = (await openDatabase('selections-test'))!;
    const saved = new SavedSelections(db);
    const a = await saved.save('  Diffusion  ', 'h1', ['p1', 'p2']);
    await new Promise((r) => setTimeout(r, 5));
    const b = await saved.save('', 'h1', ['p3']);
    expect(a.name).toBe('Diffusion');
    expect(b.name).toBe('Untitled selection');
    expect((await saved.list()).map((s) => s.id)).toEqual([b.id, a.id]);
    await saved.rename(a.id, 'Diffusion models');
    expect((await saved.list())[0]).toMatchObject({ id: a.id, name: 'Diffusion models', ids: ['p1', 'p2'] });
    await saved.remove(b.id);
    expect((await saved.list()).map((s) => s.id)).toEqual([a.id]);
    await expect(saved.rename(b.id, 'x')).rejects.toThrow(/no longer exists/);
    db.close();
  });

  it('reports the ids a corpus lacks instead of dropping them silently', () => {
    const indexOf = new Map([['p1', 0], ['p2', 1]]);
    expect(resolveIds(['p2', 'gone', 'p1'], indexOf)).toEqual({ indices: [1, 0], missing: ['gone'] });
  });
});
