/**
 * Small things a newcomer meets at once: while the first map is built the top bar and the progress
 * card say the same thing, in the same words; switching search mode keeps typing in the search box.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { holdPipelineResult, launchChromium, releaseResult, serveDist, waitReady, withHeldResult, type StaticServer } from './harness';
import type { Corpus } from '../../src/corpus/types';

const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;

describe('status and focus', () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;

  beforeAll(async () => {
    server = await serveDist();
    browser = await launchChromium('wasm');
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('while the first map is built, the top bar says what the progress card says', async () => {
    await holdPipelineResult(page);
    await page.goto(withHeldResult(`${server.url}?device=wasm`));
    const heading = page.locator('#progress h3');
    await expect.poll(() => heading.textContent(), { timeout: 60_000 }).toMatch(/^Building the map/);
    // The layout is held back, so the build is still under way.
    expect(await page.locator('#summary').textContent()).toBe(await heading.textContent());
    expect(await heading.textContent()).toBe(`Building the map of ${corpus.papers.length} papers…`);
    await releaseResult(page);
    await waitReady(page);
    // Once the map is shown, the top bar says what it is.
    expect(await page.locator('#summary').textContent()).toContain(`${corpus.papers.length} papers · `);
  });

  it('switching between Words and Meaning keeps typing in the search box', async () => {
    const input = page.locator('#search input');
    await input.click();
    await page.keyboard.type('diff');
    await page.locator('#search .mode[data-mode="semantic"]').click();
    await page.keyboard.type('usion');
    await page.locator('#search .mode[data-mode="keyword"]').click();
    await page.keyboard.type(' models');
    expect(await input.inputValue()).toBe('diffusion models');
    expect(await page.evaluate(() => document.activeElement === document.querySelector('#search input'))).toBe(true);
    await expect.poll(async () => (await page.evaluate(() => window.papermap.state())).search?.query).toBe('diffusion models');
  });
});
