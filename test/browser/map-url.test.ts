/**
 * ?map=<url>: a bundle written by npm run build-map, hosted beside the app, opens with nothing
 * computed, is kept for the next visit, and a URL that is not a bundle says so and loses nothing.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openApp, serveDist, waitReady, type StaticServer } from './harness';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
const FIXTURES = join(ROOT, 'test/fixtures/import');
const state = (page: Page) => page.evaluate(() => window.papermap.state());

describe('a map bundle named in the address', () => {
  let browser: Browser;
  let server: StaticServer;
  let deploy: string;
  let bundles: string[];
  beforeAll(async () => {
    deploy = await mkdtemp(join(tmpdir(), 'papermap-bundles-'));
    await cp(DIST, deploy, { recursive: true });
    // The real build: the app's pipeline in Node, on a file with texts only and on one with its own vectors and positions.
    for (const file of ['papers.jsonl', 'papers-vectors.json']) {
      execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/build-map.ts', join(FIXTURES, file), '--out', join(deploy, 'data')], { cwd: ROOT, stdio: 'pipe' });
    }
    await cp(join(FIXTURES, 'papers.jsonl'), join(deploy, 'data/papers.jsonl'));
    bundles = (await readdir(join(deploy, 'data'))).filter((f) => f.endsWith('.papermap'));
    browser = await launchChromium('wasm');
    server = await serveDist({ root: deploy });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(deploy, { recursive: true, force: true });
  });

  it('opens with nothing computed, searches by meaning, and reopens from the cache', async () => {
    const bundle = bundles.find((f) => f.startsWith('papers.'))!;
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    expect(await openApp(page, `${server.url}?device=wasm&map=data/${bundle}`)).toEqual([]);
    const s = await state(page);
    expect([s.source, s.ran, s.papers, s.corpus.name]).toEqual(['prebuilt', [], 9, bundle]);
    expect(s.corpus.param).toMatch(/^local:/);
    const points = await page.evaluate(() => window.papermap.points());
    await page.locator('#search .mode[data-mode="semantic"]').click();
    await page.locator('#search input').fill('speech recognition');
    await expect.poll(async () => (await state(page)).search?.hits.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await state(page)).ran).toEqual([]);
    // Its corpus is listed with the imported ones.
    await page.locator('#summary').click();
    await expect.poll(() => page.locator('#maps .corpora .name').allTextContents()).toContain(bundle);
    await page.reload();
    await waitReady(page);
    const again = await state(page);
    expect([again.source, again.cached, again.ran]).toEqual(['prebuilt', true, []]);
    expect(await page.evaluate(() => window.papermap.points())).toEqual(points);
  });

  it('a bundle of a file with its own vectors and positions needs no model', async () => {
    const bundle = bundles.find((f) => f.startsWith('papers-vectors.'))!;
    const page = await (await browser.newContext()).newPage();
    expect(await openApp(page, `${server.url}?device=wasm&map=data/${bundle}`)).toEqual([]);
    const s = await state(page);
    expect([s.source, s.ran, s.device]).toEqual(['prebuilt', [], null]);
    expect(await page.locator('#summary').textContent()).toMatch(/vectors from the file/);
  });

  it('an address that is not a bundle says why and shows the shipped corpus', async () => {
    for (const [path, why] of [
      ['data/missing.papermap', /^data\/missing\.papermap could not be fetched \(HTTP 404\)\. Showing the shipped corpus instead\.$/],
      ['data/papers.jsonl', /^data\/papers\.jsonl is not usable: it is not a Papermap map bundle \(it does not start with PAPERMAP-MAP\)\. Showing the shipped corpus instead\.$/],
    ] as const) {
      const page = await (await browser.newContext()).newPage();
      expect(await openApp(page, `${server.url}?device=wasm&map=${path}`)).toEqual([]);
      const s = await state(page);
      expect(s.papers).toBe(336);
      expect(s.corpus.param).toBeNull();
      expect(await page.locator('#progress .note.warning').first().textContent()).toMatch(why);
    }
  });
});
