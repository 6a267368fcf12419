/**
 * A map of a million papers in Chromium, built from a file that brings its own positions (no UMAP),
 * opened through ?corpus=<url>: topics, legend and labels, hover at two zoom levels, click, search and
 * a lasso checked against every point; and a file far out in the plane (x, y ≈ 1e6) whose neighbours
 * 1e-3 apart stay apart when zoomed in, because the map's coordinates are normalised.
 *
 * Chromium here draws WebGL on SwiftShader (a CPU renderer): a million points take seconds per frame,
 * so the test moves the view only twice. The 1M import takes ~25–50 s of the file's time.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { foldProgress, launchChromium, serveDist, type StaticServer } from './harness';
import { ellipse, inside, type Point } from './gestures';
import { cachedBigCorpus } from '../support/big-corpus';
import { normaliseCoords } from '../../src/math/geometry/normalise';
import { mulberry32 } from '../../src/math/random';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const N = 1_000_000;

interface Projection {
  target: [number, number];
  scale: number;
  /** The map's top-left corner and size on the page. */
  rect: { x: number; y: number; width: number; height: number };
}

/** The view as the test computes it: page pixels of a map coordinate (deck.gl's orthographic view, y down). */
async function projection(page: Page): Promise<Projection> {
  return page.evaluate(() => {
    const { target, zoom } = window.papermap.view();
    const r = document.getElementById('map')!.getBoundingClientRect();
    return { target, scale: 2 ** zoom, rect: { x: r.left, y: r.top, width: r.width, height: r.height } };
  });
}

function toPage({ target, scale, rect }: Projection, x: number, y: number): Point {
  return [rect.x + rect.width / 2 + (x - target[0]) * scale, rect.y + rect.height / 2 + (y - target[1]) * scale];
}

/**
 * Papers with no other within `distance` (map units): those alone in their cell of a grid of that
 * size and in the 8 cells around it (a conservative test: some lonely papers are missed).
 */
function lonelyPapers(coords: Float32Array, distance: number): Set<number> {
  const key = (cx: number, cy: number) => cx * 1_000_003 + cy;
  const counts = new Map<number, number>();
  const n = coords.length / 2;
  for (let i = 0; i < n; i++) {
    const k = key(Math.floor(coords[2 * i]! / distance), Math.floor(coords[2 * i + 1]! / distance));
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const lonely = new Set<number>();
  for (let i = 0; i < n; i++) {
    const cx = Math.floor(coords[2 * i]! / distance), cy = Math.floor(coords[2 * i + 1]! / distance);
    let around = 0;
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) around += counts.get(key(cx + dx, cy + dy)) ?? 0;
    if (around === 1) lonely.add(i);
  }
  return lonely;
}

/** Whether a page position is on the map itself: not under a panel or a topic label. */
async function onOpenMap(page: Page, at: Point): Promise<boolean> {
  return page.evaluate(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    const onMap = hit !== null && document.getElementById('map')!.contains(hit);
    const underLabel = window.papermap.labels().some(({ box }) => x >= box[0] - 4 && x <= box[2] + 4 && y >= box[1] - 4 && y <= box[3] + 4);
    return onMap && !underLabel;
  }, at);
}

/** Moves the pointer onto a paper and reads the tooltip's title. */
async function hoverTitle(page: Page, at: Point): Promise<string> {
  await page.mouse.move(at[0] + 30, at[1] + 30);
  await page.mouse.move(at[0], at[1]);
  await expect.poll(() => page.locator('#tooltip').isVisible(), { timeout: 60_000 }).toBe(true);
  return (await page.locator('#tooltip .title').textContent()) ?? '';
}

describe('a million papers', () => {
  let browser: Browser;
  let server: StaticServer;
  let page: Page;
  let root: string;
  let coords: Float32Array;

  beforeAll(async () => {
    const big = await cachedBigCorpus({ n: N });
    // The map's coordinates, computed here from the file's own positions.
    coords = normaliseCoords(big.positions).coords;
    root = await mkdtemp(join(tmpdir(), 'papermap-scale-'));
    await cp(DIST, root, { recursive: true });
    await cp(big.path, join(root, 'data', 'million.csv'));
    // Far out in the plane: 300 papers in a 4 × 4 square around (1e6, 1e6) and a row of five 1e-3 apart.
    const random = mulberry32(11);
    const rows = ['id,title,abstract,x,y'];
    for (let i = 0; i < 300; i++) rows.push(`bg${i},Background paper ${i},Graph learning on molecules ${i},${1e6 - 2 + 4 * random()},${1e6 - 2 + 4 * random()}`);
    for (let k = 0; k < 5; k++) rows.push(`row${k},Neighbour ${k} of the row,Diffusion models for images ${k},${1e6 + 0.5 + k * 1e-3},${1e6 + 0.5}`);
    await writeFile(join(root, 'data', 'far.csv'), `${rows.join('\n')}\n`);
    server = await serveDist({ root });
    browser = await launchChromium('wasm');
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function open(file: string): Promise<number> {
    const t0 = Date.now();
    await page.goto(`${server.url}?device=wasm&corpus=data/${file}`);
    await page.waitForFunction(() => window.papermap !== undefined);
    await page.evaluate(() => window.papermap.ready);
    await foldProgress(page, 60_000);
    return (Date.now() - t0) / 1000;
  }

  it('keeps papers 1e-3 apart at x, y ≈ 1e6 apart when zoomed in far (float32 alone would merge them)', async () => {
    await open('far.csv');
    const ids = await page.evaluate(() => Array.from({ length: window.papermap.state().papers }, (_, i) => window.papermap.point(i)!.id));
    const row = [0, 1, 2, 3, 4].map((k) => ids.indexOf(`row${k}`));
    const first = await page.evaluate((i) => window.papermap.point(i)!, row[0]!);
    const overview = await page.evaluate(() => window.papermap.view().zoom);
    // Eight zoom levels in (256×) on the row: neighbours are then tens of pixels apart.
    await page.evaluate(([x, y, zoom]) => window.papermap.setView({ target: [x!, y!], zoom: zoom! }), [first.x, first.y, overview + 8]);
    const points = await page.evaluate((list) => list.map((i) => window.papermap.point(i)!), row);
    const gaps = points.slice(1).map((p, k) => p.screen[0] - points[k]!.screen[0]);
    for (const gap of gaps) expect(gap).toBeGreaterThan(20);
    // Hovering each of two neighbours names that one.
    const free: typeof points = [];
    for (const p of points) if (await onOpenMap(page, p.screen)) free.push(p);
    const pair = free.findIndex((p, k) => k + 1 < free.length && free[k + 1]!.id === `row${Number(p.id.slice(3)) + 1}`);
    expect(pair).toBeGreaterThanOrEqual(0);
    for (const p of [free[pair]!, free[pair + 1]!]) expect(await hoverTitle(page, p.screen)).toBe(p.title);
    // And they are drawn apart: dots at both, background between them.
    const [a, b] = [free[pair]!.screen, free[pair + 1]!.screen];
    await page.mouse.move(10, 790);
    const shot = await page.screenshot({ clip: { x: a[0] - 2, y: a[1] - 1, width: b[0] - a[0] + 4, height: 2 } });
    const { PNG } = await import('pngjs');
    const image = PNG.sync.read(shot);
    const brightness = (x: number) => image.data[4 * x]! + image.data[4 * x + 1]! + image.data[4 * x + 2]!;
    const middle = Math.round(image.width / 2);
    expect(brightness(2)).toBeGreaterThan(brightness(middle) + 60);
    expect(brightness(image.width - 3)).toBeGreaterThan(brightness(middle) + 60);
  });

  it('imports a million papers with their own positions: topics, legend and labels', async () => {
    const seconds = await open('million.csv');
    const state = await page.evaluate(() => window.papermap.state());
    console.log(`1,000,000 papers: ready in ${seconds.toFixed(1)} s (${JSON.stringify(state.timings)})`);
    expect(state.papers).toBe(N);
    expect(state.error).toBeNull();
    // The file's positions are the map: only the topics are computed.
    expect(state.ran).toEqual(['topics']);
    expect(state.topics.filter((t) => t.level === 1).length).toBeGreaterThan(5);
    expect(await page.locator('#legend .topic').count()).toBeGreaterThan(5);
    expect((await page.evaluate(() => window.papermap.labels())).length).toBeGreaterThan(3);
    expect(await page.locator('#summary').textContent()).toContain('1,000,000 papers');
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'million-dark.png') });
  });

  it('hover names the paper under the pointer, zoomed out and zoomed in', async () => {
    const random = mulberry32(5);
    for (const steps of [0, 6]) {
      if (steps > 0) {
        // Zoom in on the middle of the densest cluster: the first paper of the file lies in one.
        const overview = await page.evaluate(() => window.papermap.view().zoom);
        await page.evaluate(([x, y, zoom]) => window.papermap.setView({ target: [x!, y!], zoom: zoom! }), [coords[0]!, coords[1]!, overview + steps]);
      }
      const view = await projection(page);
      // A paper with no other within 3 px, so the half pixel the pointer may be off cannot mean another
      // (in a dense core at the overview, dozens of papers share each pixel and any of them is right).
      const alone = lonelyPapers(coords, 3 / view.scale);
      const lonely = [...alone].filter((i) => {
        const [x, y] = toPage(view, coords[2 * i]!, coords[2 * i + 1]!);
        return x > view.rect.x + 280 && x < view.rect.x + view.rect.width - 20 && y > view.rect.y + 70 && y < view.rect.y + view.rect.height - 70;
      });
      let target: number | null = null;
      // A random one of them (seeded), not always the most remote.
      for (let tries = 0; tries < 50 && lonely.length > 0; tries++) {
        const i = lonely[Math.floor(random() * lonely.length)]!;
        if (!(await onOpenMap(page, toPage(view, coords[2 * i]!, coords[2 * i + 1]!)))) continue;
        target = i;
        break;
      }
      expect(target, `a free paper at zoom +${steps}`).not.toBeNull();
      const paper = await page.evaluate((i) => window.papermap.point(i)!, target!);
      // The page's projection and the test's agree to a fraction of a pixel.
      const mine = toPage(view, coords[2 * target!]!, coords[2 * target! + 1]!);
      expect(Math.hypot(paper.screen[0] - mine[0], paper.screen[1] - mine[1])).toBeLessThan(0.5);
      expect(await hoverTitle(page, paper.screen)).toBe(paper.title);
      if (steps > 0) {
        // A click opens it.
        await page.mouse.click(...paper.screen);
        await expect.poll(() => page.locator('#details h2').textContent(), { timeout: 60_000 }).toBe(paper.title);
        await page.keyboard.press('Escape');
      }
    }
  });

  it('finds one paper of a million by a word of its title', async () => {
    await page.locator('#search input').fill('123456');
    await expect.poll(() => page.locator('#results .count').textContent(), { timeout: 60_000 }).toBe('1 paper');
    const title = await page.evaluate(() => window.papermap.point(123456)!.title);
    expect(await page.locator('#results .hit .title').allTextContents()).toEqual([title]);
    await page.locator('#search input').press('Escape');
  });

  it('a lasso selects exactly the papers inside it, checked against every point', async () => {
    // A wheel zoom first: deck.gl then keeps per-axis zooms in its view state, which setView must override.
    const zoom = await page.evaluate(() => window.papermap.view().zoom);
    await page.mouse.move(700, 420);
    await page.mouse.wheel(0, -200);
    await expect.poll(() => page.evaluate(() => window.papermap.view().zoom), { timeout: 60_000 }).toBeGreaterThan(zoom);
    await page.evaluate((z) => window.papermap.setView({ target: [0, 0], zoom: z - 6 }), zoom);
    const view = await projection(page);
    const polygon = ellipse([view.rect.x + 700, view.rect.y + 420], 260, 200, 24);
    let expected = 0;
    for (let i = 0; i < N; i++) if (inside(toPage(view, coords[2 * i]!, coords[2 * i + 1]!), polygon)) expected++;
    // Draw once the map has been redrawn at this view (a million points take seconds on SwiftShader).
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.keyboard.press('l');
    await page.mouse.move(...polygon[0]!);
    await page.mouse.down();
    for (const p of [...polygon.slice(1), polygon[0]!]) await page.mouse.move(...p);
    await page.mouse.up();
    await expect.poll(() => page.evaluate(() => Number(document.body.dataset.selection)), { timeout: 60_000 }).toBeGreaterThan(0);
    const selected = await page.evaluate(() => Number(document.body.dataset.selection));
    // Points within a rounding error of the lasso's edge may fall either way.
    expect(Math.abs(selected - expected)).toBeLessThanOrEqual(Math.max(5, expected * 1e-5));
    expect(await page.locator('#selection h3').textContent()).toBe(`${selected.toLocaleString()} papers selected`);
    expect(await page.locator('#selection .rows .row').count()).toBeLessThan(60);
    expect(await page.locator('#selection .terms .term').count()).toBeGreaterThan(0);
  });
});
