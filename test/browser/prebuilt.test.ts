/**
 * The deploy's prebuilt map (npm run build-map → public/maps/): a first visit on a fresh profile draws
 * it without computing anything, keeps it for the next visit and offline, searches it by meaning,
 * rebuilds it in the browser on request into the very same map, and a broken bundle costs nothing.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, mapScreenshot, openApp, paintedPixels, serveDist, waitReady, type StaticServer } from './harness';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const state = (page: Page) => page.evaluate(() => window.papermap.state());

describe('the prebuilt map', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    browser = await launchChromium('wasm');
    server = await serveDist({ prebuilt: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws on a first visit with nothing computed, then from the cache, offline too; search by meaning embeds only the query', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const page = await context.newPage();
    expect(await openApp(page, `${server.url}?device=wasm`)).toEqual([]);
    const first = await state(page);
    expect(first.source).toBe('prebuilt');
    expect(first.ran).toEqual([]);
    expect(first.cached).toBe(false);
    expect(first.papers).toBe(336);
    expect(first.corpusFit).not.toBeNull();
    expect(await page.locator('#progress h3').textContent()).toMatch(/^Opened the prebuilt map in/);
    const { painted, hues } = paintedPixels(await mapScreenshot(page), [15, 18, 24]);
    expect(painted).toBeGreaterThan(336 * 20);
    expect(hues).toBeGreaterThanOrEqual(3);

    await page.locator('#search .mode[data-mode="semantic"]').click();
    await page.locator('#search input').fill('image generation with diffusion');
    // (The query's model loads on this first search.)
    await expect.poll(async () => (await state(page)).search?.hits.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await state(page)).ran).toEqual([]);

    await expect.poll(async () => (await state(page)).offline, { timeout: 60_000 }).toBe('ready');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    await page.goto(`${server.url}?device=wasm`);
    await waitReady(page);
    const again = await state(page);
    expect([again.source, again.cached, again.ran, again.papers]).toEqual(['prebuilt', true, [], 336]);
    await context.close();
  });

  it('Rebuild in this browser computes the same map: identical positions and topics', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await openApp(page, `${server.url}?device=wasm`);
    expect((await state(page)).source).toBe('prebuilt');
    const points = await page.evaluate(() => window.papermap.points());
    const topics = (await state(page)).topics;
    await page.locator('#summary').click();
    await page.locator('#maps button', { hasText: 'Rebuild in this browser' }).click();
    await expect.poll(async () => (await state(page)).ran, { timeout: 120_000 }).toContain('layout');
    await expect.poll(async () => (await state(page)).source).toBe('browser');
    expect((await state(page)).ran).toEqual(['model', 'embed', 'fit', 'knn', 'layout', 'topics']);
    // The same pipeline on the same model in Node and in the browser: the same map, to the last bit.
    expect(await page.evaluate(() => window.papermap.points())).toEqual(points);
    expect((await state(page)).topics).toEqual(topics);
    // What the browser computed replaces the prebuilt copy in the cache.
    await page.reload();
    await waitReady(page);
    expect([(await state(page)).source, (await state(page)).cached]).toEqual(['browser', true]);
    await context.close();
  });

  it('a damaged bundle is reported and the map is computed in the browser instead', async () => {
    const deploy = await mkdtemp(join(tmpdir(), 'papermap-damaged-'));
    await cp(DIST, deploy, { recursive: true });
    const bundle = (await readdir(join(deploy, 'maps'))).find((f) => f.endsWith('.papermap'))!;
    const bytes = await readFile(join(deploy, 'maps', bundle));
    await writeFile(join(deploy, 'maps', bundle), bytes.subarray(0, bytes.length - 1000));
    const damaged = await serveDist({ root: deploy, prebuilt: true });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      expect(await openApp(page, `${damaged.url}?device=wasm`)).toEqual([]);
      const s = await state(page);
      expect(s.source).toBe('browser');
      expect(s.ran).toContain('layout');
      expect(s.error).toBeNull();
      expect(await page.locator('#progress .note.warning').textContent()).toMatch(new RegExp(`The prebuilt map ${bundle.replaceAll('.', '\\.')} is not usable: it has \\d+ bytes, not the \\d+ its header describes: it is truncated or damaged: the map is computed in this browser instead\\.`));
      await context.close();
    } finally {
      await damaged.close();
      await rm(deploy, { recursive: true, force: true });
    }
  });
});
