/**
 * Takes screenshots of the built app in headless Chromium (for the README and for looking at changes).
 * Usage: npm run build && npx tsx scripts/screenshot.ts [out-dir] [--device=wasm|webgpu] [--light]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, serveDist, waitReady } from '../test/browser/harness';

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
  console.log(JSON.stringify(await page.evaluate(() => window.papermap.state()), null, 1));
} finally {
  await browser.close();
  await server.close();
}
