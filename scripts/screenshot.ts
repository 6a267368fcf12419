/**
 * Takes screenshots of the built app in headless Chromium (for the README and for looking at changes).
 * Usage: npm run build && npx tsx scripts/screenshot.ts [out-dir] [--device=wasm|webgpu] [--light]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { foldProgress, launchChromium, serveDist, waitReady } from '../test/browser/harness';

const outDir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'docs';
const device = process.argv.find((a) => a.startsWith('--device='))?.slice(9) === 'webgpu' ? 'webgpu' : 'wasm';
const scheme = process.argv.includes('--light') ? 'light' : 'dark';
mkdirSync(outDir, { recursive: true });

const server = await serveDist();
const browser = await launchChromium(device);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
  await page.goto(`${server.url}?device=${device}`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(outDir, `progress-${scheme}.png`) });
  await waitReady(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, `map-${scheme}.png`) });
  const target = await page.evaluate(() => {
    const api = window.papermap;
    const p = api.points()[7]!;
    return { id: p.id, at: api.screenPosition(p.id)! };
  });
  await page.mouse.move(target.at[0], target.at[1]);
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(outDir, `hover-${scheme}.png`) });
  await page.mouse.click(target.at[0], target.at[1]);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, `details-${scheme}.png`) });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await foldProgress(page);
  // A lasso around the busiest part of the middle of the map.
  await page.keyboard.press('l');
  const [cx, cy] = await page.evaluate(() => {
    const at = window.papermap.points().map((p) => window.papermap.screenPosition(p.id)!).filter(([x, y]) => x > 420 && x < 780 && y > 200 && y < 600);
    let best = at[0]!, most = -1;
    for (const a of at) {
      const near = at.filter((b) => Math.hypot(a[0] - b[0], a[1] - b[1]) < 80).length;
      if (near > most) [best, most] = [a, near];
    }
    return best;
  });
  await page.mouse.move(cx + 95, cy);
  await page.mouse.down();
  for (let k = 1; k <= 64; k++) {
    const a = (2 * Math.PI * k) / 64;
    await page.mouse.move(cx + 95 * Math.cos(a) * (1 + 0.12 * Math.sin(3 * a)), cy + 75 * Math.sin(a));
  }
  await page.mouse.up();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, `lasso-${scheme}.png`) });
  // Labels at two zoom levels, and search results.
  await page.keyboard.press('Escape');
  await page.keyboard.press('v');
  await page.screenshot({ path: join(outDir, `labels-overview-${scheme}.png`) });
  const view = await page.evaluate(() => window.papermap.view());
  await page.evaluate((v) => window.papermap.setView({ target: [v.target[0] + 1.5, v.target[1] + 1], zoom: v.zoom + 2 }), view);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, `labels-zoomed-${scheme}.png`) });
  await page.evaluate((v) => window.papermap.setView(v), view);
  await page.locator('#search .mode[data-mode="semantic"]').click();
  await page.locator('#search input').fill('image generation with diffusion');
  await page.waitForFunction(() => (window.papermap.state().search?.hits.length ?? 0) > 0);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, `search-${scheme}.png`) });
  console.log(JSON.stringify(await page.evaluate(() => window.papermap.state()), null, 1));
} finally {
  await browser.close();
  await server.close();
}
