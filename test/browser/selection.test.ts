/**
 * Lasso and selections with real mouse drags in Chromium: the papers selected are exactly those
 * whose points lie inside the drawn shape; Shift adds, Alt subtracts, Esc clears; topics select
 * from the legend; exports download the selection; saved selections survive a reload.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, waitReady, type AppSession } from './harness';
import { drag, ellipse, inside, screenPoints, type Point } from './gestures';
import type { Corpus } from '../../src/corpus/types';

const corpus = JSON.parse(readFileSync(new URL('../../public/corpus/corpus.json', import.meta.url), 'utf8')) as Corpus;

async function selected(page: Page): Promise<string[]> {
  return (await page.evaluate(() => window.papermap.state().selected)).sort();
}

/** Centre of the densest spot in the middle of the map, where no panel covers it. */
async function busySpot(page: Page, radius: number, avoid: Point | null = null): Promise<Point> {
  const points = await screenPoints(page);
  const candidates = points.filter(({ at: [x, y] }) => x > 420 && x < 780 && y > 200 && y < 600 && (!avoid || Math.hypot(x - avoid[0], y - avoid[1]) > 2.2 * radius));
  let best = candidates[0]!.at;
  let bestCount = -1;
  for (const { at } of candidates) {
    const count = points.filter((p) => Math.hypot(p.at[0] - at[0], p.at[1] - at[1]) < radius).length;
    if (count > bestCount) [best, bestCount] = [at, count];
  }
  return best;
}

describe('lasso and selections', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ context: { acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] }, hideProgress: true });
    page = app.page;
  });
  afterAll(() => app?.close());

  let first: string[] = [];
  let firstCentre: Point = [0, 0];
  let secondShape: Point[] = [];

  it('a lasso selects exactly the papers whose points lie inside it', async () => {
    await page.keyboard.press('l');
    expect(await page.locator('#toolbar button[data-tool="lasso"]').getAttribute('aria-pressed')).toBe('true');
    firstCentre = await busySpot(page, 80);
    const firstShape = ellipse(firstCentre, 90, 70);
    const expected = (await screenPoints(page)).filter((p) => inside(p.at, firstShape)).map((p) => p.id).sort();
    expect(expected.length).toBeGreaterThan(3);
    await drag(page, firstShape);
    first = await selected(page);
    expect(first).toEqual(expected);
    const panel = page.locator('#selection');
    expect(await panel.locator('h3').textContent()).toBe(`${expected.length} papers selected`);
    const firstRow = corpus.papers.find((p) => expected.includes(p.id))!;
    expect(await panel.locator('.row .title').first().textContent()).toBe(firstRow.title);
    expect(await panel.locator('.term').count()).toBeGreaterThan(0);
  });

  it('Shift-lasso adds to the selection', async () => {
    secondShape = ellipse(await busySpot(page, 60, firstCentre), 60, 60);
    const added = (await screenPoints(page)).filter((p) => inside(p.at, secondShape)).map((p) => p.id);
    await drag(page, secondShape, 'Shift');
    expect(await selected(page)).toEqual([...new Set([...first, ...added])].sort());
  });

  it('Alt-lasso subtracts from the selection', async () => {
    const removed = new Set((await screenPoints(page)).filter((p) => inside(p.at, secondShape)).map((p) => p.id));
    await drag(page, secondShape, 'Alt');
    expect(await selected(page)).toEqual(first.filter((id) => !removed.has(id)));
  });

  it('Escape clears the selection and the map shows every point again', async () => {
    await page.keyboard.press('Escape');
    expect(await selected(page)).toEqual([]);
    expect(await page.evaluate(() => document.body.dataset.selection)).toBe('0');
  });

  it('the rectangle tool selects the papers inside the dragged box', async () => {
    await page.keyboard.press('r');
    const [cx, cy] = await busySpot(page, 80);
    const box: Point[] = [[cx - 100, cy - 60], [cx + 100, cy - 60], [cx + 100, cy + 60], [cx - 100, cy + 60]];
    const expected = (await screenPoints(page)).filter((p) => inside(p.at, box)).map((p) => p.id).sort();
    await page.mouse.move(...box[0]!);
    await page.mouse.down();
    await page.mouse.move(cx, cy);
    await page.mouse.move(...box[2]!);
    await page.mouse.up();
    expect(await selected(page)).toEqual(expected);
    await page.keyboard.press('v');
  });

  it('clicking a topic in the legend selects its papers', async () => {
    const topic = page.locator('#legend button.topic').nth(1);
    const size = Number((await topic.locator('.count').textContent())!.replaceAll(',', ''));
    await topic.click();
    expect((await selected(page)).length).toBe(size);
    await topic.click({ modifiers: ['Alt'] });
    expect(await selected(page)).toEqual([]);
  });

  it('opens a paper from the list without changing the selection', async () => {
    await page.locator('#legend button.topic').nth(2).click();
    const before = await selected(page);
    await page.locator('#selection .row').first().click();
    expect(await page.locator('#details').isVisible()).toBe(true);
    expect(await selected(page)).toEqual(before);
    await page.keyboard.press('Escape');
    expect(await page.locator('#details').isVisible()).toBe(false);
    expect(await selected(page)).toEqual(before);
  });

  it('exports the selection as CSV, JSON and BibTeX with the same papers', async () => {
    const ids = await selected(page);
    const download = async (label: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator('#selection .actions button', { hasText: label }).click()]);
      return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
    };
    const csv = await download('CSV');
    expect(csv.name).toBe(`papermap-selection-${ids.length}.csv`);
    const rows = Papa.parse<Record<string, string>>(csv.text, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.id).sort()).toEqual(ids);
    const paper = corpus.papers.find((p) => p.id === rows[0]!.id)!;
    expect(rows[0]!.abstract).toBe(paper.abstract);
    const json = JSON.parse((await download('JSON')).text);
    expect(json.papers.map((p: { id: string }) => p.id).sort()).toEqual(ids);
    const bib = (await download('BibTeX')).text;
    expect(bib.match(/^@misc\{/gm)?.length).toBe(ids.length);
    await page.locator('#selection .actions button', { hasText: 'Copy titles' }).click();
    await expect.poll(() => page.locator('#selection .message').textContent()).toMatch(`Copied ${ids.length} titles`);
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard.split('\n')).toHaveLength(ids.length);
  });

  it('a saved selection survives a reload and restores the same papers', async () => {
    const ids = await selected(page);
    await page.locator('#selection .save input').fill('Reading list: "diffusion" <b>');
    await page.locator('#selection .save button').click();
    await expect.poll(() => page.locator('#selection .saved .name').first().textContent()).toBe('Reading list: "diffusion" <b>');
    // Clear it (the URL would otherwise carry it across the reload): only the saved copy can bring it back.
    await page.keyboard.press('Escape');
    expect(await selected(page)).toEqual([]);
    await page.reload();
    await waitReady(page);
    expect(await selected(page)).toEqual([]);
    const saved = page.locator('#selection .saved li');
    expect(await saved.count()).toBe(1);
    await saved.locator('.name').click();
    expect(await selected(page)).toEqual(ids);
    await saved.locator('button', { hasText: 'Rename' }).click();
    await page.locator('#selection .saved .rename input').fill('Renamed');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#selection .saved .name').first().textContent()).toBe('Renamed');
    await page.locator('#selection .saved button', { hasText: 'Delete' }).click();
    await expect.poll(() => page.locator('#selection .saved li').count()).toBe(0);
  });

  it('window.papermap.select selects by id and reports unknown ids', async () => {
    const ids = corpus.papers.slice(0, 3).map((p) => p.id);
    const result = await page.evaluate((list) => window.papermap.select([...list, 'p-not-there']), ids);
    expect(result).toEqual({ selected: 3, missing: ['p-not-there'] });
    expect(await selected(page)).toEqual([...ids].sort());
  });
});
