/**
 * Topic names a reader recognises: words and short phrases from the prose only (no URLs, markup,
 * numbers or LaTeX), distinctive against the whole map, one term per singular and plural, no word
 * twice in a name, no two sibling topics starting with the same word. Checked on small made-up
 * texts, on the shipped corpus (laid out from TF-IDF, so whatever model makes the app's map), and on
 * an imported-like corpus of software READMEs full of badges and links.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labelOf, MAX_LABEL_CHARS, topicTerms, type TopicTerms } from '../../src/math/topics/labels';
import { singularForms } from '../../src/math/topics/term-ranking';
import { extractTerms, latexAccents, paperTerms, splitTitle, stripMarkup } from '../../src/math/topics/terms';
import { COLOUR_LEVEL, TOPIC_LEVELS, termsReadOnce, topicLevels } from '../../src/math/topics/topics';
import { paperText } from '../../src/corpus/text';
import { gaussian, mulberry32 } from '../../src/math/random';
import type { Corpus } from '../../src/corpus/types';
import { tfidfMap } from '../support/tfidf-map';
import { decodeTermTable, termTable } from '../../src/math/topics/term-table';

/** Anything that is not prose: addresses, file names, markup, LaTeX, numbers. */
const NOT_PROSE = /https?|www|:\/\/|@|[<>[\](){}$\\`|#*_=]|\.\w|(^|[\s-])\d|david-dm|shields|travis|badge|\b(com|org|io|html|svg|png|md|js)\b/i;

/** A word's plain singular, for checks that must not lean on the code under test. */
const stem = (word: string) => word.toLowerCase().replace(/ies$/, 'y').replace(/(ss|[sxz]|ch|sh)es$/, '$1').replace(/([^s])s$/, '$1');
const wordsOf = (term: string) => term.split(/[\s-]+/).map(stem);

describe('terms of a text', () => {
  it('are words and 2–3-word phrases inside a fragment, never across punctuation or stop words', () => {
    const terms = extractTerms('Graph neural networks, message passing; and a mixture of experts (MoE).');
    expect(terms).toEqual(expect.arrayContaining(['graph', 'graph neural', 'graph neural networks', 'neural networks', 'message passing', 'mixture', 'experts']));
    expect(terms).not.toContain('networks message');
    expect(terms).not.toContain('mixture experts');
    expect(terms).not.toContain('experts moe');
    expect(terms.every((t) => t.split(' ').length <= 3)).toBe(true);
  });

  it('finds the title of a text made by paperText, so title terms can weigh more', () => {
    const text = paperText({ title: 'Sparse Attention for Long Documents', abstract: 'We make attention sparse. It scales.' });
    expect(splitTitle(text)).toEqual({ title: 'Sparse Attention for Long Documents.', body: 'We make attention sparse. It scales.' });
    const terms = paperTerms(text);
    expect(terms.title).toEqual(expect.arrayContaining(['sparse attention', 'long documents']));
    expect(terms.body).toContain('attention');
    expect(terms.body).not.toContain('sparse attention');
  });

  it('keeps acronyms and words capitalised in running text, and lowers a title’s capitals', () => {
    const { title, body } = paperTerms('Scaling Laws for LLMs. We fit Gaussian processes to ReLU networks.');
    expect(title).toEqual(expect.arrayContaining(['scaling laws', 'LLMs']));
    expect(body).toEqual(expect.arrayContaining(['Gaussian processes', 'ReLU networks']));
  });

  it('drops URLs, e-mail, domains, file names, HTML, markdown badges and code, keeping link text as prose', () => {
    const readme = [
      '# fastroute',
      '[![Build Status](https://travis-ci.org/acme/fastroute.svg?branch=master)](https://travis-ci.org/acme/fastroute)',
      '[![Dependency Status](https://david-dm.org/acme/fastroute.svg)](https://david-dm.org/acme/fastroute)',
      '<p align="center"><img src="logo.png" alt="fastroute logo"></p>',
      'A tiny web server. Read the [routing guide](https://acme.github.io/guide/charts.html) or docs/usage.md,',
      'mail dev@acme.io, see www.acme.com and github.com/acme &nbsp; or @acme-bot.',
      '```js',
      'const server = require("fastroute");',
      '```',
      'Run `npm install fastroute` first. [ref]: https://example.org/x',
    ].join('\n');
    const terms = extractTerms(readme);
    expect(terms).toEqual(expect.arrayContaining(['fastroute', 'web server', 'routing guide']));
    expect(terms.filter((t) => NOT_PROSE.test(t))).toEqual([]);
    for (const noise of ['status', 'build status', 'dependency status', 'david-dm', 'charts', 'logo', 'center', 'require', 'acme-bot', 'usage']) expect(terms).not.toContain(noise);
    expect(stripMarkup('see [the guide](https://x.io/a.html)')).not.toMatch(/x\.io|html/);
  });

  it('drops LaTeX, numbers and version strings, never gluing the words around them', () => {
    const terms = extractTerms('We bound the $\\alpha$-divergence of \\mathcal{O}(n) samplers with 4-bit weights, 3D scenes, v2 and 1.5x speedups in GPT-4 version 2.0.1 and word2vec.');
    expect(terms.filter((t) => /alpha|mathcal|\d(?![a-z]*vec)/.test(t))).toEqual([]);
    expect(terms).toEqual(expect.arrayContaining(['divergence', 'samplers', 'weights', 'scenes', 'speedups', 'word2vec']));
    expect(terms).not.toContain('samplers weights');
  });
});

describe('singular and plural', () => {
  it('map each plural to a singular that occurs, and leave words without one alone', () => {
    const singular = singularForms(['networks', 'network', 'policies', 'policy', 'patches', 'patch', 'caches', 'cache', 'classes', 'class', 'series', 'physics', 'matrices', 'matrix']);
    expect(Object.fromEntries(singular)).toEqual({ networks: 'network', policies: 'policy', patches: 'patch', caches: 'cache', classes: 'class', matrices: 'matrix' });
  });

  it('are one term, shown in its more frequent form, never twice in a name', () => {
    const texts = [
      'Activation functions. Smooth activation functions for deep nets.',
      'Learned activation functions. We learn the activation function per neuron.',
      'Rational activation functions. A rational activation function fits GELU.',
      'Sorting networks. Sorting networks sort with comparators.',
      'Sorting network depth. A sorting network of small depth.',
      'Comparator networks. Sorting networks from comparators.',
    ];
    const [activations, sorting] = topicTerms(texts, Int32Array.from([0, 0, 0, 1, 1, 1]));
    expect(activations!.terms[0]).toBe('activation functions');
    expect(activations!.terms).not.toContain('activation function');
    expect(sorting!.terms[0]).toBe('sorting networks');
    for (const t of [activations!, sorting!]) expect(new Set(t.terms.flatMap(wordsOf)).size, t.terms.join(', ')).toBe(t.terms.flatMap(wordsOf).length);
  });
});

describe('naming topics', () => {
  it('never names a topic by a word the whole map uses', () => {
    const areas = ['graph coloring heuristics', 'protein folding kinetics', 'speech recognition decoders'];
    const texts = areas.flatMap((area) => Array.from({ length: 8 }, (_, i) => `Learning ${area}. Deep learning with neural networks and data for ${area}, variant ${i}.`));
    const named = topicTerms(texts, Int32Array.from(texts, (_, i) => Math.floor(i / 8)));
    for (const t of named) {
      expect(t.terms.length).toBeGreaterThan(0);
      for (const term of t.terms) expect(wordsOf(term).every((w) => ['learning', 'deep', 'neural', 'network', 'data'].includes(w))).toBe(false);
    }
    expect(named.map((t) => t.terms[0])).toEqual(['graph coloring heuristics', 'protein folding kinetics', 'speech recognition decoders']);
  });

  it('gives sibling topics head terms that share no word: the weaker claim takes its next-best term', () => {
    // Both topics are about diffusion; the bigger one keeps it, the other is named by what else it has.
    const big = Array.from({ length: 9 }, (_, i) => `Diffusion samplers ${i}. Faster diffusion sampling for images.`);
    const small = Array.from({ length: 5 }, (_, i) => `Diffusion guidance ${i}. We steer diffusion with classifier-free guidance.`);
    const other = Array.from({ length: 6 }, (_, i) => `Graph coloring ${i}. Greedy graph coloring bounds.`);
    const named = topicTerms([...big, ...small, ...other], Int32Array.from([...big.map(() => 0), ...small.map(() => 1), ...other.map(() => 2)]));
    expect(named[0]!.terms[0]).toMatch(/diffusion/);
    expect(named[1]!.terms[0]).not.toMatch(/diffusion/);
    expect(named[1]!.label).toMatch(/guidance/);
    expect(wordsOf(named[0]!.terms[0]!).some((w) => wordsOf(named[1]!.terms[0]!).includes(w))).toBe(false);
  });

  it('counts a term in a title more than one in an abstract', () => {
    const texts = [
      ...Array.from({ length: 3 }, (_, i) => `Dense retrieval ${i}. A study of encoders and queries.`),
      ...Array.from({ length: 4 }, () => 'Encoders for search. Inverted indexing of documents.'),
      ...Array.from({ length: 7 }, () => 'Bird song. Recordings of bird song at dawn.'),
    ];
    const [search] = topicTerms(texts, Int32Array.from(texts, (_, i) => (i < 7 ? 0 : 1)));
    // "dense retrieval" is in 3 titles, "inverted indexing" in 4 abstracts.
    expect(search!.terms.indexOf('dense retrieval')).toBeLessThan(search!.terms.indexOf('inverted indexing'));
  });

  it('labels with the head term, adding the second or third while the label stays short', () => {
    expect(labelOf(['diffusion', 'image synthesis'])).toBe('diffusion, image synthesis');
    expect(labelOf(['pruning', 'feed-forward network', 'sparsity'])).toBe('pruning, sparsity');
    expect(labelOf(['Kolmogorov-Arnold networks', 'activation functions'])).toBe('Kolmogorov-Arnold networks');
    expect(labelOf([])).toBe('');
    expect(labelOf(['pruning', 'feed-forward network', 'sparsity']).length).toBeLessThanOrEqual(MAX_LABEL_CHARS);
  });
});

/** Checks every property of topic names at every level of a map. */
function expectRecognisableNames(levels: TopicTerms[][], texts: string[]): void {
  const docFreq = new Map<string, number>();
  for (const text of texts) for (const w of new Set(extractTerms(text).filter((t) => !t.includes(' ')).map(stem))) docFreq.set(w, (docFreq.get(w) ?? 0) + 1);
  const common = (w: string) => (docFreq.get(w) ?? 0) >= texts.length / 3;
  for (const terms of levels) {
    const named = terms.filter((t) => t.terms.length > 0);
    expect(named.length).toBe(terms.length);
    for (const t of named) {
      const shown = t.label.split(', ');
      // No markup, address, number or LaTeX in any name.
      expect(t.terms.filter((term) => NOT_PROSE.test(term))).toEqual([]);
      // No word twice (nor its plural) in a name.
      shown.forEach((a, i) => shown.forEach((b, j) => j > i && expect(wordsOf(a).filter((w) => wordsOf(b).includes(w)), t.label).toEqual([])));
      // No name of words the whole map uses ("learning", "networks", "model", "data").
      for (const term of shown) expect(wordsOf(term).every(common), `${term} in ${t.label}`).toBe(false);
    }
    // Siblings never start with the same word.
    const heads = named.map((t) => wordsOf(t.terms[0]!));
    heads.forEach((a, i) => heads.forEach((b, j) => j > i && expect(a.filter((w) => b.includes(w)), `${named[i]!.label} / ${named[j]!.label}`).toEqual([])));
  }
}

describe('names on the shipped corpus', () => {
  const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;
  const texts = corpus.papers.map(paperText);
  const levels = topicLevels(tfidfMap(texts), texts.length, termsReadOnce(texts));

  it('are distinctive, singular-or-plural once, free of markup, numbers and LaTeX, and never shared by siblings', () => {
    expect(levels[COLOUR_LEVEL]!.terms.length).toBeGreaterThanOrEqual(4);
    expectRecognisableNames(levels.map((l) => l.terms), texts);
    const labels = levels.flatMap((l) => l.terms.map((t) => t.label.toLowerCase()));
    for (const generic of ['learning', 'network', 'networks', 'neural networks', 'model', 'models', 'data', 'method', 'training', 'deep learning']) {
      expect(labels.some((label) => label.split(', ').includes(generic)), generic).toBe(false);
    }
  });

  it('are the same whether naming reads each paper\'s terms when it asks or gets them all read ahead by another worker', () => {
    const table = decodeTermTable(termTable(texts));
    expect(topicLevels(tfidfMap(texts), texts.length, table)).toEqual(levels);
  });

  it('name the areas a researcher would look for', () => {
    const heads = levels[COLOUR_LEVEL]!.terms.map((t) => t.terms[0]!.toLowerCase());
    expect(heads.some((h) => /diffusion/.test(h))).toBe(true);
    expect(heads.some((h) => /quantization|pruning|sparsity/.test(h))).toBe(true);
  });
});

describe('names on imported READMEs', () => {
  const rows = readFileSync(new URL('../fixtures/readmes/readmes.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { name: string; readme: string; group: string });
  const groups = [...new Set(rows.map((r) => r.group))];
  const texts = rows.map((r) => paperText({ title: r.name, abstract: r.readme }));
  const expected: Record<string, RegExp> = { charts: /chart/i, servers: /request|server|rout|middleware/i, testing: /test/i, databases: /query|sql|database|migration|schema/i };

  it('come from what each group of projects does, never from its badges, links or code', () => {
    const named = topicTerms(texts, Int32Array.from(rows, (r) => groups.indexOf(r.group)));
    expect(named.map((t) => t.label)).toEqual(groups.map((g) => expect.stringMatching(expected[g]!)));
    expectRecognisableNames([named], texts);
  });

  it('name the topics found on a map of them', () => {
    // Each group a blob on the map, as the embedding would place them; ten READMEs a group make
    // small blobs, so the density kernel is set by fewer neighbours than on a real map.
    const normal = gaussian(mulberry32(3));
    const coords = Float32Array.from(rows.flatMap((r) => [groups.indexOf(r.group) * 10 + normal(), (groups.indexOf(r.group) % 2) * 10 + normal()]));
    const levels = topicLevels(coords, rows.length, termsReadOnce(texts), TOPIC_LEVELS.map((options) => ({ ...options, scaleNeighbours: 4 })));
    const level = levels[COLOUR_LEVEL]!;
    expect(level.terms).toHaveLength(groups.length);
    for (const t of level.terms) {
      const members = rows.filter((_, i) => level.topics[i] === t.topic);
      expect(t.label).toMatch(expected[members[0]!.group]!);
    }
    expectRecognisableNames(levels.map((l) => l.terms), texts);
  });
});

describe('LaTeX accents in arXiv abstracts', () => {
  it('join the word they sit in, so a name is never cut in two', () => {
    expect(latexAccents('Schr\\"odinger, Schr\\"{o}dinger, {\\"o}, Erd\\H{o}s, \\v{C}ech, Poincar\\\'e')).toBe('Schrödinger, Schrödinger, ö, Erdős, Čech, Poincaré');
    expect(extractTerms('The nonlinear Schr\\"odinger equation.')).toContain('nonlinear schrödinger equation');
    expect(latexAccents('\\alpha-stable')).toBe('\\alpha-stable');
  });
});
