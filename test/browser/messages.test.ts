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
});
