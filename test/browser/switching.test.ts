/**
 * Switching maps leaves nothing of the old map's tools behind: after several switches between the
 * shipped corpus and an imported one, with each tool active, there is one lasso overlay and one set
 * of key listeners, and a drag does what the active tool says: pan, lasso or rectangle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, waitReady, type AppSession } from './harness';
import { drag, ellipse, inside, screenPoints, type Point } from './gestures';

const JSONL = new URL('../fixtures/import/papers.jsonl', import.meta.url).pathname;
const state = (page: Page) => page.evaluate(() => window.papermap.state());
const pressedTool = (page: Page) => page.locator('#toolbar button[aria-pressed="true"]').getAttribute('data-tool');

/** Opens a corpus listed in the maps panel (null: the shipped one) and waits until its map is shown. */
async function switchTo(page: Page, hash: string | null): Promise<void> {
  if (await page.locator('#maps').isHidden()) await page.locator('#summary').click();
  await page.locator(hash ? `#maps .corpus[data-hash="${hash}"]` : '#maps .corpus[data-shipped]').click();
  await expect.poll(async () => (await state(page)).corpusHash, { timeout: 120_000 }).toBe(hash ?? shippedHash);
  await waitReady(page);
  // Choosing a corpus closed the panel: the map is the user's again.
  expect(await page.locator('#maps').isHidden()).toBe(true);
}

/** The busiest spot in the middle of the map, clear of the panels. */
async function busySpot(page: Page): Promise<Point> {
  const points = (await screenPoints(page)).filter(({ at: [x, y] }) => x > 420 && x < 780 && y > 200 && y < 600);
  let best = points[0]!.at;
  let most = -1;
  for (const { at } of points) {
    const near = points.filter((p) => Math.hypot(p.at[0] - at[0], p.at[1] - at[1]) < 80).length;
    if (near > most) [best, most] = [at, near];
  }
  return best;
}

let shippedHash = '';

describe('switching maps', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ hideProgress: true });
    page = app.page;
  });
  afterAll(() => app?.close());

  it('after several switches with each tool active there is one overlay, and each tool does what it says', async () => {
    // Key listeners on the document, counted as they are added and removed.
    await page.evaluate(() => {
      const counted = window as unknown as { keyListeners: number };
      counted.keyListeners = 0;
      const add = document.addEventListener.bind(document);
      const remove = document.removeEventListener.bind(document);
      document.addEventListener = ((type: string, listener: EventListener, options?: boolean | AddEventListenerOptions) => {
        if (type === 'keydown') counted.keyListeners++;
        add(type, listener, options);
      }) as typeof document.addEventListener;
      document.removeEventListener = ((type: string, listener: EventListener, options?: boolean | EventListenerOptions) => {
        if (type === 'keydown') counted.keyListeners--;
        remove(type, listener, options);
      }) as typeof document.removeEventListener;
    });
    const keyListeners = () => page.evaluate(() => (window as unknown as { keyListeners: number }).keyListeners);
    shippedHash = (await state(page)).corpusHash!;

    // An imported corpus to switch to (its map is built once, then comes from the cache).
    await page.locator('#summary').click();
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#maps button', { hasText: 'Import a file…' }).click();
    await (await chooser).setFiles(JSONL);
    await page.locator('#maps button', { hasText: 'Build map' }).click();
    await expect.poll(async () => (await state(page)).corpusHash, { timeout: 120_000 }).not.toBe(shippedHash);
    await waitReady(page);
    const importedHash = (await state(page)).corpusHash!;
    // Whatever the first switch added stays the baseline: later switches must add nothing.
    const baseline = await keyListeners();

    for (const key of ['v', 'l', 'r', 'l', 'v', 'r']) {
      await page.keyboard.press(key);
      const onShipped = (await state(page)).corpusHash === shippedHash;
      await switchTo(page, onShipped ? importedHash : null);
      expect(await page.locator('.lasso-overlay').count()).toBe(1);
      expect(await keyListeners()).toBe(baseline);
    }
    if ((await state(page)).corpusHash !== shippedHash) await switchTo(page, null);
    expect(await page.locator('.lasso-overlay').count()).toBe(1);

    // Pan: a drag moves the map and selects nothing.
    await page.keyboard.press('v');
    expect(await pressedTool(page)).toBe('pan');
    const before = await page.evaluate(() => window.papermap.view());
    const [cx, cy] = await busySpot(page);
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 60, cy + 40, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => (await page.evaluate(() => window.papermap.view())).target).not.toEqual(before.target);
    expect((await state(page)).selected).toEqual([]);

    // Lasso: exactly the papers inside the shape.
    await page.keyboard.press('l');
    expect(await pressedTool(page)).toBe('lasso');
    const centre = await busySpot(page);
    const shape = ellipse(centre, 90, 70);
    const inShape = (await screenPoints(page)).filter((p) => inside(p.at, shape)).map((p) => p.id).sort();
    expect(inShape.length).toBeGreaterThan(3);
    await drag(page, shape);
    expect((await state(page)).selected.sort()).toEqual(inShape);

    // Rectangle: exactly the papers inside the box.
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    expect(await pressedTool(page)).toBe('rect');
    const [x0, y0, x1, y1] = [centre[0] - 70, centre[1] - 50, centre[0] + 70, centre[1] + 50];
    const inBox = (await screenPoints(page)).filter(({ at: [x, y] }) => x > x0 && x < x1 && y > y0 && y < y1).map((p) => p.id).sort();
    expect(inBox.length).toBeGreaterThan(3);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x1, y1, { steps: 6 });
    await page.mouse.up();
    expect((await state(page)).selected.sort()).toEqual(inBox);
    expect(await page.locator('.lasso-overlay').count()).toBe(1);
  });
});
