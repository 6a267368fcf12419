/**
 * What a newcomer reads in the first minutes: a corpus address that leads to a web page says so in
 * words; source pages have readable names in the legend and the details; colour by year says how
 * many papers have no year and its colours read on the light theme; the maps panel speaks to users,
 * not to the person building the site.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openApp, pageBackground, serveDist, type StaticServer } from './harness';
import type { Corpus } from '../../src/corpus/types';

const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;
/** How the build names a listing page when no readable name is given: "001_6f5fe4551bb3efdb". */
const RAW_ID = /\b\d{3}_[0-9a-f]{16}\b/;

/** WCAG contrast ratio between two sRGB colours. */
function contrast(a: number[], b: number[]): number {
  const luminance = (rgb: number[]) => {
    const [r, g, b] = rgb.map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The progress card's notes, one string each. */
const notes = (page: Page) => page.locator('#progress .note').allTextContents();

describe('messages and names a person understands', () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;

  beforeAll(async () => {
    // A static host that answers a missing file with the app's own page, as `vite preview` (HTTP 200)
    // and hosts with a custom 404 page (HTTP 404) do.
    server = await serveDist({ fallback: (path) => (path.includes('/gone/') ? 404 : 200) });
    browser = await launchChromium('wasm');
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a ?corpus= address that answers with a web page says so, and the shipped corpus is shown', async () => {
    expect(await openApp(page, `${server.url}?device=wasm&corpus=data/missing.csv`)).toEqual([]);
    expect((await page.evaluate(() => window.papermap.state())).corpusHash).toBe(corpus.hash);
    const said = (await notes(page)).join('\n');
    expect(said).toContain('data/missing.csv is not a corpus file (the server returned a web page, HTTP 200)');
    expect(said).toContain('Showing the shipped corpus instead.');
    // The page's HTML was never read as CSV.
    expect(said).not.toMatch(/quote|rows? \d/i);

    await openApp(page, `${server.url}?device=wasm&corpus=gone/papers.jsonl`);
    expect((await notes(page)).join('\n')).toContain('gone/papers.jsonl is not a corpus file (the server returned a web page, HTTP 404)');
  });

  it('source pages have readable names, with their dates, in the legend and the details panel', async () => {
    await page.goto(`${server.url}?device=wasm&colour=source`);
    await page.evaluate(() => window.papermap.ready);
    const labels = page.locator('#legend .topic .label');
    const names = await labels.allTextContents();
    expect(names).toHaveLength(corpus.sources.length);
    for (const name of names) {
      expect(name).not.toMatch(RAW_ID);
      // What the page is, then when: the date the page printed, or the years of its papers.
      expect(name).toMatch(/^\S.* · ((Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}|\d{4}(–\d{4})?)$/);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['Daily Papers · Nov 20', 'Daily Papers · Oct 31', 'Daily Papers · Mar 14', 'Daily Papers · Nov 3']));
    // Each name is shown whole, not cut off with an ellipsis.
    for (const overflow of await labels.evaluateAll((nodes) => nodes.map((n) => n.scrollWidth - n.clientWidth))) expect(overflow).toBeLessThanOrEqual(1);

    // A paper listed on two pages names both in its details.
    const paper = corpus.papers.find((p) => p.sources.length >= 2)!;
    await page.evaluate((id) => window.papermap.open(id), paper.id);
    const listed = page.locator('#details dt', { hasText: 'Listed on' });
    const shown = await listed.evaluate((dt) => {
      const out: string[] = [];
      for (let n = dt.nextElementSibling; n && n.tagName === 'DD'; n = n.nextElementSibling) out.push(n.textContent ?? '');
      return out;
    });
    const byId = new Map(corpus.sources.map((s, k) => [s.id, names[k]]));
    expect(shown).toEqual(paper.sources.map((id) => byId.get(id)));
    expect(await page.locator('#details').textContent()).not.toMatch(RAW_ID);
    await page.keyboard.press('Escape');
  });

  it('colour by year says how many papers have no year, and every year reads on the light theme', async () => {
    await page.locator('#legend select').selectOption('year');
    const missing = corpus.papers.filter((p) => p.year === null).length;
    expect(missing).toBeGreaterThan(corpus.papers.length / 2);
    expect(await page.locator('#legend').textContent()).toContain(`No year: ${missing} of ${corpus.papers.length} papers`);
    const background = await pageBackground(page);
    const swatches = await page.locator('#legend li:not(.noise) .swatch').evaluateAll((nodes) => nodes.map((n) => getComputedStyle(n).backgroundColor.match(/\d+/g)!.map(Number)));
    expect(swatches.length).toBeGreaterThan(3);
    for (const colour of swatches) expect(contrast(colour, background), `rgb(${colour.join(' ')})`).toBeGreaterThanOrEqual(3);
  });

  it('the maps panel tells a user what they can do, without build-tool commands', async () => {
    await page.locator('#summary').click();
    await expect.poll(() => page.locator('#maps .model').isVisible()).toBe(true);
    const text = (await page.locator('#maps').textContent())!;
    expect(text).not.toMatch(/npm|npx|fetch-model|build-model|models\/<id>/);
    expect(text).toMatch(/Hugging Face/);
  });
});
