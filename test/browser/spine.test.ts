/**
 * The spine, end to end in headless Chromium against the built app: raw corpus -> embedded model
 * (transformers.js + onnxruntime-web) -> kNN -> UMAP -> topics -> deck.gl map -> IndexedDB cache.
 * Runs on both device paths: WASM (--disable-gpu) and WebGPU (SwiftShader, ?device=webgpu).
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { holdPipelineResult, launchChromium, mapScreenshot, openApp, pageBackground, paintedPixels, releasePreviews, releaseResult, serveDist, waitReady, withHeldResult, type BrowserMode, type StaticServer } from './harness';
import type { Corpus } from '../../src/corpus/types';

const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;

type Points = { id: string; x: number; y: number }[];

async function mapPixels(page: Page) {
  const background = await pageBackground(page);
  // Only the map's own pixels count: hide the panels floating over it for the shot.
  return paintedPixels(await mapScreenshot(page), background);
}

/** A paper whose point is far from every other point on screen, so hovering it is unambiguous. */
async function isolatedPaper(page: Page): Promise<{ id: string; x: number; y: number }> {
  return page.evaluate(() => {
    const api = window.papermap;
    const screen = api.points().map((p) => ({ id: p.id, at: api.screenPosition(p.id)! }));
    // Not under a topic label either: a click there is the label's.
    const labels = api.labels().map((l) => l.box);
    const underLabel = ([x, y]: [number, number]) => labels.some(([left, top, right, bottom]) => x > left - 12 && x < right + 12 && y > top - 12 && y < bottom + 12);
    const inView = screen.filter(({ at: [x, y] }) => x > 320 && y > 80 && x < innerWidth - 460 && y < innerHeight - 260 && !underLabel([x, y]));
    let best = inView[0]!;
    let bestGap = -1;
    for (const a of inView) {
      let gap = Infinity;
      for (const b of screen) if (a !== b) gap = Math.min(gap, Math.hypot(a.at[0] - b.at[0], a.at[1] - b.at[1]));
      if (gap > bestGap) [best, bestGap] = [a, gap];
    }
    return { id: best.id, x: best.at[0], y: best.at[1] };
  });
}

for (const mode of ['wasm', 'webgpu'] as BrowserMode[]) {
  describe(`the spine on the ${mode} path`, () => {
    let server: StaticServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let firstPoints: Points;
    const url = () => `${server.url}?device=${mode}`;

    beforeAll(async () => {
      server = await serveDist();
      browser = await launchChromium(mode);
      context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
      page = await context.newPage();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('builds the map of every unique paper on the requested device and draws it', async () => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // The layout is drawn while it is computed, before topics exist. The worker's final result is
      // held back so that the check does not race a fast machine.
      await holdPipelineResult(page, { previews: true });
      await page.goto(withHeldResult(url()));
      // While the worker works and before a layout reaches the page, the map has drawn once to compile
      // its shaders (warmUpLayers), and that draw shows nothing.
      await page.locator('#progress li[data-stage="fit"][data-status="done"]').waitFor({ timeout: 120_000 });
      expect((await mapPixels(page)).painted).toBe(0);
      await releasePreviews(page);
      await page.waitForFunction(() => document.body.dataset.state === 'preview', null, { timeout: 120_000, polling: 50 });
      await expect.poll(async () => (await mapPixels(page)).painted).toBeGreaterThan(corpus.papers.length * 10);
      expect(await page.evaluate(() => document.body.dataset.state)).toBe('preview');
      await releaseResult(page);
      await waitReady(page);
      const state = await page.evaluate(() => window.papermap.state());
      expect(state.papers).toBe(corpus.papers.length);
      expect(state.device).toBe(mode);
      // On WebGPU the neighbours are searched on the GPU too; on WASM exactly on the CPU (336 papers).
      expect(state.neighbours).toBe(mode === 'webgpu' ? 'webgpu' : 'exact');
      expect(state.cached).toBe(false);
      expect(state.fallback).toBeNull();
      expect(state.ran).toEqual(['model', 'embed', 'fit', 'knn', 'layout', 'topics']);
      // The embedded model is fitted to the corpus, and the panel says so.
      expect(state.model).toBe(DEFAULT_MODEL_ID);
      expect(state.corpusFit).toMatchObject({ dims: 64 });
      expect(state.corpusFit!.terms).toBeGreaterThan(500);
      expect(await page.locator('#progress li[data-stage="fit"]').getAttribute('data-status')).toBe('done');
      expect(await page.locator('#progress li[data-stage="fit"] .name').textContent()).toBe('Fit to this corpus');
      expect(state.topics.filter((t) => t.level === 1).length).toBeGreaterThanOrEqual(3);
      expect(new Set(state.topics.map((t) => t.level))).toEqual(new Set([0, 1, 2]));
      expect(state.corpusHash).toBe(corpus.hash);
      expect(errors).toEqual([]);
      firstPoints = await page.evaluate(() => window.papermap.points());
      expect(firstPoints).toHaveLength(corpus.papers.length);
      expect(firstPoints.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);

      const pixels = await mapPixels(page);
      // 336 points of ~9 px across: thousands of painted pixels in several topic hues.
      expect(pixels.painted).toBeGreaterThan(corpus.papers.length * 20);
      expect(pixels.hues).toBeGreaterThanOrEqual(3);

      const panel = page.locator('#progress');
      await expect.poll(() => panel.getAttribute('data-device')).toBe(mode);
      // The embedded model is a table lookup in JS: the panel does not credit the device with it.
      expect(await panel.locator('.device').textContent()).toMatch(mode === 'webgpu' ? /^Embedding on the CPU .* neighbour search on WebGPU/ : /^Embedding on the CPU .* neighbour search on the CPU/);
      await expect.poll(() => panel.textContent()).toMatch(/Map built in/);
      expect(await page.locator('#legend li').count()).toBeGreaterThanOrEqual(3);
    });

    it('shows the title of the hovered point and opens its details on click', async () => {
      const target = await isolatedPaper(page);
      const paper = corpus.papers.find((p) => p.id === target.id)!;
      await page.mouse.move(target.x, target.y);
      const tooltip = page.locator('#tooltip');
      await expect.poll(() => tooltip.isVisible()).toBe(true);
      expect(await tooltip.textContent()).toContain(paper.title);

      await page.mouse.click(target.x, target.y);
      const details = page.locator('#details');
      await expect.poll(() => details.isVisible()).toBe(true);
      expect(await details.locator('h2').textContent()).toBe(paper.title);
      expect(await details.locator('.abstract').textContent()).toBe(paper.abstract);
      // The page it was listed on, by its name.
      expect(await details.textContent()).toContain(corpus.sources.find((s) => s.id === paper.sources[0])!.name!);
      // Reading is not selecting; Shift-click adds the paper to the selection. (With the paper closed:
      // labels make room for the details panel, and one may have moved over the point.)
      expect((await page.evaluate(() => window.papermap.state())).selected).toEqual([]);
      await page.keyboard.press('Escape');
      await expect.poll(() => details.isVisible()).toBe(false);
      await page.waitForTimeout(600); // not a double click
      await page.keyboard.down('Shift');
      await page.mouse.click(target.x, target.y);
      await page.keyboard.up('Shift');
      // deck.gl delivers a click only once it is sure it is not half of a double click.
      await expect.poll(async () => (await page.evaluate(() => window.papermap.state())).selected).toEqual([paper.id]);
      await page.waitForTimeout(600);
      await page.mouse.click(target.x, target.y);
      await expect.poll(() => details.isVisible()).toBe(true);

      // Esc closes the paper first, then clears the selection.
      await page.keyboard.press('Escape');
      await expect.poll(() => details.isVisible()).toBe(false);
      expect((await page.evaluate(() => window.papermap.state())).selected).toEqual([paper.id]);
      await page.keyboard.press('Escape');
      expect((await page.evaluate(() => window.papermap.state())).selected).toEqual([]);
    });

    it('reopens from IndexedDB on reload without running the pipeline, at the same positions', async () => {
      await page.reload();
      await waitReady(page);
      const state = await page.evaluate(() => window.papermap.state());
      expect(state.cached).toBe(true);
      expect(state.ran).toEqual([]);
      expect(state.device).toBe(mode);
      expect(await page.evaluate(() => window.papermap.points())).toEqual(firstPoints);
      expect((await mapPixels(page)).painted).toBeGreaterThan(corpus.papers.length * 20);
      await expect.poll(() => page.locator('#progress').textContent()).toMatch(/Opened from this browser's cache/);
    });

    if (mode === 'wasm') {
      it('computes the same layout in a new browser profile (determinism)', async () => {
        const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const other = await fresh.newPage();
        await openApp(other, url());
        const state = await other.evaluate(() => window.papermap.state());
        expect(state.cached).toBe(false);
        expect(await other.evaluate(() => window.papermap.points())).toEqual(firstPoints);
        await fresh.close();
      });

      it('recomputes a corrupt cache entry instead of breaking', async () => {
        await page.evaluate(async () => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open('papermap');
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          const store = db.transaction('maps', 'readwrite').objectStore('maps');
          const keys = await new Promise<IDBValidKey[]>((resolve) => {
            const r = store.getAllKeys();
            r.onsuccess = () => resolve(r.result);
          });
          for (const key of keys) {
            const entry = await new Promise<Record<string, unknown>>((resolve) => {
              const r = store.get(key);
              r.onsuccess = () => resolve(r.result);
            });
            // The binary part cut short, as a write interrupted halfway would leave it.
            store.put({ ...entry, data: (entry.data as Blob).slice(0, 100) });
          }
          await new Promise((resolve) => (store.transaction.oncomplete = resolve));
          db.close();
        });
        await page.reload();
        await waitReady(page);
        const state = await page.evaluate(() => window.papermap.state());
        expect(state.cached).toBe(false);
        expect(state.ran).toContain('embed');
        expect(await page.evaluate(() => window.papermap.points())).toEqual(firstPoints);
        expect(await page.locator('#progress').textContent()).toMatch(/cached map discarded: the binary part has 100 bytes, not \d+: it is truncated/);
        await page.reload();
        await waitReady(page);
        expect((await page.evaluate(() => window.papermap.state())).cached).toBe(true);
      });
    }
  });
}
