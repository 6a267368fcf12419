/**
 * What the user sees when things go wrong mid-run: the WebGPU device is lost, the worker crashes,
 * the user cancels. Each keeps the page usable and says what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDist, waitReady, type StaticServer } from './harness';

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

describe('a WebGPU device lost in the middle of embedding', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium('webgpu');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('hands over to WASM, completes the map and says so', async () => {
    const page = await freshPage(browser, 'device=webgpu&simulate=gpu-loss');
    expect(await readyOutcome(page)).toBe('ready');
    const state = await page.evaluate(() => window.papermap.state());
    expect(state.papers).toBe(336);
    expect(state.device).toBe('wasm');
    expect(state.fallback).toMatch(/WebGPU failed while embedding .*WASM took over at paper 33/);
    expect(state.ran).toEqual(['model', 'embed', 'knn', 'layout', 'topics']);
    expect(await page.locator('#progress .note.warning').textContent()).toMatch(/WASM took over/);
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
    expect(await panel.textContent()).toMatch(/crashed during embed/);
    await panel.locator('button', { hasText: 'Retry' }).click();
    await page.waitForFunction(() => window.papermap.state().papers === 336, null, { timeout: 120_000 });
    const state = await page.evaluate(() => window.papermap.state());
    expect(state.error).toBeNull();
    expect(await panel.getAttribute('data-state')).toBe('done');
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
