/**
 * The second core: a map of 12,000 real arXiv abstracts built with the text worker beside the pipeline
 * worker (workers/text-side.ts, text.worker.ts: the corpus fit and the papers' terms there, the corpus
 * parts shared between the two) and half of the layout's edges in a layout worker (workers/layout-side.ts,
 * layout.worker.ts: a map of more than 10,000 papers) is the map the pipeline worker builds alone when
 * either worker crashed (?simulate=text-worker-crash: at once; ?simulate=layout-worker-crash: as the
 * layout starts, which then starts again in the pipeline worker), to the last bit.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveDist, type StaticServer } from './harness';
import { readArxiv, splitByPaper } from '../../scripts/lib/arxiv';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const N = 12_000;

describe('the text and layout workers on the second core', () => {
  let browser: Browser;
  let server: StaticServer;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'papermap-two-workers-'));
    await cp(DIST, root, { recursive: true });
    // Development papers: real abstracts the embedded model never saw.
    const papers = splitByPaper(readArxiv()).dev.slice(0, N);
    await mkdir(join(root, 'data'), { recursive: true });
    await writeFile(join(root, 'data', 'arxiv.jsonl'), papers.map((p) => JSON.stringify({ id: p.id, title: p.title, abstract: p.abstract })).join('\n'));
    server = await serveDist({ root });
    browser = await launchChromium('wasm');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function build(query: string): Promise<{ page: Page; points: unknown; topics: unknown; ran: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${server.url}?device=wasm&corpus=data/arxiv.jsonl${query}`);
    await page.waitForFunction(() => window.papermap !== undefined);
    expect(await page.evaluate(() => window.papermap.ready.then(() => 'ready', (e: Error) => e.message))).toBe('ready');
    const state = await page.evaluate(() => window.papermap.state());
    expect(state.papers).toBe(N);
    return { page, points: await page.evaluate(() => window.papermap.points()), topics: state.topics, ran: state.ran };
  }

  it('builds the same map as the pipeline worker alone, and says where the work was done', async () => {
    const two = await build('');
    const noText = await build('&simulate=text-worker-crash');
    const noLayout = await build('&simulate=layout-worker-crash');
    expect(two.ran).toEqual(['model', 'embed', 'fit', 'knn', 'layout', 'topics']);
    for (const one of [noText, noLayout]) {
      expect(one.ran).toEqual(two.ran);
      expect(one.points).toEqual(two.points);
      expect(one.topics).toEqual(two.topics);
      // A crash loses nothing: the same map, a warning, and the panel stays open to show it.
      expect(await one.page.locator('#progress').getAttribute('data-collapsed')).toBe('false');
    }
    const detail = (page: Page, stage: string) => page.locator(`#progress li[data-stage="${stage}"] .detail`).textContent();
    const panel = (page: Page) => page.locator('#progress').textContent();
    expect(await detail(two.page, 'fit')).toMatch(/^in a second worker · \d/);
    expect(await detail(two.page, 'topics')).toMatch(/^terms and the finest names from a second worker · \d/);
    expect(await detail(two.page, 'layout')).toMatch(/^on two cores · \d/);
    expect(await panel(two.page)).not.toMatch(/second worker stopped/);

    expect(await detail(noText.page, 'fit')).not.toMatch(/second worker/);
    expect(await panel(noText.page)).toMatch(/The second worker stopped \(the text worker crashed: .*simulated text worker crash.*\); the pipeline worker did its work instead/);

    expect(await detail(noLayout.page, 'layout')).not.toMatch(/two cores/);
    expect(await detail(noLayout.page, 'fit')).toMatch(/^in a second worker/);
    expect(await panel(noLayout.page)).toMatch(/The layout's second worker stopped \(the layout worker crashed: .*simulated layout worker crash.*\); the layout started again in the pipeline worker/);
  }, 360_000);
});
