import { launchChromium, serveDist, waitReady } from './test/browser/harness';
const server = await serveDist();
const browser = await launchChromium('wasm');
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })).newPage();
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(server.url + '?device=wasm');
await waitReady(page);
await page.keyboard.press('l');
const [cx, cy] = [760, 560];
await page.mouse.move(cx + 110, cy);
await page.mouse.down();
for (let k = 1; k <= 60; k++) { const a = (2 * Math.PI * k) / 60; await page.mouse.move(cx + 110 * Math.cos(a), cy + 80 * Math.sin(a)); }
await page.mouse.up();
await page.waitForTimeout(300);
console.log('selected', (await page.evaluate(() => window.papermap.state())).selected.length);
await page.screenshot({ path: '/tmp/shots/lasso.png' });
await browser.close(); await server.close();
