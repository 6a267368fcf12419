/**
 * What the user sees when things go wrong mid-run: the WebGPU device is lost, the worker crashes,
 * the user cancels. Each keeps the page usable and says what happened.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDist, waitReady, type StaticServer } from './harness';
import { DEFAULT_MODEL_ID } from '../../src/model/models';
import { DB_VERSION } from '../../src/cache/db';

let server: StaticServer;
beforeAll(async () => {
  server = await serveDist();
});
afterAll(async () => {
  await server?.close();
});

async function freshPage(browser: Browser, query: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`${server.url}?${query}`);
  return page;
}

const readyOutcome = (page: Page) => page.evaluate(() => window.papermap.ready.then(() => 'ready', (e: Error) => e.message));

/**
 * The embedded model embeds on the CPU (a table lookup, workers/embed-static.ts), so the GPU-failure
 * resume is exercised with a copy of it that has no papermap block in its config.json: transformers.js
 * runs it on WebGPU like any pretrained model, with the same files and vectors.
 */
const dist = new URL('../../dist/models/', import.meta.url).pathname;
const VIA_TRANSFORMERS = 'test-org/arxiv-320-via-transformers';

describe('a WebGPU device lost in the middle of embedding (transformers.js path)', () => {
  let browser: Browser;
  beforeAll(async () => {
    cpSync(`${dist}${DEFAULT_MODEL_ID}`, `${dist}${VIA_TRANSFORMERS}`, { recursive: true });
    const config = JSON.parse(readFileSync(`${dist}${VIA_TRANSFORMERS}/config.json`, 'utf8')) as Record<string, unknown>;
    delete config.papermap;
    writeFileSync(`${dist}${VIA_TRANSFORMERS}/config.json`, JSON.stringify(config));
    browser = await launchChromium('webgpu');
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(`${dist}test-org`, { recursive: true, force: true });
  });

  it('hands over to WASM, completes the map and says so', async () => {
    const page = await freshPage(browser, `model=${VIA_TRANSFORMERS}&device=webgpu&simulate=gpu-loss`);
    expect(await readyOutcome(page)).toBe('ready');
    const state = await page.evaluate(() => window.papermap.state());
    expect(state.papers).toBe(336);
    expect(state.device).toBe('wasm');
    expect(state.fallback).toMatch(/WebGPU failed while embedding .*WASM took over at paper 33/);
    // Without its papermap block the model asks for no fit to the corpus.
    expect(state.ran).toEqual(['model', 'embed', 'knn', 'layout', 'topics']);
    expect(await page.locator('#progress .note.warning').textContent()).toMatch(/WASM took over/);
    // A warning is worth reading: the panel stays open instead of folding to its chip.
    expect(await page.locator('#progress').getAttribute('data-collapsed')).toBe('false');
    expect(await page.locator('#progress .note.warning').isVisible()).toBe(true);
  });
});

describe('a WebGPU device lost in the neighbour search (the embedded model, which embeds on the CPU)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium('webgpu');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the CPU finishes the search, the map is built and the panel says so', async () => {
    const page = await freshPage(browser, 'device=webgpu&simulate=gpu-loss');
    expect(await readyOutcome(page)).toBe('ready');
    const state = await page.evaluate(() => window.papermap.state());
    expect(state.papers).toBe(336);
    expect(state.device).toBe('webgpu');
    expect(state.neighbours).toBe('exact');
    expect(state.fallback).toBeNull();
    expect(state.ran).toEqual(['model', 'embed', 'fit', 'knn', 'layout', 'topics']);
    expect(await page.locator('#progress .device').textContent()).toMatch(/^Embedding on the CPU .* neighbour search on WebGPU/);
    expect(await page.locator('#progress .note.warning').textContent()).toMatch(/neighbour search on the GPU failed .*the CPU did it instead/);
    expect(await page.locator('#progress').getAttribute('data-collapsed')).toBe('false');
  });
});

describe('on the WASM path', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium('wasm');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a crashed worker gives a clear message and a retry that builds the map', async () => {
    const page = await freshPage(browser, 'device=wasm&simulate=worker-crash');
    expect(await readyOutcome(page)).toMatch(/the pipeline worker crashed during embed/);
    const panel = page.locator('#progress');
    expect(await panel.getAttribute('data-state')).toBe('failed');
    expect(await panel.getAttribute('data-collapsed')).toBe('false');
    expect(await panel.textContent()).toMatch(/crashed during embed/);
    await panel.locator('button', { hasText: 'Retry' }).click();
    await page.waitForFunction(() => window.papermap.state().papers === 336, null, { timeout: 120_000 });
    const state = await page.evaluate(() => window.papermap.state());
    expect(state.error).toBeNull();
    expect(await panel.getAttribute('data-state')).toBe('done');
    // Built without a warning: folded to its one-line heading.
    await expect.poll(() => panel.getAttribute('data-collapsed')).toBe('true');
  });

  it('cancel stops the run at once, keeps the page usable, and retry builds the map', async () => {
    const page = await freshPage(browser, 'device=wasm');
    const cancel = page.locator('#progress button', { hasText: 'Cancel' });
    await cancel.click();
    const panel = page.locator('#progress');
    await expect.poll(() => panel.getAttribute('data-state')).toBe('failed');
    expect(await panel.textContent()).toMatch(/Cancelled before the map was built/);
    expect((await page.evaluate(() => window.papermap.state())).error).toBe('cancelled');
    await panel.locator('button', { hasText: 'Retry' }).click();
    await page.waitForFunction(() => window.papermap.state().papers === 336, null, { timeout: 120_000 });
    await waitReady(page).catch(() => undefined);
    expect((await page.evaluate(() => window.papermap.state())).ran).toContain('layout');
  });
});

/** Opens a raw IndexedDB connection to the app's database from a page of its origin, as another tab would. */
async function holdDatabase(page: Page, version: number): Promise<'success' | 'blocked' | string> {
  return page.evaluate(
    (v) =>
      new Promise<string>((resolve) => {
        const request = indexedDB.open('papermap', v);
        request.onblocked = () => resolve('blocked');
        request.onsuccess = () => {
          (window as unknown as { held: IDBDatabase }).held = request.result;
          resolve('success');
        };
        request.onerror = () => resolve(String(request.error));
      }),
    version,
  );
}

describe('storage faults: the map still shows, a message says it is not cached, nothing is lost', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium('wasm');
  });
  afterAll(async () => {
    await browser?.close();
  });
  const state = (page: Page) => page.evaluate(() => window.papermap.state());

  it('a full storage quota: the map is drawn and the panel says it is not saved', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    // Less than the shipped corpus's stored map (its int8 vectors alone are 336 × 384 bytes, and the corpus fit is kept beside them).
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin, quotaSize: 32 * 1024 });
    await page.goto(`${server.url}?device=wasm`);
    expect(await readyOutcome(page)).toBe('ready');
    await expect.poll(async () => (await state(page)).cacheProblem).toMatch(/not saved for next time: browser storage is full/);
    expect((await state(page)).papers).toBe(336);
    expect(await page.locator('#progress').textContent()).toMatch(/storage is full/);
    await page.reload();
    expect(await readyOutcome(page)).toBe('ready');
    expect((await state(page)).cached).toBe(false);
    await context.close();
  });

  it('no IndexedDB at all (private mode): the map is computed and the panel says it is not cached', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
    const page = await context.newPage();
    await page.goto(`${server.url}?device=wasm`);
    expect(await readyOutcome(page)).toBe('ready');
    const s = await state(page);
    expect(s.papers).toBe(336);
    expect(s.cacheProblem).toMatch(/no IndexedDB/);
    expect(await page.locator('#progress').textContent()).toMatch(/not cached/);
    await context.close();
  });

  it('another tab holding an older version open: the map shows without the cache, and caches once that tab is gone', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(`${server.url}manifest.webmanifest`);
    expect(await holdDatabase(other, 2)).toBe('success');
    const page = await context.newPage();
    await page.goto(`${server.url}?device=wasm`);
    expect(await readyOutcome(page)).toBe('ready');
    expect((await state(page)).papers).toBe(336);
    expect((await state(page)).cacheProblem).toMatch(/another Papermap tab keeps an older version/);
    expect(await page.locator('#progress').textContent()).toMatch(/another Papermap tab/);

    await other.evaluate(() => (window as unknown as { held: IDBDatabase }).held.close());
    await page.reload();
    expect(await readyOutcome(page)).toBe('ready');
    expect((await state(page)).cacheProblem).toBeNull();
    await page.reload();
    expect(await readyOutcome(page)).toBe('ready');
    expect((await state(page)).cached).toBe(true);
    await context.close();
  });

  it('a newer version upgrading the storage from another tab: this tab lets it, keeps its map, and says so', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}?device=wasm`);
    expect(await readyOutcome(page)).toBe('ready');
    const other = await context.newPage();
    await other.goto(`${server.url}manifest.webmanifest`);
    // The upgrade is not blocked: this tab closes its connection when asked.
    expect(await holdDatabase(other, DB_VERSION + 1)).toBe('success');
    await expect.poll(async () => (await state(page)).cacheProblem).toMatch(/newer version of Papermap opened in another tab/);
    expect((await state(page)).papers).toBe(336);

    // Saving a selection now fails with a message in the panel, not an exception.
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.evaluate(() => window.papermap.select(window.papermap.points().slice(0, 3).map((p) => p.id)));
    await page.locator('#selection .save input').fill('after the upgrade');
    await page.locator('#selection .save button').click();
    await expect.poll(() => page.locator('#selection .message').textContent()).toMatch(/Could not save the selection/);
    expect(errors).toEqual([]);

    // Reopened, this (older) version cannot use the upgraded storage: it says so and still draws the map.
    await other.evaluate(() => (window as unknown as { held: IDBDatabase }).held.close());
    await page.reload();
    expect(await readyOutcome(page)).toBe('ready');
    expect((await state(page)).papers).toBe(336);
    expect((await state(page)).cacheProblem).toMatch(/newer version of Papermap has upgraded this browser's storage/);
    await context.close();
  });
});
