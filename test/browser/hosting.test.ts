/**
 * The built dist/ as a static site: from a sub-path, on a plain host (single-threaded WASM) and on a
 * host that sends COOP/COEP (cross-origin isolated: WASM threads).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openApp, serveDist } from './harness';

describe('static hosting', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium('wasm');
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const isolated of [false, true]) {
    it(`works from a sub-path ${isolated ? 'with' : 'without'} cross-origin isolation`, async () => {
      const server = await serveDist({ base: '/some/deep/path/', isolated });
      try {
        const page = await (await browser.newContext()).newPage();
        const failed: string[] = [];
        page.on('response', (r) => r.status() >= 400 && failed.push(r.url()));
        const errors = await openApp(page, `${server.url}?device=wasm`);
        const state = await page.evaluate(() => window.papermap.state());
        expect(state.papers).toBe(336);
        expect(state.isolated).toBe(isolated);
        expect(state.threads).toBe(isolated ? 2 : 1);
        expect(errors).toEqual([]);
        expect(failed).toEqual([]);
        // The embedded model needs no runtime (a table lookup in JS); the threads serve transformer models.
        expect(await page.locator('#progress .device').textContent()).toMatch(/^Embedding on the CPU .* neighbour search on the CPU/);
      } finally {
        await server.close();
      }
    });
  }
});
