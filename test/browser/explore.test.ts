/**
 * Exploring the map: topic labels that change with zoom without overlapping, and clicking a label
 * to select and frame its topic.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { foldProgress, openApp, paintedPixels, startApp, type AppSession, mapScreenshot } from './harness';
import type { Corpus } from '../../src/corpus/types';
import { COLOUR_LEVEL } from '../../src/math/topics/topics';

const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;
const search = (page: Page) => page.evaluate(() => window.papermap.state().search);

type Label = { text: string; level: number; topic: number; box: [number, number, number, number] };

const labels = (page: Page): Promise<Label[]> => page.evaluate(() => window.papermap.labels());

function overlapping(list: Label[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!.box, b = list[j]!.box;
      if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) pairs.push([list[i]!.text, list[j]!.text]);
    }
  }
  return pairs;
}

describe('exploring the map', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ hideProgress: true });
    page = app.page;
  });
  afterAll(() => app?.close());

  it('names every coloured topic on the whole map, with the legend’s own words, clear of each other and the panels', async () => {
    const overview = await labels(page);
    const state = await page.evaluate(() => window.papermap.state());
    const coloured = state.topics.filter((t) => t.level === COLOUR_LEVEL);
    expect(coloured.length).toBeGreaterThanOrEqual(3);
    // Every topic the legend lists has its label on the map, and only those.
    expect(overview.map((l) => l.level)).toEqual(coloured.map(() => COLOUR_LEVEL));
    expect(overview.map((l) => l.topic).sort((a, b) => a - b)).toEqual(coloured.map((t) => t.id).sort((a, b) => a - b));
    // The map and the legend use the same names.
    const legend = await page.locator('#legend .topic .label').allTextContents();
    expect(legend.filter((name) => name !== 'No clear topic')).toEqual(coloured.map((t) => t.label));
    for (const label of overview) expect(label.text).toBe(coloured.find((t) => t.id === label.topic)!.label);
    expect(overlapping(overview)).toEqual([]);
    const panels = await page.locator('.panel:visible, .topbar, .toolbar').evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]));
    for (const l of overview) for (const p of panels) expect(l.box[0] < p[2]! && p[0]! < l.box[2] && l.box[1] < p[3]! && p[1]! < l.box[3], `${l.text} under a panel`).toBe(false);
  });

  it('frames every point in the free area beside the legend, not under it', async () => {
    // A window narrower than the map is wide: the width decides the framing. (No view in the address: the map is fitted.)
    const address = page.url();
    const fitted = new URL(address);
    fitted.searchParams.delete('view');
    await page.setViewportSize({ width: 900, height: 800 });
    await page.goto(fitted.href);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    const legend = (await page.locator('#legend').boundingBox())!;
    const topbar = (await page.locator('.topbar').boundingBox())!;
    const viewport = page.viewportSize()!;
    const at = await page.evaluate(() => window.papermap.points().map((p) => window.papermap.screenPosition(p.id)!));
    expect(at).toHaveLength(corpus.papers.length);
    const xs = at.map(([x]) => x);
    const ys = at.map(([, y]) => y);
    expect(Math.min(...xs)).toBeGreaterThan(legend.x + legend.width);
    expect(Math.max(...xs)).toBeLessThan(viewport.width);
    expect(Math.min(...ys)).toBeGreaterThan(topbar.y + topbar.height);
    expect(Math.max(...ys)).toBeLessThan(viewport.height);
    // Framed, not shrunk: the points span most of the free width or height.
    const free = viewport.width - (legend.x + legend.width);
    expect(Math.max((Math.max(...xs) - Math.min(...xs)) / free, (Math.max(...ys) - Math.min(...ys)) / viewport.height)).toBeGreaterThan(0.6);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(address);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await foldProgress(page);
  });

  it('labels make room for a details panel or search results that open over them', async () => {
    const before = await labels(page);
    const labelsUnder = async (selector: string) => {
      const panel = (await page.locator(selector).boundingBox())!;
      return (await labels(page)).filter((l) => l.box[2] > panel.x && l.box[0] < panel.x + panel.width && l.box[3] > panel.y && l.box[1] < panel.y + panel.height).length;
    };
    await page.evaluate(() => window.papermap.open(window.papermap.points()[0]!.id));
    await expect.poll(() => labelsUnder('#details')).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await labels(page)).length).toBe(before.length);

    // A long list of results covers the left of the map.
    await page.locator('#search input').fill('networks');
    await expect.poll(() => page.locator('#results .hit').count()).toBeGreaterThan(8);
    await expect.poll(() => labelsUnder('#results')).toBe(0);
    await page.locator('#search input').press('Escape');
    await expect.poll(async () => (await labels(page)).length).toBe(before.length);
  });

  it('labels the coloured topics on the whole map and finer ones after zooming in, never overlapping', async () => {
    const overview = await labels(page);
    expect(overview.length).toBeGreaterThanOrEqual(2);
    expect(new Set(overview.map((l) => l.level))).toEqual(new Set([COLOUR_LEVEL]));
    expect(overlapping(overview)).toEqual([]);
    const zoomBefore = (await page.evaluate(() => window.papermap.view())).zoom;

    // Zoom in with the mouse wheel over the middle of the map, as a user would.
    await page.mouse.move(640, 420);
    for (let k = 0; k < 20 && (await page.evaluate(() => window.papermap.view())).zoom < zoomBefore + 2; k++) {
      await page.mouse.wheel(0, -60);
      await page.waitForTimeout(60);
    }
    expect((await page.evaluate(() => window.papermap.view())).zoom).toBeGreaterThan(zoomBefore + 1.8);
    await expect.poll(async () => (await labels(page)).some((l) => l.level > COLOUR_LEVEL)).toBe(true);
    const zoomed = await labels(page);
    expect(zoomed.every((l) => l.level > COLOUR_LEVEL)).toBe(true);
    expect(zoomed.map((l) => l.text)).not.toEqual(overview.map((l) => l.text));
    expect(overlapping(zoomed)).toEqual([]);
    for (const l of zoomed) {
      expect(l.box[0]).toBeGreaterThanOrEqual(0);
      expect(l.box[2]).toBeLessThanOrEqual(1280);
    }
  });

  it('clicking a label selects its topic and zooms to it', async () => {
    const [label] = await labels(page);
    const before = (await page.evaluate(() => window.papermap.view())).zoom;
    await page.mouse.click((label!.box[0] + label!.box[2]) / 2, (label!.box[1] + label!.box[3]) / 2);
    await expect.poll(async () => (await page.evaluate(() => window.papermap.state())).selected.length).toBeGreaterThan(0);
    const state = await page.evaluate(() => window.papermap.state());
    await expect.poll(() => page.locator('#selection h3').textContent()).toBe(`${state.selected.length} papers selected`);
    await expect.poll(async () => (await page.evaluate(() => window.papermap.view())).zoom).not.toBe(before);
  });

  it('keyword search finds a paper by a word of its title, lists it, and flies to it', async () => {
    const paper = corpus.papers.find((p) => p.title.includes('Kolmogorov'))!;
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search papers');
    await page.keyboard.type('kolmogorov');
    // Each key runs a search; wait for the one of the whole word.
    await expect.poll(async () => (await search(page))?.query).toBe('kolmogorov');
    await expect.poll(async () => (await search(page))?.hits ?? []).toContain(paper.id);
    const state = await search(page);
    expect(state!.mode).toBe('keyword');
    // Every hit really contains the word; nothing else is listed.
    for (const id of state!.hits) expect(/kolmogorov/i.test(JSON.stringify(corpus.papers.find((p) => p.id === id)))).toBe(true);
    const row = page.locator('#results .hit', { hasText: paper.title });
    expect(await row.count()).toBe(1);
    await row.click();
    await expect.poll(() => page.locator('#details h2').textContent()).toBe(paper.title);
    const [x, y] = (await page.evaluate((id) => window.papermap.screenPosition(id), paper.id))!;
    expect(Math.abs(x - 640)).toBeLessThan(5);
    expect(Math.abs(y - 400)).toBeLessThan(5);
    await page.keyboard.press('Escape');
  });

  it('semantic search returns papers on the query’s topic, and says when it knows no word', async () => {
    await page.locator('#search .mode[data-mode="semantic"]').click();
    await page.locator('#search input').fill('image generation with diffusion models');
    // The results of this query: the mode switch may have searched the box's earlier words by meaning first.
    const answered = async () => {
      const result = await search(page);
      return result?.mode === 'semantic' && result.query === 'image generation with diffusion models' && result.hits.length > 0;
    };
    await expect.poll(answered, { timeout: 60_000 }).toBe(true);
    const top = (await search(page))!.hits.slice(0, 5).map((id) => corpus.papers.find((p) => p.id === id)!);
    const onTopic = top.filter((p) => /diffusion/i.test(p.title + p.abstract));
    expect(onTopic.length).toBeGreaterThanOrEqual(4);
    await page.locator('#results button', { hasText: 'Select all' }).click();
    expect((await page.evaluate(() => window.papermap.state())).selected.length).toBe((await search(page))!.hits.length);

    await page.locator('#search input').fill('qwxzv blorptang');
    await expect.poll(async () => (await search(page))?.query).toBe('qwxzv blorptang');
    expect((await search(page))!.hits).toEqual([]);
    expect(await page.locator('#results').textContent()).toMatch(/None of these words is known to the model/);
    await page.locator('#search input').press('Escape');
    await expect.poll(() => search(page)).toBeNull();
    expect(await page.locator('#results').isVisible()).toBe(false);
  });
});

describe('neighbours', () => {
  it('a paper’s details list its nearest papers; clicking one flies to it', async () => {
    const { page, close } = await startApp();
    try {
      const paper = corpus.papers.find((p) => p.title.startsWith('Scalable Forward-Forward'))!;
      await page.evaluate((id) => window.papermap.open(id), paper.id);
      const neighbours = page.locator('#details .neighbour');
      expect(await neighbours.count()).toBe(8);
      const titles = await neighbours.locator('.title').allTextContents();
      // Its field is small and distinctive: 8 papers drawn at random would hold about 0.4 of the corpus's
      // 15 "forward" papers; its neighbours hold at least two, and most of the rest are about training itself.
      expect(titles.filter((t) => /forward/i.test(t)).length).toBeGreaterThanOrEqual(2);
      expect(titles.filter((t) => /forward|propagation|training|memory|residual/i.test(t)).length).toBeGreaterThanOrEqual(5);
      const scores = (await neighbours.locator('.score').allTextContents()).map(Number);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(titles).not.toContain(paper.title);
      await neighbours.first().click();
      await expect.poll(() => page.locator('#details h2').textContent()).toBe(titles[0]);
    } finally {
      await close();
    }
  });
});

describe('colour modes', () => {
  it('colours by year with a legend; a hidden category is neither drawn nor hoverable', async () => {
    const { page, close } = await startApp({ context: { colorScheme: 'dark' }, hideProgress: true });
    try {
      const pixels = async () => {
        return paintedPixels(await mapScreenshot(page), [15, 18, 24]).painted;
      };
      await page.locator('#legend select').selectOption('year');
      expect((await page.evaluate(() => window.papermap.state())).colour).toBe('year');
      const years = await page.locator('#legend .topic .label').allTextContents();
      const expectedYears = [...new Set(corpus.papers.map((p) => p.year).filter((y) => y !== null))].sort().map(String);
      expect(years).toEqual([...expectedYears, 'No year given']);
      const before = await pixels();

      const undated = corpus.papers.filter((p) => p.year === null);
      await page.locator('#legend li', { hasText: 'No year given' }).locator('.toggle').click();
      expect((await page.evaluate(() => window.papermap.state())).hidden).toBe(1);
      const after = await pixels();
      expect(after).toBeLessThan(before * (1 - 0.5 * (undated.length / corpus.papers.length)));

      // Hovering where an undated paper sits shows no undated paper.
      const hiddenTitles = new Set(undated.map((p) => p.title));
      for (const paper of undated.slice(0, 5)) {
        const [x, y] = (await page.evaluate((id) => window.papermap.screenPosition(id), paper.id))!;
        await page.mouse.move(x, y);
        await page.waitForTimeout(50);
        const tip = (await page.locator('#tooltip').isVisible()) ? await page.locator('#tooltip').textContent() : '';
        expect([...hiddenTitles].some((t) => tip!.startsWith(t))).toBe(false);
      }
    } finally {
      await close();
    }
  });
});

describe('shareable state', () => {
  it('a copied URL restores view, colour, search, selection and open paper; back and forward step through changes', async () => {
    const { page, browser, close } = await startApp();
    try {
      await page.locator('#legend select').selectOption('year');
      await page.locator('#search input').fill('diffusion');
      await expect.poll(async () => (await search(page))?.hits.length ?? 0).toBeGreaterThan(0);
      await page.evaluate((ids) => window.papermap.select(ids), corpus.papers.slice(3, 7).map((p) => p.id));
      const view = await page.evaluate(() => window.papermap.view());
      await page.evaluate((v) => window.papermap.setView({ target: [v.target[0] + 0.5, v.target[1] - 0.25], zoom: v.zoom + 0.75 }), view);
      const paper = corpus.papers[10]!;
      await page.evaluate((id) => window.papermap.open(id), paper.id);
      await expect.poll(() => page.url()).toContain(`paper=${paper.id}`);
      await page.waitForTimeout(400);
      const shared = page.url();
      const before = await page.evaluate(() => ({ state: window.papermap.state(), view: window.papermap.view() }));

      const other = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await openApp(other, shared);
      const after = await other.evaluate(() => ({ state: window.papermap.state(), view: window.papermap.view() }));
      expect(after.state.colour).toBe('year');
      expect(after.state.search).toEqual(before.state.search);
      expect([...after.state.selected].sort()).toEqual([...before.state.selected].sort());
      expect(await other.locator('#details h2').textContent()).toBe(paper.title);
      expect(after.view.zoom).toBeCloseTo(before.view.zoom, 2);
      expect(after.view.target[0]).toBeCloseTo(before.view.target[0], 3);
      expect(after.view.target[1]).toBeCloseTo(before.view.target[1], 3);

      // Back closes the paper that was just opened; forward opens it again.
      await page.goBack();
      await expect.poll(() => page.locator('#details').isVisible()).toBe(false);
      expect((await page.evaluate(() => window.papermap.state())).selected.length).toBe(4);
      await page.goForward();
      await expect.poll(() => page.locator('#details h2').textContent()).toBe(paper.title);
    } finally {
      await close();
    }
  });
});
