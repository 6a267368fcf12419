/**
 * The offline cache (Workbox service worker): after one online visit the app opens and works with the
 * network off and the server gone; a new deploy waits until the user accepts it, and the page never
 * runs on a mix of old and new files.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { foldProgress, launchChromium, openApp, paintedPixels, serveDist, waitReady, type StaticServer } from './harness';
import { drag, ellipse, inside, screenPoints } from './gestures';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { ORT_CACHE, ORT_FILES } from '../../src/ort-files';

const DIST = new URL('../../dist/', import.meta.url).pathname;

const state = (page: Page) => page.evaluate(() => window.papermap.state());

/** Opens the app online and waits until the service worker has saved everything and controls the page. */
async function firstVisit(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  expect(await openApp(page, url)).toEqual([]);
  await expect.poll(async () => (await state(page)).offline, { timeout: 60_000 }).toBe('ready');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page;
}

describe('offline', () => {
  let browser: Browser;
  let deploy: string;
  beforeAll(async () => {
    browser = await launchChromium('wasm');
    deploy = await mkdtemp(join(tmpdir(), 'papermap-deploy-'));
    await cp(DIST, deploy, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(deploy, { recursive: true, force: true });
  });

  for (const isolated of [false, true]) it(`after one online visit, the map, search, details and lasso work with the network off and the server gone (${isolated ? 'with' : 'without'} COOP/COEP)`, async () => {
    const server = await serveDist({ base: '/papermap/', isolated });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const page = await firstVisit(context, `${server.url}?device=wasm`);
    expect(await page.locator('#offline').textContent()).toBe('Available offline');

    await server.close();
    await context.setOffline(true);
    const requests: string[] = [];
    page.on('requestfailed', (r) => requests.push(r.url()));
    await page.reload();
    await waitReady(page);
    const s = await state(page);
    expect(s.papers).toBe(336);
    expect(s.cached).toBe(true);
    expect(s.error).toBeNull();
    // The saved copy keeps the host's headers: isolated (WASM threads) exactly when the host was.
    expect(s.isolated).toBe(isolated);
    // The saved copy is what the map runs on, whatever the browser says of its network link. Whether
    // emulated offline mode turns navigator.onLine false depends on the Chromium build: the chip must
    // say what the page itself sees. (The service worker's state is learned a moment after the map
    // opens from the cache: a map that opens sooner is read before it, so wait for it.)
    await expect.poll(async () => (await state(page)).offline, { timeout: 30_000 }).toBe('ready');
    const chip = page.locator('#offline');
    expect(await chip.getAttribute('data-status')).toBe('ready');
    const onLine = await page.evaluate(() => navigator.onLine);
    expect(await chip.getAttribute('data-network')).toBe(onLine ? 'online' : 'offline');
    expect(await chip.textContent()).toBe(onLine ? 'Available offline' : 'Offline · saved copy');
    // And the other way round, whichever this build gave: the chip follows the page's online/offline events.
    await page.evaluate((goOffline) => {
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => !goOffline });
      dispatchEvent(new Event(goOffline ? 'offline' : 'online'));
    }, onLine);
    expect(await chip.textContent()).toBe(onLine ? 'Offline · saved copy' : 'Available offline');
    expect(await chip.getAttribute('data-status')).toBe('ready');
    expect(paintedPixels(await page.locator('#map').screenshot(), [15, 18, 24]).painted).toBeGreaterThan(2000);

    // Search by words, then by meaning: the query worker loads the model and onnxruntime-web from the cache.
    await page.locator('#search input').fill('diffusion');
    await expect.poll(async () => (await state(page)).search?.hits.length ?? 0).toBeGreaterThan(0);
    await page.locator('#search .mode[data-mode="semantic"]').click();
    await page.locator('#search input').fill('image generation with diffusion models');
    await expect.poll(async () => (await state(page)).search?.hits.length ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
    expect((await state(page)).search?.message).toBeNull();
    await page.locator('#search input').press('Escape');

    await page.evaluate(() => window.papermap.open(window.papermap.points()[0]!.id));
    expect(await page.locator('#details').isVisible()).toBe(true);
    await page.keyboard.press('Escape');

    await foldProgress(page);
    await page.keyboard.press('l');
    const shape = ellipse([640, 420], 160, 120);
    const expected = (await screenPoints(page)).filter((p) => inside(p.at, shape)).map((p) => p.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    await drag(page, shape);
    expect((await state(page)).selected.sort()).toEqual(expected);
    expect(requests).toEqual([]);
    await context.close();
  });

  it('saves onnxruntime-web not on the first visit (the embedded model never runs it) but when a pretrained model first loads it, and drops another version\'s copy', async () => {
    // A copy of the embedded model without its papermap block: transformers.js runs it on onnxruntime-web, as it runs any pretrained model.
    const id = 'test-org/via-transformers';
    await cp(join(deploy, 'models', DEFAULT_MODEL_ID), join(deploy, 'models', id), { recursive: true });
    const configPath = join(deploy, 'models', id, 'config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    delete config.papermap;
    await writeFile(configPath, JSON.stringify(config));
    const server: StaticServer = await serveDist({ root: deploy });
    try {
      const context = await browser.newContext();
      const page = await firstVisit(context, `${server.url}?device=wasm`);
      /** Every cache of this origin, with the paths it holds. */
      const saved = () => page.evaluate(async () => Object.fromEntries(await Promise.all((await caches.keys()).map(async (name) => [name, (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname).sort()] as const))));
      const first = await saved();
      expect(Object.values(first).flat().length).toBeGreaterThan(10);
      expect(Object.values(first).flat().filter((path) => path.includes('/ort/'))).toEqual([]);
      // What an earlier deploy with another runtime would have left.
      await page.evaluate(() => caches.open('papermap-ort-0.0.1').then((cache) => cache.put('/ort/ort-wasm-old.wasm', new Response('old'))));

      await page.goto(`${server.url}?model=${id}&device=wasm`);
      await waitReady(page);
      expect((await state(page)).model).toBe(id);
      const runtimes = async () => Object.entries(await saved()).filter(([name]) => name.startsWith('papermap-ort-'));
      await expect.poll(runtimes, { timeout: 30_000 }).toEqual([[ORT_CACHE, Object.values(ORT_FILES).map((file) => `/ort/${file}`).sort()]]);
      await context.close();
    } finally {
      await server.close();
    }
  });

  it('a new deploy waits until the user accepts it; the page never mixes old and new files', async () => {
    const server: StaticServer = await serveDist({ root: deploy });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
      const page = await firstVisit(context, `${server.url}?device=wasm`);

      // Deploy a new version: a changed index.html, and the service worker that lists its new revision.
      const html = await readFile(join(deploy, 'index.html'), 'utf8');
      await writeFile(join(deploy, 'index.html'), html.replace('<head>', '<head><meta name="deploy" content="2">'));
      const sw = await readFile(join(deploy, 'sw.js'), 'utf8');
      const updated = sw.replace(/(url:"index\.html",revision:")[^"]+/, '$1deploy-2');
      expect(updated).not.toBe(sw);
      await writeFile(join(deploy, 'sw.js'), updated);

      // The next navigation finds the new worker; it installs beside the old one and waits.
      await page.reload();
      await waitReady(page);
      await expect.poll(async () => (await state(page)).updateWaiting, { timeout: 60_000 }).toBe(true);
      expect(await page.locator('#update').isVisible()).toBe(true);
      expect(await page.locator('#update').textContent()).toContain('A new version of Papermap is ready');
      expect(await page.locator('meta[name="deploy"]').count()).toBe(0);
      if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'update-dark.png') });

      // Another reload without accepting still runs the old version, whole.
      await page.reload();
      await waitReady(page);
      expect(await page.locator('meta[name="deploy"]').count()).toBe(0);
      await expect.poll(async () => (await state(page)).updateWaiting, { timeout: 30_000 }).toBe(true);

      await Promise.all([page.waitForEvent('load'), page.locator('#update button', { hasText: 'Reload' }).click()]);
      await waitReady(page);
      expect(await page.locator('meta[name="deploy"]').count()).toBe(1);
      expect((await state(page)).updateWaiting).toBe(false);
      expect((await state(page)).cached).toBe(true);
      await context.close();
    } finally {
      await server.close();
    }
  });
});
