/**
 * Exploring the map: topic labels that change with zoom without overlapping, and clicking a label
 * to select and frame its topic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openApp, serveDist, type StaticServer } from './harness';

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
  let server: StaticServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await serveDist();
    browser = await launchChromium('wasm');
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await openApp(page, `${server.url}?device=wasm`);
    await page.locator('#progress button', { hasText: 'Hide' }).click();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('labels broad topics zoomed out and finer ones after zooming in, never overlapping', async () => {
    const overview = await labels(page);
    expect(overview.length).toBeGreaterThanOrEqual(2);
    expect(new Set(overview.map((l) => l.level))).toEqual(new Set([0]));
    expect(overlapping(overview)).toEqual([]);
    const zoomBefore = (await page.evaluate(() => window.papermap.view())).zoom;

    // Zoom in with the mouse wheel over the middle of the map, as a user would.
    await page.mouse.move(640, 420);
    for (let k = 0; k < 20 && (await page.evaluate(() => window.papermap.view())).zoom < zoomBefore + 2; k++) {
      await page.mouse.wheel(0, -60);
      await page.waitForTimeout(60);
    }
    expect((await page.evaluate(() => window.papermap.view())).zoom).toBeGreaterThan(zoomBefore + 1.8);
    await expect.poll(async () => (await labels(page)).some((l) => l.level > 0)).toBe(true);
    const zoomed = await labels(page);
    expect(zoomed.every((l) => l.level > 0)).toBe(true);
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
});
