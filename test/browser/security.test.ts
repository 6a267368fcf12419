/**
 * Untrusted text and the Content-Security-Policy in Chromium: a corpus whose fields carry markup,
 * script URLs, bidi overrides and 10,000-character words renders as text everywhere (tooltip, details,
 * search results, selection list, labels, exports) and runs nothing; the built app runs under its CSP
 * without a single violation.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type AppSession } from './harness';

const PWN = 'window.__pwned=true';
const LONG_WORD = 'x'.repeat(10_000);
/** Hostile papers, each on a clear topic so the map has structure, each carrying payloads. */
const HOSTILE = [
  { id: 'h-img', title: `<img src=x onerror="${PWN}"> speech recognition`, abstract: `Speech recognition with <b>bold</b> claims and <img src=x onerror="${PWN}"> images.`, url: `javascript:${PWN}` },
  { id: 'h-script', title: `<script>${PWN}</script> keyword spotting`, abstract: `Keyword spotting for speech. </textarea><script>${PWN}</script>`, url: 'https://example.org/paper?a=1&b=<x>' },
  { id: 'h-svg', title: `<svg onload="${PWN}"> graph neural networks`, abstract: `Graph neural networks pass messages. <iframe src="javascript:${PWN}"></iframe>`, url: `data:text/html,<script>${PWN}</script>` },
  { id: 'h-rtl', title: 'Graph attention \u202Egnp.exe\u202C with RTL override', abstract: `Graph attention networks on heterophilous graphs. \u202E reversed text \u202C and \u2066isolates\u2069.`, url: null },
  { id: 'h-long', title: `Diffusion models ${LONG_WORD}`, abstract: `Diffusion models denoise images. ${LONG_WORD}`, url: null },
  { id: 'h-tmpl', title: "Image diffusion {{constructor.constructor('alert(1)')()}} ${alert(1)}", abstract: 'Diffusion models generate images with guidance. "quotes", commas, {braces} and \\backslashes\\.', url: null },
  { id: 'h-csv', title: '=HYPERLINK("http://evil.example","speech") spreadsheet formula', abstract: 'Speech synthesis, text to speech, vocoders and "quoted, commas"\nand newlines.', url: null },
  { id: 'h-plain', title: 'Graph transformers for molecules', abstract: 'Graph neural networks and transformers for molecular property prediction.', url: null },
];

/** Elements that stick out of a panel (a long word that does not wrap pushes them out). */
function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluate((panel) => {
    const right = panel.getBoundingClientRect().right + 1;
    return [...panel.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > right).map((e) => `${e.tagName}.${e.className}`);
  });
}

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned);
}

describe('untrusted text and the Content-Security-Policy', () => {
  let app: AppSession;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papermap-hostile-'));
    await writeFile(join(dir, 'hostile.jsonl'), HOSTILE.map((p) => JSON.stringify(p)).join('\n'));
    app = await startApp({ context: { acceptDownloads: true, viewport: { width: 1280, height: 800 } }, hideProgress: true });
    page = app.page;
    await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => ((window as unknown as { __csp: string[] }).__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`)));
    await page.locator('#summary').click();
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#maps button', { hasText: 'Import a file…' }).click();
    await (await chooser).setFiles(join(dir, 'hostile.jsonl'));
    await page.locator('#maps button', { hasText: 'Build map' }).click();
    await page.waitForFunction((n) => window.papermap.state().papers === n, HOSTILE.length, { timeout: 120_000 });
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the built page carries the policy: no inline script, no eval, connections to itself and the model hub only', async () => {
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toMatch(/'unsafe-eval'/);
    expect(policy).toMatch(/connect-src 'self' https:\/\/huggingface\.co/);
    // Inline script is refused by the page itself, whatever the app does.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = true';
      document.head.append(script);
    });
    expect(await page.evaluate(() => (window as unknown as { __inline?: boolean }).__inline)).toBeUndefined();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual(['script-src-elem inline']);
    await page.evaluate(() => ((window as unknown as { __csp: string[] }).__csp = []));
  });

  it('details, tooltip, search results and the selection list show the text literally and run nothing', async () => {
    for (const paper of HOSTILE) {
      await page.evaluate((id) => window.papermap.open(id), paper.id);
      const title = await page.locator('#details h2').textContent();
      // Titles are cut at 1,000 characters on import (abstracts at 20,000): the 10,000-character word
      // stays whole in the abstract.
      if (paper.title.length > 1000) expect(title!.length <= 1001 && paper.title.startsWith(title!.slice(0, -1))).toBe(true);
      else expect(title).toBe(paper.title);
      expect(await page.locator('#details .abstract').textContent()).toBe(paper.abstract);
      // Only http(s) links are links; the others show as text.
      const links = await page.locator('#details a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(links).toEqual(paper.url?.startsWith('https:') ? [new URL(paper.url).href] : []);
      if (paper.url && !paper.url.startsWith('https:')) expect(await page.locator('#details .facts').textContent()).toContain(paper.url);
      // A 10,000-character word wraps inside the panel instead of pushing it wider than the screen.
      const box = await page.locator('#details').boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
      expect(await overflowing(page, '#details'), paper.id).toEqual([]);
    }
    expect(await page.locator('#details img, #details script, #details svg, #details iframe, #details b').count()).toBe(0);
    await page.keyboard.press('Escape');

    const at = await page.evaluate(() => window.papermap.screenPosition('h-img'));
    await page.mouse.move(at![0], at![1]);
    await expect.poll(() => page.locator('#tooltip').textContent()).toContain(HOSTILE[0]!.title);
    expect(await page.locator('#tooltip img').count()).toBe(0);
    await page.evaluate(() => window.papermap.open('h-long'));
    const long = await page.evaluate(() => window.papermap.screenPosition('h-long'));
    await page.mouse.move(long![0], long![1]);
    await expect.poll(() => page.locator('#tooltip').textContent()).toContain(LONG_WORD.slice(0, 500));
    expect((await page.locator('#tooltip').boundingBox())!.height).toBeLessThan(120);
    await page.keyboard.press('Escape');

    await page.locator('#search input').fill('speech');
    await expect.poll(() => page.locator('#results .hit .title').allTextContents()).toContain(HOSTILE[0]!.title);
    expect(await page.locator('#results img, #results script, #results svg').count()).toBe(0);
    await page.locator('#search input').fill('diffusion');
    await expect.poll(() => page.locator('#results .hit').count()).toBeGreaterThan(1);
    expect(await overflowing(page, '#results')).toEqual([]);
    await page.locator('#results button', { hasText: 'Select all' }).click();
    await page.locator('#search input').press('Escape');
    await page.evaluate((ids) => window.papermap.select(ids), HOSTILE.map((p) => p.id));
    const rows = await page.locator('#selection .row .title').allTextContents();
    expect(rows.length).toBe(HOSTILE.length);
    for (const paper of HOSTILE) expect(rows.some((r) => r === paper.title || (r.endsWith('…') && paper.title.startsWith(r.slice(0, -1)))), paper.id).toBe(true);
    expect(await page.locator('#selection img, #selection script, #selection svg').count()).toBe(0);
    expect(await overflowing(page, '#selection')).toEqual([]);
    expect(await pwned(page)).toBeUndefined();
  });

  it('exports keep every character and defuse spreadsheet formulas', async () => {
    const download = async (label: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator('#selection .actions button', { hasText: label }).click()]);
      const stream = await file.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };
    const json = JSON.parse(await download('JSON')) as { papers: { id: string; title: string; abstract: string }[] };
    for (const paper of HOSTILE) {
      const row = json.papers.find((r) => r.id === paper.id)!;
      expect(row.abstract).toBe(paper.abstract);
      if (paper.title.length <= 1000) expect(row.title).toBe(paper.title);
    }
    const csv = Papa.parse<Record<string, string>>((await download('CSV')).replace(/^\uFEFF/, ''), { header: true }).data.filter((r) => r.id);
    expect(csv.map((r) => r.id).sort()).toEqual(HOSTILE.map((p) => p.id).sort());
    const formula = csv.find((r) => r.id === 'h-csv')!;
    // A cell that starts with = + - @ would run as a formula in a spreadsheet: it is prefixed with '.
    expect(formula.title).toBe(`'${HOSTILE[6]!.title}`);
    expect(await pwned(page)).toBeUndefined();
  });

  it('topic labels are words drawn on the canvas, and nothing violated the policy', async () => {
    const labels = await page.evaluate(() => window.papermap.labels().map((l) => l.text));
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).not.toMatch(/[<>]/);
    expect(await pwned(page)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([]);
  });
});
