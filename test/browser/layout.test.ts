/**
 * The panels over the map: whatever combination is open, on a desktop window and on a phone, no two
 * of them (nor the top bar or the tool bar) cover each other, each stays on screen, and the Fit button
 * frames every point in the area they leave free.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { startApp, type AppSession } from './harness';

type Box = [number, number, number, number];

/** What can be open at once: each combination of these is tried. */
interface Open {
  maps: boolean;
  results: boolean;
  selection: boolean;
  details: boolean;
  /** The legend unfolded (it starts folded on a phone). */
  legend: boolean;
  /** The build details unfolded (the panel folds to a chip once the map is ready). */
  progress: boolean;
}
const FACTORS: (keyof Open)[] = ['maps', 'results', 'selection', 'details', 'legend', 'progress'];

const CHROME = { topbar: '.topbar', toolbar: '#toolbar', maps: '#maps', results: '#results', legend: '#legend', progress: '#progress', selection: '#selection', details: '#details' };

/** The screen boxes of the visible chrome, by name. */
function boxes(page: Page): Promise<Record<string, Box>> {
  return page.evaluate((chrome) => {
    const out: Record<string, [number, number, number, number]> = {};
    for (const [name, selector] of Object.entries(chrome)) {
      const node = document.querySelector<HTMLElement>(selector);
      if (!node || node.offsetParent === null) continue;
      const r = node.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) out[name] = [r.left, r.top, r.right, r.bottom];
    }
    return out;
  }, CHROME);
}

const intersect = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
const frames = (page: Page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
/** Whether a panel is open, whether or not another panel's rule hides it for now. */
const open = (page: Page, id: string) => page.locator(`#${id}`).evaluate((e) => !(e as HTMLElement).hidden);
const folded = (page: Page, id: string) => page.locator(`#${id}`).getAttribute('data-collapsed').then((v) => v === 'true');

/** Opens and closes panels as a user would until exactly `want` is open. */
async function arrange(page: Page, want: Open, someIds: string[]): Promise<void> {
  if (want.maps !== (await open(page, 'maps'))) await page.locator('#summary').click();
  const query = want.results ? 'diffusion' : '';
  if ((await page.locator('#search input').inputValue()) !== query) await page.locator('#search input').fill(query);
  await page.evaluate(([ids, select]) => window.papermap.select(select ? ids : []), [someIds, want.selection] as const);
  const details = await open(page, 'details');
  if (want.details && !details) await page.evaluate((id) => window.papermap.open(id), someIds[3]!);
  // (A script click: on a phone the maps dialog may be hiding the paper for now.)
  if (!want.details && details) await page.locator('#details .close').evaluate((b: HTMLElement) => b.click());
  // The legend and results give way to the maps dialog: unfold the legend only where it shows.
  for (const id of ['legend', 'progress'] as const) {
    const fold = page.locator(`#${id} > header .fold`);
    if (!(await fold.isVisible())) continue;
    if (want[id] === (await folded(page, id))) await fold.click();
  }
  await frames(page);
}

function combinations(): Open[] {
  return Array.from({ length: 2 ** FACTORS.length }, (_, bits) => Object.fromEntries(FACTORS.map((f, k) => [f, (bits & (1 << k)) !== 0])) as unknown as Open);
}

for (const [name, context] of [
  ['a 1280 × 800 window', { viewport: { width: 1280, height: 800 } }],
  ['a 390 × 844 phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
] as [string, BrowserContextOptions][]) {
  describe(`panels on ${name}`, () => {
    let app: AppSession;
    let page: Page;
    let ids: string[];
    const { width, height } = context.viewport!;
    const phone = width < 640;

    beforeAll(async () => {
      app = await startApp({ context: { colorScheme: 'dark', ...context } });
      page = app.page;
      ids = await page.evaluate(() => window.papermap.points().slice(0, 40).map((p) => p.id));
    });
    afterAll(() => app?.close());

    it('the build details fold to a one-line chip once the map is ready, and unfold on request', async () => {
      const progress = page.locator('#progress');
      expect(await progress.getAttribute('data-state')).toBe('done');
      expect(await folded(page, 'progress')).toBe(true);
      const chip = (await progress.boundingBox())!;
      expect(chip.height).toBeLessThan(48);
      expect(await progress.locator('h3').textContent()).toMatch(/^Map built in \d/);
      expect(await progress.locator('.stages').isVisible()).toBe(false);
      await progress.locator('.fold').click();
      expect(await progress.locator('li[data-stage="layout"]').isVisible()).toBe(true);
      // Each stage's time stays on its line.
      for (const row of await progress.locator('.stages li').all()) expect((await row.boundingBox())!.height).toBeLessThan(30);
      await progress.locator('.fold').click();
      expect(await folded(page, 'progress')).toBe(true);
    });

    it(`the legend starts ${phone ? 'folded to its colour-by line, and unfolds' : 'open, and folds'} with its button`, async () => {
      const legend = page.locator('#legend');
      expect(await folded(page, 'legend')).toBe(phone);
      expect(await legend.locator('select[aria-label="Colour by"]').isVisible()).toBe(true);
      expect(await legend.locator('ol').isVisible()).toBe(!phone);
      await legend.locator('.fold').click();
      expect(await legend.locator('ol').isVisible()).toBe(phone);
      const box = (await legend.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await legend.locator('.fold').click();
      expect(await folded(page, 'legend')).toBe(phone);
    });

    it('no two panels overlap, in any combination of what is open, and each stays on screen', async () => {
      const problems: string[] = [];
      for (const want of combinations()) {
        await arrange(page, want, ids);
        const at = await boxes(page);
        const label = FACTORS.filter((f) => want[f]).join('+') || 'nothing';
        // What was opened is there (the legend and the results wait while the maps dialog is open;
        // on a phone the paper and the selection too).
        const expected = ['topbar', 'toolbar', 'legend', 'progress', ...(['maps', 'results', 'selection', 'details'] as const).filter((f) => want[f])].filter(
          (n) => !(want.maps && (n === 'legend' || n === 'results' || (phone && (n === 'selection' || n === 'details')))),
        );
        for (const n of expected) if (!at[n]) problems.push(`${label}: ${n} is not shown`);
        const names = Object.keys(at);
        for (let i = 0; i < names.length; i++) {
          const a = at[names[i]!]!;
          if (a[0] < -0.5 || a[1] < -0.5 || a[2] > width + 0.5 || a[3] > height + 0.5) problems.push(`${label}: ${names[i]} leaves the screen ${a.map(Math.round)}`);
          if (a[3] - a[1] < 30) problems.push(`${label}: ${names[i]} is squeezed to ${Math.round(a[3] - a[1])} px`);
          for (let j = i + 1; j < names.length; j++) if (intersect(a, at[names[j]!]!)) problems.push(`${label}: ${names[i]} ${a.map(Math.round)} overlaps ${names[j]} ${at[names[j]!]!.map(Math.round)}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('Fit (button and F key) frames every point in the area the open panels leave free', async () => {
      await arrange(page, { maps: false, results: false, selection: false, details: !phone, legend: true, progress: false }, ids);
      const initial = await page.evaluate(() => window.papermap.view());
      const check = async () => {
        const at = await boxes(page);
        const points = await page.evaluate(() => window.papermap.points().map((p) => window.papermap.screenPosition(p.id)!));
        const hidden = points.filter(([x, y]) => x < 0 || y < 0 || x > width || y > height || Object.values(at).some((b) => x > b[0] - 3 && x < b[2] + 3 && y > b[1] - 3 && y < b[3] + 3));
        expect(hidden, 'points under a panel or off screen').toEqual([]);
        // Framed, not shrunk: the points span most of the free width or height.
        const xs = points.map(([x]) => x), ys = points.map(([, y]) => y);
        const left = Math.max(0, ...Object.values(at).filter((b) => b[2] < width / 2).map((b) => b[2]));
        const right = Math.min(width, ...Object.values(at).filter((b) => b[0] > width / 2).map((b) => b[0]));
        const spread = Math.max((Math.max(...xs) - Math.min(...xs)) / (right - left), (Math.max(...ys) - Math.min(...ys)) / height);
        expect(spread).toBeGreaterThan(0.5);
      };
      // Zoomed in and off to one side, as after exploring.
      await page.evaluate((v) => window.papermap.setView({ target: [v.target[0] + 30, v.target[1] - 20], zoom: v.zoom + 2.5 }), initial);
      await frames(page);
      await page.locator('#toolbar .fit').click();
      await frames(page);
      await check();
      const fitted = await page.evaluate(() => window.papermap.view());
      await page.evaluate((v) => window.papermap.setView({ target: [v.target[0] - 25, v.target[1] + 10], zoom: v.zoom + 1.5 }), fitted);
      await frames(page);
      // Keys typed into the search box are words: the shortcut is for the map.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('f');
      await frames(page);
      await check();
      expect(await page.evaluate(() => window.papermap.view())).toEqual(fitted);
    });

    it(phone ? 'a paper clicked where its details open leaves the view as it is: the sheet leaves no band to move it into' : 'a paper clicked where its details then open stays in sight: the map pans, without zooming, to show it', async () => {
      await arrange(page, { maps: false, results: false, selection: false, details: false, legend: !phone, progress: false }, ids);
      await page.locator('#toolbar .fit').click();
      await frames(page);
      // Where the details will open (right on a desktop, the lower part on a phone), the point nearest the far corner.
      const target = await page.evaluate(({ w, h }) => {
        const corner: [number, number] = [w - 20, h - 120];
        let best: { id: string; d: number } | null = null;
        for (const p of window.papermap.points()) {
          const [x, y] = window.papermap.screenPosition(p.id)!;
          const d = Math.hypot(x - corner[0], y - corner[1]);
          if (!best || d < best.d) best = { id: p.id, d };
        }
        return best!.id;
      }, { w: width, h: height });
      const before = await page.evaluate(() => window.papermap.view());
      const at = (await page.evaluate((id) => window.papermap.screenPosition(id), target))!;
      await page.mouse.click(at[0], at[1]);
      await expect.poll(() => open(page, 'details')).toBe(true);
      await frames(page);
      const after = await page.evaluate(() => window.papermap.view());
      if (phone) {
        // The top bar, legend and chip reach y = 200 and the sheet starts at 216: no room, no jump.
        expect(after).toEqual(before);
      } else {
        const details = (await boxes(page)).details!;
        const now = (await page.evaluate((id) => window.papermap.screenPosition(id), target))!;
        const under = now[0] > details[0] && now[0] < details[2] && now[1] > details[1] && now[1] < details[3];
        expect(under, `the paper at ${now} is under its details ${details}`).toBe(false);
        expect(now[0] >= 0 && now[0] <= width && now[1] >= 0 && now[1] <= height).toBe(true);
        expect(after.zoom).toBe(before.zoom);
      }
      expect(await page.evaluate(() => window.papermap.state().selected)).toEqual([]);
      await page.keyboard.press('Escape');
    });
  });
}
