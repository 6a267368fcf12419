/** The map on a 390 px wide phone screen, driven by touch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { paintedPixels, startApp, type AppSession, mapScreenshot } from './harness';

describe('on a phone', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' } });
    page = app.page;
  });
  afterAll(() => app?.close());

  it('shows a usable map: nothing overflows, the map is drawn, search and tools fit on screen', async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const selector of ['.topbar', '#search input', '#search .mode[data-mode="semantic"]', '#toolbar button[data-tool="lasso"]']) {
      const box = (await page.locator(selector).boundingBox())!;
      expect(box.x, selector).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, selector).toBeLessThanOrEqual(390);
    }
    const { painted, hues } = paintedPixels(await mapScreenshot(page, 'page'), [15, 18, 24]);
    expect(painted).toBeGreaterThan(336 * 20);
    expect(hues).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: new URL('../../test-results/phone-dark.png', import.meta.url).pathname });
  });

  it('a tap on a point opens its details, which fit the screen', async () => {
    const target = await page.evaluate(() => {
      const api = window.papermap;
      const at = api.points().map((p) => ({ id: p.id, xy: api.screenPosition(p.id)! }));
      // Not under a topic label: a tap there is a tap on the label.
      const labels = api.labels().map((l) => l.box);
      const underLabel = ([x, y]: [number, number]) => labels.some(([x0, y0, x1, y1]) => x > x0 - 8 && x < x1 + 8 && y > y0 - 8 && y < y1 + 8);
      const free = at.filter(({ xy }) => xy[0] > 30 && xy[0] < 360 && xy[1] > 240 && xy[1] < 600 && !underLabel(xy));
      let best = free[0]!, gap = -1;
      for (const a of free) {
        const g = Math.min(...at.filter((b) => b !== a).map((b) => Math.hypot(a.xy[0] - b.xy[0], a.xy[1] - b.xy[1])));
        if (g > gap) [best, gap] = [a, g];
      }
      return best;
    });
    await page.touchscreen.tap(target.xy[0], target.xy[1]);
    const details = page.locator('#details');
    await expect.poll(() => details.isVisible()).toBe(true);
    const box = (await details.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => window.papermap.state().selected)).toEqual([]);
  });
});
